import type { DuckDBResultReader } from '@duckdb/node-api';
import type { TableLike } from './tabular.ts';

/**
 * Bucket orders `aging_with` gives for `n` bounds: 0 current, 1..n+1 past due, n+2 unapplied
 * cash (see sql/macros/aging_with.sql). Every one becomes a column, so the columns of a pivot
 * depend on the bounds asked for, never on the data.
 */
export const bucketOrders = (n: number) => Array.from({ length: n + 3 }, (_, k) => k);

/**
 * The bucket labels for the orders, from the models' own `aging_bucket_label` macro (bound
 * `$1` is the bounds as text, e.g. '30,60,90'); the last order is unapplied cash.
 */
export function bucketLabelsSql(n: number): string {
  return `select list(aging_bucket_label(k, string_split($1, ',')::integer[]) order by k) from range(${n + 2}) t(k)`;
}

/**
 * SQL of the aging pivot in one scan: per group, one sum per bucket order, the total and the
 * invoice count, largest total first. `asText` renders money as text in SQL — what JSON and CSV
 * need, and much faster than converting DECIMAL values in JS; files keep DECIMAL.
 */
export function agingPivotSql(keys: readonly string[], source: string, filter: string, orders: number[], asText: boolean): string {
  const money = (expr: string) => (asText ? `(${expr})::varchar` : expr);
  const sums = orders.map((k) => `${money(`coalesce(sum(outstanding_reporting) filter (where bucket_order = ${k}), 0)`)} as b${k}`);
  return `select ${keys.join(', ')}, ${sums.join(', ')}, ${money('sum(outstanding_reporting)')} as total, count(*)::integer as invoices
    from ${source} where ${filter}
    group by ${keys.join(', ')}
    order by sum(outstanding_reporting) desc, ${keys.join(', ')}`;
}

/** Names the bucket columns of an `agingPivotSql` result by their labels. */
export function labelBuckets(r: DuckDBResultReader, keyCount: number, labels: string[]): TableLike {
  const names = r.columnNames().map((n, i) => (i >= keyCount && i < keyCount + labels.length ? labels[i - keyCount] : n));
  return {
    columnNames: () => names,
    columnTypes: () => r.columnTypes(),
    getRowsJson: () => r.getRowsJson(),
    getRowObjectsJson: () => (r.getRowsJson() as unknown[][]).map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]]))) as never,
  };
}

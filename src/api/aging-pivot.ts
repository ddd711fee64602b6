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

/** Grouping columns the pivot offers: customer facts (from `dim_customers`) or currency. */
export type PivotKey = 'customer_id' | 'customer_name' | 'segment' | 'collector' | 'country' | 'currency';

/**
 * SQL of the aging pivot: per group, one column per bucket order, the total and the item count,
 * largest total first. Bind `$1` as-of date, `$2` basis ('due' | 'invoice'), `$3` segment,
 * `$4` collector, `$5` country (NULL = all), `$6` the bounds as text ('30,60,90').
 *
 * The numbers are the `aging_balances` macro's (sql/macros): this only lays its rows (one per
 * customer, currency and bucket) out as columns, and groups them by customer facts from
 * `dim_customers` for the filters. `asText` renders money as text in SQL: what JSON and CSV
 * need, and much faster than converting DECIMAL values in JS; files keep DECIMAL.
 */
export function agingPivotSql(keys: readonly PivotKey[], bounds: readonly number[], asText: boolean): string {
  const orders = bucketOrders(bounds.length);
  const money = (expr: string) => (asText ? `(${expr})::varchar` : expr);
  const sums = orders.map((k) => `${money(`coalesce(sum(per.outstanding_reporting) filter (where per.bucket_order = ${k}), 0)`)} as b${k}`);
  const qualified = keys.map((k) => (k === 'currency' ? 'per.currency' : k === 'customer_name' ? 'customers.name' : `customers.${k}`));
  return `select ${keys.map((k, i) => `${qualified[i]} as ${k}`).join(', ')}, ${sums.join(', ')},
           ${money('sum(per.outstanding_reporting)')} as total, sum(per.items)::integer as invoices
    from aging_balances($1::date, $2, string_split($6, ',')::integer[]) as per
    left join dim_customers as customers on customers.customer_id = per.customer_id
    where ($3::varchar is null or customers.segment = $3)
      and ($4::varchar is null or customers.collector = $4)
      and ($5::varchar is null or customers.country = $5)
    group by ${qualified.join(', ')}
    order by sum(per.outstanding_reporting) desc, ${qualified.join(', ')}`;
}

/**
 * The same pivot as `agingPivotSql`, one JSON object text per row (in order): keys named by
 * `labels` (one per bucket order), money as strings like every JSON answer, written by DuckDB.
 * Turning 50,000 rows into JS values and back took longer than the query at 10M invoices.
 */
export function agingPivotJsonSql(keys: readonly PivotKey[], bounds: readonly number[], labels: readonly string[]): string {
  const orders = bucketOrders(bounds.length);
  if (labels.length !== orders.length) throw new Error(`expected ${orders.length} bucket labels, got ${labels.length}`);
  const quote = (k: string) => `'${k.replace(/'/g, "''")}'`;
  const fields = [
    ...keys.map((k) => `${quote(k)}: ${k}`),
    ...orders.map((k, i) => `${quote(labels[i])}: b${k}`),
    `'total': total`,
    `'invoices': invoices`,
  ];
  return `select to_json({${fields.join(', ')}})::varchar as row_json from (${agingPivotSql(keys, bounds, true)})`;
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

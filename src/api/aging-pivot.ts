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

/** Grouping columns the pivot offers: customer facts (from `int_customers_resolved`) or currency. */
export type PivotKey = 'customer_id' | 'customer_name' | 'segment' | 'collector' | 'country' | 'currency';

/**
 * SQL of the aging pivot: per group, one sum per bucket order, the total and the item count,
 * largest total first. Bind `$1` as-of date, `$2` basis ('due' | 'invoice'), `$3` segment,
 * `$4` collector, `$5` country (NULL = all).
 *
 * The same numbers as grouping `aging_with($1, $2, bounds)`, computed the cheap way round: the
 * open items are summed per customer and currency straight from `int_open_item_intervals`, with
 * the bucket written out as a CASE on the (validated, integer) bounds, and only those partial
 * sums (one row per customer) meet the customer facts, for the filters and the grouping. Joining
 * every open item to its customer first took most of a second at 10M invoices.
 * `asText` renders money as text in SQL: what JSON and CSV need, and much faster than converting
 * DECIMAL values in JS; files keep DECIMAL. `atBuild`: `$1` is the build's as-of, so the open
 * items are `ar_aging`'s rows (the same set, a tenth of the intervals to scan at 10M invoices);
 * the buckets are still computed from the dates with the bounds and basis asked for.
 */
export function agingPivotSql(keys: readonly PivotKey[], bounds: readonly number[], asText: boolean, atBuild = false): string {
  if (!bounds.every((b) => Number.isInteger(b))) throw new Error(`aging bounds must be whole numbers: ${bounds.join(',')}`);
  const n = bounds.length;
  const orders = bucketOrders(n);
  const money = (expr: string) => (asText ? `(${expr})::varchar` : expr);
  // Same buckets as the aging_bucket_order macro: 0 current (not yet due), bucket i up to bound i, n + 1 past the last.
  const bucket = `case when is_unapplied then ${n + 2} when age_days <= 0 then 0 ${bounds
    .map((b, i) => `when age_days <= ${b} then ${i + 1}`)
    .join(' ')} else ${n + 1} end`;
  const partial = orders.map((k) => `sum(outstanding_reporting) filter (where bucket_order = ${k}) as b${k}`);
  const sums = orders.map((k) => `${money(`coalesce(sum(per.b${k}), 0)`)} as b${k}`);
  const qualified = keys.map((k) => (k === 'currency' ? 'per.currency' : `customers.${k}`));
  return `with items as (
      select customer_id, currency, outstanding_reporting, ${bucket} as bucket_order
      from (
        select *, ($1::date - (case when $2 = 'invoice' then invoice_date else due_date end))::integer as age_days
        from ${
          atBuild
            ? `(select customer_id, currency, outstanding_reporting, bucket = 'unapplied' as is_unapplied, invoice_date, due_date from ar_aging)`
            : `int_open_item_intervals where valid_from <= $1::date and (valid_to is null or valid_to > $1::date)`
        }
      )
    ),
    per as (
      select customer_id, currency, ${partial.join(', ')}, sum(outstanding_reporting) as total, count(*) as items
      from items
      group by customer_id, currency
    )
    select ${keys.map((k, i) => `${qualified[i]} as ${k}`).join(', ')}, ${sums.join(', ')},
           ${money('sum(per.total)')} as total, sum(per.items)::integer as invoices
    from per
    left join int_customers_resolved as customers on customers.customer_id = per.customer_id
    where ($3::varchar is null or customers.segment = $3)
      and ($4::varchar is null or customers.collector = $4)
      and ($5::varchar is null or customers.country = $5)
    group by ${qualified.join(', ')}
    order by sum(per.total) desc, ${qualified.join(', ')}`;
}

/**
 * The same pivot as `agingPivotSql`, one JSON object text per row (in order): keys named by
 * `labels` (one per bucket order), money as strings like every JSON answer, written by DuckDB.
 * Turning 50,000 rows into JS values and back took longer than the query at 10M invoices.
 */
export function agingPivotJsonSql(keys: readonly PivotKey[], bounds: readonly number[], labels: readonly string[], atBuild = false): string {
  const orders = bucketOrders(bounds.length);
  if (labels.length !== orders.length) throw new Error(`expected ${orders.length} bucket labels, got ${labels.length}`);
  const quote = (k: string) => `'${k.replace(/'/g, "''")}'`;
  const fields = [
    ...keys.map((k) => `${quote(k)}: ${k}`),
    ...orders.map((k, i) => `${quote(labels[i])}: b${k}`),
    `'total': total`,
    `'invoices': invoices`,
  ];
  return `select to_json({${fields.join(', ')}})::varchar as row_json from (${agingPivotSql(keys, bounds, true, atBuild)})`;
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

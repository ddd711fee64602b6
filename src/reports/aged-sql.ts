import { bucketOrders } from '../api/aging-pivot.ts';

/** Reporting: every document in one currency at the models' rate; document: each in its own, grouped by currency. */
export type AgedMode = 'reporting' | 'document';

const FILTERS = `($segment::varchar is null or segment = $segment::varchar)
      and ($country::varchar is null or country = $country::varchar)
      and ($collector::varchar is null or collector = $collector::varchar)`;

/**
 * Cells of the report, one per customer, currency and bucket order, from `aging_at` (the open
 * items of the as-of, aged with the build's basis and buckets). In reporting mode a cell is the
 * reporting-currency balance divided by `reporting_per_unit` of `$currency` (as the CFO dashboard
 * converts), rounded to the currency's `digits`, so the totals foot to the cells shown.
 */
function cellsSql(mode: AgedMode, digits: number): string {
  if (mode === 'document') {
    return `select customer_id, any_value(customer_name) as customer_name, currency, bucket_order, sum(outstanding)::decimal(38, 2) as amount
    from aging_at($as_of::date)
    where ${FILTERS}
    group by customer_id, currency, bucket_order`;
  }
  return `select customer_id, any_value(customer_name) as customer_name, $currency::varchar as currency, bucket_order,
        round(sum(outstanding_reporting) / any_value(fx.f), ${digits})::decimal(38, 2) as amount
    from aging_at($as_of::date) cross join (select reporting_per_unit($currency::varchar, $as_of::date) as f) as fx
    where ${FILTERS}
    group by customer_id, bucket_order`;
}

/**
 * SQL of the aged receivables report: per currency, one row per customer with one column per bucket
 * order (`b0` current ... `b{n+1}` past the last bound, `b{n+2}` unapplied cash) and `total`, then
 * that currency's totals row (`is_total`); customers by total, largest first. Money is DECIMAL
 * rendered as text by DuckDB, never a JS number. `n` is the number of the build's bucket bounds
 * and `digits` the decimals of the reporting currency (only read in reporting mode).
 * Bind `$as_of`, `$currency` (reporting mode), `$segment`, `$country`, `$collector` (NULL = all).
 */
export function agedSql(mode: AgedMode, n: number, digits: number): string {
  const sums = bucketOrders(n).map((k) => `coalesce(sum(amount) filter (where bucket_order = ${k}), 0)::varchar as b${k}`);
  return `with cells as (
    ${cellsSql(mode, digits)}
),

final as (
    select currency, grouping(customer_id) = 1 as is_total, customer_id, any_value(customer_name) as customer_name,
        ${sums.join(',\n        ')},
        sum(amount)::varchar as total,
        sum(amount) as sort_total
    from cells
    group by grouping sets ((currency, customer_id), (currency))
)

select * exclude (sort_total) from final
order by currency, is_total, sort_total desc, customer_id`;
}

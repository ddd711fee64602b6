-- One row per calendar month (first promise month to the build's as-of) per collector; money in reporting currency (fct_promises.amount_reporting: the promise amount at the rate of its currency on the promise date).
-- Promises count in the month they were made (promise_date), with their status as of the build (see fct_promises):
--   made = promises made in the month = kept + broken + pending
--   kept_rate_pct   = kept / (kept + broken) x 100 (pending ones are not decided yet; NULL when none is decided)
--   amount_promised = sum of the amounts promised;  amount_kept = sum of the amounts of kept promises
-- Collector: the promise's own, else the customer's, else 'unassigned'. The promise's currency is fct_promises'.
with options as (
    select as_of from build_options
),

promises as (
    select * from fct_promises
),

customers as (
    select customer_id, collector from stg_customers
),

attributed as (
    select
        promises.promise_id,
        coalesce(promises.collector, customers.collector, 'unassigned') as collector,
        date_trunc('month', promises.promise_date)::date as month,
        promises.status,
        promises.amount_reporting
    from promises
    left join customers on customers.customer_id = promises.customer_id
),

months as (
    select unnest(generate_series(
        (select min(month) from attributed),
        date_trunc('month', (select as_of from options)),
        interval 1 month
    ))::date as month
),

collectors as (
    select distinct collector from attributed
),

by_month as (
    select
        month,
        collector,
        count(*) as made,
        count(*) filter (where status = 'kept') as kept,
        count(*) filter (where status = 'broken') as broken,
        count(*) filter (where status = 'pending') as pending,
        sum(amount_reporting) as amount_promised,
        sum(amount_reporting) filter (where status = 'kept') as amount_kept
    from attributed
    group by all
),

final as (
    select
        months.month,
        collectors.collector,
        coalesce(by_month.made, 0) as made,
        coalesce(by_month.kept, 0) as kept,
        coalesce(by_month.broken, 0) as broken,
        coalesce(by_month.pending, 0) as pending,
        round(100 * by_month.kept / nullif(by_month.kept + by_month.broken, 0), 2)::decimal(12, 2) as kept_rate_pct,
        coalesce(by_month.amount_promised, 0)::decimal(18, 2) as amount_promised,
        coalesce(by_month.amount_kept, 0)::decimal(18, 2) as amount_kept
    from months
    cross join collectors
    left join by_month on by_month.month = months.month and by_month.collector = collectors.collector
)

select * from final order by month, collector

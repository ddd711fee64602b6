-- Table macro: one row per customer, currency and aging bucket as of a date: the open balance in reporting currency (outstanding_reporting) and the open items (items).
-- The same numbers as grouping aging_with(as_of, basis, bounds) by customer, currency and bucket_order (bucket_order = buckets + 2 is unapplied cash),
-- computed the cheap way round: items are summed per customer before anything meets the customers (the API's aging pivot groups these rows).
-- At the build's own as-of the open items are ar_aging's rows (a tenth of the intervals to scan at 10M invoices), aged again with the basis and bounds asked for.
create or replace macro aging_balances(as_of, basis, bounds) as table
with at_build as (
    select customer_id, currency, outstanding_reporting, bucket = 'unapplied' as is_unapplied, invoice_date, due_date
    from ar_aging
    where as_of::date = (select built.as_of from build_options as built)
),

at_other_dates as (
    select customer_id, currency, outstanding_reporting, is_unapplied, invoice_date, due_date
    from int_open_item_intervals
    where as_of::date <> (select built.as_of from build_options as built)
      and valid_from <= as_of::date
      and (valid_to is null or valid_to > as_of::date)
),

open_items as (
    select * from at_build
    union all
    select * from at_other_dates
),

aged as (
    select
        customer_id,
        currency,
        outstanding_reporting,
        case
            when is_unapplied then len(bounds) + 2
            else aging_bucket_order((as_of::date - (case when basis = 'invoice' then invoice_date else due_date end))::integer, bounds)
        end as bucket_order
    from open_items
),

final as (
    select customer_id, currency, bucket_order::integer as bucket_order, sum(outstanding_reporting) as outstanding_reporting, count(*)::integer as items
    from aged
    group by customer_id, currency, bucket_order
)

select * from final

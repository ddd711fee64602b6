-- Table macro: one row per open item as of a date, aged by due date (basis 'due') or invoice date (basis 'invoice') into buckets with the given upper bounds; money in item currency (outstanding) and reporting currency (outstanding_reporting, at the item's own rate).
-- Unapplied payments and unreferenced credit notes are negative lines in bucket 'unapplied' (bucket_order = buckets + 2),
-- so the buckets of a customer always sum to its open balance.
create or replace macro aging_with(as_of, basis, bounds) as table
with open_items as (
    select *
    from int_open_item_intervals
    where valid_from <= as_of::date
      and (valid_to is null or valid_to > as_of::date)
),

aged as (
    select
        open_items.*,
        customers.customer_name,
        customers.segment,
        customers.collector,
        customers.country,
        (as_of::date - (case when basis = 'invoice' then invoice_date else due_date end))::integer as age_days
    from open_items
    left join int_customers_resolved as customers on customers.customer_id = open_items.customer_id
),

final as (
    select
        as_of::date as as_of,
        invoice_id,
        customer_id,
        customer_name,
        segment,
        collector,
        country,
        currency,
        document_type,
        invoice_date,
        due_date,
        age_days as days_past_due,
        case when is_unapplied then 'unapplied' else aging_bucket_label(aging_bucket_order(age_days, bounds), bounds) end as bucket,
        (case when is_unapplied then len(bounds) + 2 else aging_bucket_order(age_days, bounds) end)::integer as bucket_order,
        outstanding,
        outstanding_reporting,
        payment_id
    from aged
)

select * from final;

-- One row per promise to pay made on or before the build's as-of, kept/broken/pending as of that date; money in document currency (amount, paid_in_window).
-- When the export gives no outcome: kept if the customer's collections (on the promised invoice, when one is named)
-- from the promise date to the promised date reach the promised amount; broken once the promised date has passed
-- without that; pending before. A promise closed in Cartera (kept or broken) takes that status from its closed_date on.
with options as (
    select * from build_options
),

promises as (
    select * from int_promises_unioned
    where promise_date <= (select as_of from options)
),

-- Only the promising customers' collections (nothing to read when there are no promises).
collections as (
    select customer_id, applied_invoice_id as invoice_id, payment_date, amount
    from int_payments_unioned
    where not is_write_off and payment_date <= (select as_of from options)
      and customer_id in (select customer_id from promises)
),

paid as (
    -- Two joins rather than one with "invoice_id is null or ...": an OR in the join condition
    -- turns DuckDB's hash join into a nested loop (40 s on the demo data instead of a blink).
    select
        promises.promise_id,
        coalesce(sum(collections.amount), 0) as paid_in_window
    from promises
    left join collections
        on collections.customer_id = promises.customer_id
        and collections.invoice_id = promises.invoice_id
        and collections.payment_date between promises.promise_date and promises.promised_date
    where promises.invoice_id is not null
    group by promises.promise_id

    union all

    select
        promises.promise_id,
        coalesce(sum(collections.amount), 0) as paid_in_window
    from promises
    left join collections
        on collections.customer_id = promises.customer_id
        and collections.payment_date between promises.promise_date and promises.promised_date
    where promises.invoice_id is null
    group by promises.promise_id
),

final as (
    select
        promises.promise_id,
        promises.customer_id,
        promises.invoice_id,
        promises.promise_date,
        promises.promised_date,
        promises.amount,
        paid.paid_in_window::decimal(18, 2) as paid_in_window,
        promises.collector,
        case
            when promises.source_status in ('kept', 'broken') and promises.closed_date <= options.as_of then promises.source_status
            when promises.source_status in ('kept', 'broken') and promises.promised_date <= options.as_of and promises.closed_date is null then promises.source_status
            when paid.paid_in_window >= promises.amount then 'kept'
            when promises.promised_date < options.as_of then 'broken'
            else 'pending'
        end as status,
        promises.source_status is null or promises.source_status not in ('kept', 'broken') as status_derived,
        promises.source,
        promises.recorded_by,
        promises.recorded_at
    from promises
    cross join options
    join paid on paid.promise_id = promises.promise_id
)

select * from final

-- One row per promise to pay made on or before the build's as-of, kept/broken/pending as of that date; money in the promise's currency (amount, paid_in_window) and reporting currency (amount_reporting, at the promise-date rate).
-- currency: the one recorded with the promise in Cartera, else the promised invoice's, else the customer's most frequent
--   currency among its documents issued by the promise date (the export names no currency), else the reporting currency.
-- amount_reporting = amount x fx_factor, the daily factor of that currency on the promise date (int_fx_factors_daily).
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

-- Every document: those issued by the as-of and the few after it. Both are tables, which a records build reads rather than
-- computing int_invoices_enriched (a view once published) over every exported invoice.
documents as (
    select invoice_id, customer_id, invoice_date, currency from fct_invoices
    union all
    select invoice_id, customer_id, invoice_date, currency from int_documents_issued_later
),

-- Only the promised documents.
promised_documents as (
    select invoice_id, any_value(currency) as currency
    from documents
    where invoice_id in (select invoice_id from promises)
    group by invoice_id
),

-- A promise naming no known invoice: the customer's most frequent currency among its documents issued by the promise
-- date (ties to the first code), so a later document never changes how a past promise converts, and a rate exists.
-- The promises that need it are picked first: filtered after the join, every promise met every document of its customer
-- (29.6M rows for 233,000 promises on the demo-shaped 1M-invoice warehouse, where every promise names its invoice).
needing_currency as (
    select promise_id, customer_id, promise_date
    from promises
    where currency is null
      and (invoice_id is null or invoice_id not in (select invoice_id from promised_documents))
),

customer_currencies as (
    select promises.promise_id, documents.currency
    from needing_currency as promises
    join documents
        on documents.customer_id = promises.customer_id
        and documents.invoice_date <= promises.promise_date
    group by promises.promise_id, documents.currency
    qualify row_number() over (partition by promises.promise_id order by count(*) desc, documents.currency) = 1
),

in_currency as (
    select
        promises.* exclude (currency),
        coalesce(promises.currency, promised_documents.currency, customer_currencies.currency, options.reporting_currency) as currency
    from promises
    cross join options
    left join promised_documents on promised_documents.invoice_id = promises.invoice_id
    left join customer_currencies on customer_currencies.promise_id = promises.promise_id
),

converted as (
    select
        in_currency.*,
        fx_factor_checked(in_currency.currency, in_currency.promise_date, fx.factor, fx.missing_currency, options.reporting_currency, options.as_of)::decimal(18, 10) as fx_factor
    from in_currency
    cross join options
    left join int_fx_factors_daily as fx on fx.currency = in_currency.currency and fx.day = in_currency.promise_date
),

-- Only the promising customers' collections (nothing to read when there are no promises). A promise on an invoice
-- counts what the cash took off that invoice (applied_amount, in the invoice's currency); one on the account counts
-- cash received in the promise's own currency: amounts in two currencies are never added up.
collections as (
    select customer_id, applied_invoice_id as invoice_id, payment_date, amount, applied_amount, currency
    from int_payments_unioned
    where not is_write_off and payment_date <= (select as_of from options)
      and customer_id in (select customer_id from promises)
),

paid as (
    -- Two joins rather than one with "invoice_id is null or ...": an OR in the join condition
    -- turns DuckDB's hash join into a nested loop (40 s on the demo data instead of a blink).
    select
        promises.promise_id,
        coalesce(sum(collections.applied_amount), 0) as paid_in_window
    from converted as promises
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
    from converted as promises
    left join collections
        on collections.customer_id = promises.customer_id
        and collections.currency = promises.currency
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
        promises.currency,
        promises.fx_factor,
        to_reporting(promises.amount, promises.fx_factor) as amount_reporting,
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
    from converted as promises
    cross join options
    join paid on paid.promise_id = promises.promise_id
)

select * from final

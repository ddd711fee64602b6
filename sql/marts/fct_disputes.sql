-- One row per dispute opened on or before the build's as-of, with its state as of that date; money in the disputed document's currency (amount) and reporting currency (amount_reporting).
with options as (
    select * from build_options
),

disputes as (
    select * from int_disputes_unioned
    where opened_date <= (select as_of from options)
),

-- Only the disputed documents: a few rows against millions (and nothing to read when there are no disputes).
documents as (
    select invoice_id, customer_id, amount, currency, fx_factor from int_invoices_enriched
    where invoice_id in (select invoice_id from disputes)
),

final as (
    select
        disputes.dispute_id,
        disputes.invoice_id,
        coalesce(disputes.customer_id, documents.customer_id) as customer_id,
        disputes.opened_date,
        -- A resolution after the as-of had not happened yet.
        case when disputes.resolved_date <= options.as_of then disputes.resolved_date end as resolved_date,
        coalesce(disputes.amount, documents.amount) as amount,
        documents.currency,
        to_reporting(coalesce(disputes.amount, documents.amount), documents.fx_factor) as amount_reporting,
        disputes.reason,
        case
            when disputes.resolved_date <= options.as_of then coalesce(nullif(disputes.source_status, 'open'), 'resolved')
            else 'open'
        end as status,
        coalesce(least(disputes.resolved_date, options.as_of), options.as_of) - disputes.opened_date as days_open,
        disputes.source,
        disputes.recorded_by,
        disputes.recorded_at
    from disputes
    cross join options
    left join documents on documents.invoice_id = disputes.invoice_id
)

select * from final

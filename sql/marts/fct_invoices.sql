-- One row per document (invoice, credit note, debit note) issued on or before the build's as-of, with its state as of that date; money in document currency and *_reporting in reporting currency (invoice-date rate).
-- paid_date: the day the balance last reached zero (collections and credits; not when closed by write-off); cash received
--   before the invoice existed (a prepayment) settles it on its invoice date: paid_date = invoice_date, 0 days to pay;
-- days_to_pay = paid_date - invoice_date; days_late = max(0, paid_date - due_date); days_past_due = as_of - due_date while open.
-- A balance below zero (paid or credited beyond the amount) is unapplied credit: bucket 'unapplied', never a negative
--   balance in the document's own bucket, where it would understate what is past due.
-- invoice_date_source: 'due_date' where the export had no issue date and its due date stands in for it, else 'export'.
with options as (
    select * from build_options
),

documents as (
    select * from int_invoices_enriched
    where invoice_date <= (select as_of from options)
),

movements as (
    select * from int_ar_movements
    where movement_date <= (select as_of from options)
),

disputes as (
    select distinct invoice_id from stg_disputes
    where opened_date <= (select as_of from options)
),

balances as (
    select
        item_key,
        sum(delta) as outstanding,
        sum(delta_reporting) as outstanding_reporting,
        -sum(delta) filter (where movement_type = 'collection') as paid_amount,
        -sum(delta) filter (where movement_type = 'credit_applied') as credited_amount,
        -sum(delta) filter (where movement_type = 'write_off') as written_off_amount,
        -- Settled when the balance falls to zero or below: by a payment, or by its own issue when it was prepaid.
        max(movement_date) filter (
            where balance_after <= 0
              and (balance_before > 0 or (movement_type in ('invoice', 'debit_note') and balance_before < 0))
        ) as settled_date
    from movements
    group by item_key
),

stated as (
    select
        documents.*,
        coalesce(balances.paid_amount, 0) as paid_amount,
        coalesce(balances.credited_amount, 0) as credited_amount,
        coalesce(balances.written_off_amount, 0) as written_off_amount,
        coalesce(balances.outstanding, documents.amount) as outstanding,
        coalesce(balances.outstanding_reporting, documents.amount_reporting) as outstanding_reporting,
        balances.settled_date,
        documents.disputed or documents.invoice_id in (select invoice_id from disputes) as is_disputed,
        options.as_of,
        options.buckets,
        options.basis
    from documents
    cross join options
    left join balances on balances.item_key = documents.doc_key
),

settled as (
    select
        *,
        case
            when document_type <> 'credit_note' and outstanding <= 0 and written_off_amount = 0 then settled_date
        end as paid_date,
        (as_of - (case when basis = 'invoice' then invoice_date else due_date end))::integer as age_days
    from stated
),

final as (
    select
        invoice_id,
        customer_id,
        customer_name,
        document_type,
        invoice_date,
        due_date,
        amount,
        currency,
        amount_reporting,
        paid_amount::decimal(18, 2) as paid_amount,
        credited_amount::decimal(18, 2) as credited_amount,
        written_off_amount::decimal(18, 2) as written_off_amount,
        outstanding::decimal(18, 2) as outstanding,
        outstanding_reporting::decimal(18, 2) as outstanding_reporting,
        paid_date,
        (paid_date - invoice_date)::integer as days_to_pay,
        (case when paid_date is not null then greatest(0, paid_date - due_date) end)::integer as days_late,
        (case when outstanding <> 0 then as_of - due_date end)::integer as days_past_due,
        case
            when outstanding = 0 then null
            when document_type = 'credit_note' or outstanding < 0 then 'unapplied'
            else aging_bucket_label(aging_bucket_order(age_days, buckets), buckets)
        end as bucket,
        case
            when outstanding = 0 then null
            when document_type = 'credit_note' or outstanding < 0 then len(buckets) + 2
            else aging_bucket_order(age_days, buckets)
        end::integer as bucket_order,
        is_disputed as disputed,
        case
            when document_type = 'credit_note' then (case when outstanding = 0 then 'applied' else 'open' end)
            when outstanding <= 0 and written_off_amount > 0 then 'written_off'
            when outstanding <= 0 then 'paid'
            when source_status in ('legal', 'written_off') then source_status
            else 'open'
        end as status,
        collector,
        segment,
        country,
        payment_terms_days,
        invoice_date_source
    from settled
)

select * from final

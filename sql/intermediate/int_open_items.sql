-- One row per item that can carry an open balance: every document, plus every unapplied payment as its own item; money in item currency (amount) and reporting currency (amount_reporting).
-- materialized: view (a plain union of two tables already built; a copy would cost a full write of their text columns)
-- item_key: the document's doc_key, or minus the payment's pay_key for unapplied cash.
with documents as (
    select * from int_invoices_enriched
),

payments as (
    select * from int_payments_unioned
),

document_items as (
    select
        doc_key as item_key,
        'document' as item_kind,
        invoice_id,
        null::varchar as payment_id,
        customer_id,
        customer_name,
        segment,
        collector,
        country,
        currency,
        document_type,
        invoice_date,
        due_date,
        amount,
        amount_reporting,
        fx_factor
    from documents
),

-- Unapplied cash is reported under its customer's facts.
customer_facts as (
    select * from int_customers_resolved
),

payment_items as (
    select
        -payments.pay_key as item_key,
        'unapplied_payment' as item_kind,
        null::varchar as invoice_id,
        payments.payment_id,
        payments.customer_id,
        customer_facts.customer_name,
        customer_facts.segment,
        customer_facts.collector,
        customer_facts.country,
        payments.currency,
        case when payments.is_write_off then 'write_off' else 'payment' end as document_type,
        payments.payment_date as invoice_date,
        payments.payment_date as due_date,
        -payments.amount as amount,
        -payments.amount_reporting as amount_reporting,
        payments.fx_factor
    from payments
    left join customer_facts on customer_facts.customer_id = payments.customer_id
    where payments.applied_doc_key is null
),

final as (
    select * from document_items
    union all
    select * from payment_items
)

select * from final

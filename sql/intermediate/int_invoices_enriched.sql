-- One row per document with its customer's facts, resolved due date and fx factor; money in document currency (amount) and reporting currency (amount_reporting, at the invoice-date rate).
-- materialized: ephemeral (fct_invoices is the copy analysts read; this one is only read by the build, from memory)
with invoices as (
    select * from stg_invoices
),

customers as (
    select * from stg_customers
),

fx as (
    select * from int_fx_factors_daily
),

options as (
    select * from build_options
),

joined as (
    select
        -- The unmapped columns stay in staging: dim_attributes reads them there.
        invoices.* exclude (extra),
        customers.name as master_name,
        customers.country as master_country,
        customers.segment,
        customers.collector,
        customers.payment_terms_days as customer_terms_days
    from invoices
    left join customers on customers.customer_id = invoices.customer_id
),

resolved as (
    select
        *,
        coalesce(payment_terms_days, customer_terms_days, due_date - invoice_date, 0)::integer as terms_days,
        -- A missing due date falls due after the invoice's terms, else the customer's, else at once.
        coalesce(due_date, invoice_date + coalesce(payment_terms_days, customer_terms_days, 0)::integer) as resolved_due_date
    from joined
),

converted as (
    select
        resolved.*,
        fx_factor_checked(resolved.currency, resolved.invoice_date, fx.factor, fx.missing_currency, options.reporting_currency, options.as_of) as fx_factor
    from resolved
    cross join options
    left join fx on fx.currency = resolved.currency and fx.day = resolved.invoice_date
),

final as (
    select
        -- Internal integer key (from 1): joins and sorts on it are far cheaper than on ERP text ids at 10M rows.
        source_rowid + 1 as doc_key,
        batch_id,
        invoice_id,
        customer_id,
        coalesce(master_name, customer_name) as customer_name,
        document_type,
        invoice_date,
        invoice_date_source,
        resolved_due_date as due_date,
        terms_days as payment_terms_days,
        amount,
        currency,
        fx_factor::decimal(18, 10) as fx_factor,
        to_reporting(amount, fx_factor) as amount_reporting,
        disputed,
        source_status,
        reference,
        segment,
        collector,
        coalesce(master_country, country) as country,
        paid_date as source_paid_date,
        paid_amount as source_paid_amount,
        outstanding as source_outstanding,
        days_to_pay as source_days_to_pay
    from converted
)

select * from final

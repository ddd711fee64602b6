-- One row per payment or write-off dated on or before the build's as-of (exported or derived from invoices); money in payment currency (amount) and reporting currency (amount_reporting, payment-date rate).
-- materialized: view (a filter and projection of int_payments_unioned; a copy cost a 9M-row write, 14 s at 10M invoices)
with options as (
    select * from build_options
),

payments as (
    select * from int_payments_unioned
    where payment_date <= (select as_of from options)
),

final as (
    select
        payment_id,
        customer_id,
        invoice_id,
        payment_date,
        amount,
        currency,
        amount_reporting,
        method,
        is_write_off,
        is_derived,
        applied_invoice_id is not null as is_applied
    from payments
)

select * from final

-- One row per payment-complement (REP) finding as of the build's as-of; money in the invoice's currency.
-- Two findings, for the SAT's rule that every payment of a PPD invoice gets a payment complement by the 5th day of the month after it:
--   paid_without_complement  a PPD CFDI invoice whose cash received (fct_invoices.paid_amount: CFDI complements, ERP or bank
--                            payments, or what an invoices-only export says was paid) exceeds what its complements issued by the
--                            as-of cover; amount = the difference; payment_date = its last cash no such complement reports; deadline = the 5th of the month
--                            after that; days_late = as_of - deadline when past it, else 0.
--   late_complement          a complement line issued after the deadline of its payment date; amount = what it paid;
--                            days_late = issued_date - deadline.
with options as (
    select as_of from build_options
),

ppd_invoices as (
    select invoice_id, customer_id, currency from stg_cfdi_invoices
    where payment_method = 'PPD'
),

complements as (
    select *, (date_trunc('month', payment_date) + interval 1 month + interval 4 day)::date as deadline
    from stg_cfdi_payment_complements
    where issued_date <= (select as_of from options) and payment_date <= (select as_of from options)
),

complemented as (
    select invoice_id, sum(amount) as complemented_amount
    from complements
    group by invoice_id
),

-- The last cash no complement issued by the as-of reports.
last_cash as (
    select invoice_id, max(payment_date) as payment_date
    from fct_payments
    where is_applied and not is_write_off and payment_id not in (select complement_line_id from complements)
    group by invoice_id
),

uncomplemented as (
    select
        'paid_without_complement' as finding,
        ppd_invoices.invoice_id,
        ppd_invoices.customer_id,
        ppd_invoices.currency,
        null::varchar as complement_uuid,
        last_cash.payment_date,
        (date_trunc('month', last_cash.payment_date) + interval 1 month + interval 4 day)::date as deadline,
        null::date as complement_issued_date,
        fct_invoices.paid_amount - coalesce(complemented.complemented_amount, 0) as amount
    from ppd_invoices
    join fct_invoices using (invoice_id)
    left join complemented using (invoice_id)
    left join last_cash using (invoice_id)
    where fct_invoices.paid_amount > coalesce(complemented.complemented_amount, 0)
),

late as (
    select
        'late_complement' as finding,
        complements.invoice_id,
        complements.customer_id,
        complements.currency,
        complements.complement_uuid,
        complements.payment_date,
        complements.deadline,
        complements.issued_date as complement_issued_date,
        complements.amount
    from complements
    where complements.issued_date > complements.deadline
),

final as (
    select
        finding,
        invoice_id,
        customer_id,
        currency,
        complement_uuid,
        payment_date,
        deadline,
        complement_issued_date,
        greatest(coalesce(complement_issued_date, (select as_of from options)) - deadline, 0)::integer as days_late,
        amount::decimal(18, 2) as amount
    from (select * from uncomplemented union all select * from late)
)

select * from final

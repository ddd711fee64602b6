-- Table macro: rep_compliance_at(as_of), one row per payment-complement (REP) finding at a date; money in the invoice's currency.
-- The rule is agg_cfdi_rep_compliance's (its .yml): that mart is this macro at the build's as-of, and the CFO page calls it
-- at its own as-of. At a date, only PPD invoices issued by then, cash dated by then and complements issued by then count,
-- and days late run to it. Cash is int_payments_unioned's applied_amount (in the invoice's currency, by payment date):
-- what fct_invoices.paid_amount sums at the build's as-of, at any earlier date. Past the build's as-of nothing more is
-- known: the ledger ends there. The CFDIs are read from int_cfdi_ppd_invoices and int_cfdi_payment_complements, tables
-- made once per build, not from their staging views, which parse JSON on every read of a page. invoice_id is the ledger's
-- number (an ERP's, when it keeps the books), cfdi_uuid the invoice's UUID, which a complement must name.
create or replace macro rep_compliance_at(as_of) as table
-- Inside a macro a bare as_of is the parameter, even where a table has a column of that name: qualify it.
with ppd_invoices as (
    select invoice_id, cfdi_uuid, customer_id, currency
    from int_cfdi_ppd_invoices
    where invoice_date <= as_of::date
),

complements as (
    select *
    from int_cfdi_payment_complements
    where issued_date <= as_of::date and payment_date <= as_of::date
),

complemented as (
    select invoice_id, sum(amount) as complemented_amount
    from complements
    group by invoice_id
),

-- Cash applied to a PPD invoice by the date (collections, not write-offs), in the invoice's currency.
cash as (
    select payments.applied_invoice_id as invoice_id, payments.payment_id, payments.payment_date, payments.applied_amount
    from int_payments_unioned as payments
    where payments.applied_invoice_id in (select invoice_id from ppd_invoices)
      and not payments.is_write_off and payments.payment_date <= as_of::date
),

paid as (
    select invoice_id, sum(applied_amount) as paid_amount
    from cash
    group by invoice_id
),

-- The last cash no complement issued by the date reports.
last_cash as (
    select invoice_id, max(payment_date) as payment_date
    from cash
    where payment_id not in (select complement_line_id from complements)
    group by invoice_id
),

uncomplemented as (
    select
        'paid_without_complement' as finding,
        ppd_invoices.invoice_id,
        ppd_invoices.cfdi_uuid,
        ppd_invoices.customer_id,
        ppd_invoices.currency,
        null::varchar as complement_uuid,
        last_cash.payment_date,
        (date_trunc('month', last_cash.payment_date) + interval 1 month + interval 4 day)::date as deadline,
        null::date as complement_issued_date,
        paid.paid_amount - coalesce(complemented.complemented_amount, 0) as amount
    from ppd_invoices
    join paid on paid.invoice_id = ppd_invoices.invoice_id
    left join complemented on complemented.invoice_id = ppd_invoices.invoice_id
    left join last_cash on last_cash.invoice_id = ppd_invoices.invoice_id
    where paid.paid_amount > coalesce(complemented.complemented_amount, 0)
),

late as (
    select
        'late_complement' as finding,
        complements.invoice_id,
        complements.cfdi_uuid,
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
        cfdi_uuid,
        customer_id,
        currency,
        complement_uuid,
        payment_date,
        deadline,
        complement_issued_date,
        greatest(coalesce(complement_issued_date, as_of::date) - deadline, 0)::integer as days_late,
        amount::decimal(18, 2) as amount
    from (select * from uncomplemented union all select * from late)
)

select * from final;

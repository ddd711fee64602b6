-- one row per invoice of temp table risk_record_rows with payments applied to it (write-offs aside; of temp view risk_record_payments: every customer's, or a few customers'), from any date: what was paid in all, in how many payments, and the first and last payment dates
-- A temp table (risk_invoice_paid) before customer_record.sql and parts_payments.sql, so the planner knows how few invoices were paid in parts.
select
    customer_id,
    invoice_id,
    sum(amount_reporting) as paid_total,
    count(*) as n_payments_total,
    min(payment_date) as first_paid_on,
    max(payment_date) as last_paid_on
from risk_record_payments
where invoice_id in (select invoice_id from risk_record_rows) and not coalesce(is_write_off, false)
group by customer_id, invoice_id

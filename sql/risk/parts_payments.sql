-- one row per payment (write-offs aside) of an invoice paid in several payments (temp table risk_invoice_paid first): the payments features.sql sums to a date between an invoice's first and last
-- A temp table (risk_parts_payments) before features.sql: few rows, which the planner then knows.
select p.customer_id, p.invoice_id, ip.first_paid_on, ip.last_paid_on, p.payment_date, p.amount_reporting
from risk_record_payments as p
join (select customer_id, invoice_id, first_paid_on, last_paid_on from risk_invoice_paid where n_payments_total > 1) as ip
    using (customer_id, invoice_id)
where not coalesce(p.is_write_off, false)

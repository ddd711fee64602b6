-- one row per customer: the count and the sum of the hashes of what its record is computed from (customer_record.sql, invoice_paid.sql): its invoices' columns the record reads and the payments applied to them
-- The record store (src/risk/record-store.ts) keeps a customer's record while these stay the same.
select customer_id, count(*) as n, sum(h) as h
from (
    select customer_id, hash(invoice_id, invoice_date, amount, due_date, settled_date) as h
    from risk_src_invoices
    union all
    select customer_id, hash(invoice_id, payment_date, amount_reporting, is_write_off)
    from risk_src_payments
    where invoice_id is not null
)
group by customer_id

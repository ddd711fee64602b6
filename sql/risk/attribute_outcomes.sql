-- one row per invoice (temp view risk_src_invoices): the day its outcome became known (settled on time, or the late line passed) and whether it was late
-- Parameter $late_days: an invoice is late when not settled within $late_days days of its due date.
-- The same cut as the history features (sql/risk/features.sql). src/risk/attributes.ts keeps the outcomes of the days it
-- counts in a temp table (risk_attr_outcomes), so the planner knows its size: as a CTE it was guessed, and joining it to the
-- customers' values built the hash table on millions of outcomes rather than on the customers.
select
    invoice_id,
    customer_id,
    case when settled_date <= due_date + $late_days::int then settled_date else due_date + $late_days::int + 1 end as known_on,
    not coalesce(settled_date <= due_date + $late_days::int, false) as is_late
from risk_src_invoices

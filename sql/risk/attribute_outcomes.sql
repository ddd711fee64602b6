-- one row per invoice whose outcome was known by the latest date in temp table risk_targets: the day it became known (settled on time, or the late line passed) and whether it was late
-- Parameter $late_days: an invoice is late when not settled within $late_days days of its due date.
-- A temp table (risk_attr_outcomes) before attribute_features.sql, so the planner knows its size: as a CTE it was guessed,
-- and joining it to the customers' codes built the hash table on millions of outcomes rather than on the customers.
select * from (
    select
        invoice_id,
        customer_id,
        case when settled_date <= due_date + $late_days::int then settled_date else due_date + $late_days::int + 1 end as known_on,
        not coalesce(settled_date <= due_date + $late_days::int, false) as is_late
    from risk_src_invoices
)
where known_on <= (select max(as_of) from risk_targets)

-- one row per (fact, day): how many facts of that kind take effect that day, and the sum of their hashes; what sql/risk/features.sql reads of each source (the risk_src_* views), keyed by the first day it can move a feature
-- The feature store (src/risk/feature-store.ts) keeps an example's features, taken as of its issue date, while no fact of a day
-- up to that date has changed: features.sql counts an event only once dated on or before as_of (test/risk/leakage.test.ts).
-- A fact whose parts take effect on different days is split: an invoice is issued (its own columns) and later settled, a
-- dispute opened and later resolved, a promise made and later kept or broken. Columns no feature reads (an invoice's
-- outstanding today, its status) are left out, or every payment would look like a change to its invoice's issue day.
with

facts as (
    -- A segment's late share counts an outcome from its known day, which a settlement dated before the issue date (an
    -- export's error) brings forward: least() takes that day too, so the invoice's own columns count from then.
    select 'issued' as fact, least(invoice_date, due_date, settled_date) as day,
        hash(invoice_id, customer_id, invoice_date, due_date, amount, currency, document_type, terms_days, segment) as h
    from risk_src_invoices
    union all
    select 'settled', settled_date, hash(invoice_id, settled_date)
    from risk_src_invoices
    where settled_date is not null
    union all
    select 'payment', payment_date, hash(customer_id, invoice_id, payment_date, amount_reporting, is_write_off)
    from risk_src_payments
    union all
    select 'dispute', opened_date, hash(dispute_id, invoice_id, customer_id, opened_date)
    from risk_src_disputes
    union all
    select 'dispute_resolved', resolved_date, hash(dispute_id, invoice_id, customer_id, resolved_date)
    from risk_src_disputes
    where resolved_date is not null
    union all
    select 'promise', promise_date, hash(promise_id, customer_id, promise_date, promised_date)
    from risk_src_promises
    union all
    -- Its outcome counts from the day after the promised date; keyed on that date itself, or on the day it was made if earlier.
    select 'promise_status', least(promise_date, promised_date), hash(promise_id, customer_id, promise_date, promised_date, status)
    from risk_src_promises
    union all
    select 'activity', activity_date, hash(customer_id, activity_date)
    from risk_src_activities
)

-- A fact with no date takes effect from the start.
select fact, coalesce(day, date '0001-01-01') as day, count(*) as n, sum(h) as h
from facts
group by all

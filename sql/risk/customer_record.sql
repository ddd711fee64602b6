-- one row per invoice of temp view risk_record_invoices (every customer's, or a few customers'), with what that customer's record shows once its outcome is in, and what was paid on it in all (temp table risk_invoice_paid)
-- Parameter $late_days: an invoice is late when not settled within $late_days days of its due date.
-- Final outcomes, not outcomes as of any date: features.sql counts a row only once its outcome was known on the
-- target's as_of, so one record serves every as_of (training's issue dates, a score's date, a backtest's month-ends).
-- The record orders outcomes by when they entered it (known, and the invoice issued), latest last; of those entered the
-- same day, the lowest invoice id last. late_in_last5 counts the late among the five outcomes up to and including this one.
-- A temp table (risk_customer_record, src/risk/customer-record.ts): made once for an operation that builds features
-- several times (training then scoring, a backtest), it is read by each rather than sorted again.
select
    *,
    row_number() over record as record_order,
    -- Lags, not a frame: they ride on the same sort.
    is_late::int + coalesce(lag(is_late::int, 1) over record, 0) + coalesce(lag(is_late::int, 2) over record, 0)
        + coalesce(lag(is_late::int, 3) over record, 0) + coalesce(lag(is_late::int, 4) over record, 0) as late_in_last5
from (
    select
        i.customer_id, i.invoice_id, i.invoice_date, i.amount, i.due_date, i.settled_date,
        not coalesce(i.settled_date <= i.due_date + $late_days::int, false) as is_late,
        greatest(
            case when i.settled_date <= i.due_date + $late_days::int then i.settled_date else i.due_date + $late_days::int + 1 end,
            i.invoice_date) as entered_on,
        ip.paid_total, ip.n_payments_total, ip.first_paid_on, ip.last_paid_on
    from risk_record_invoices as i
    left join risk_invoice_paid as ip using (customer_id, invoice_id)
)
window record as (partition by customer_id order by entered_on, invoice_id desc)

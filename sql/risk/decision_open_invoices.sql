-- one row per invoice open at each month-end from $train_until whose next $horizon days are observed by $known_by; money columns DECIMAL(18,2) in reporting currency
-- Parameters: $train_until, $known_by, $late_days, $horizon. Late = not settled within $late_days days of the due date.
-- What defines the row (open, outstanding, days past due, already late) reads only events dated on or before as_of;
-- the outcome columns (actual_late, late_within_horizon, collected_later) read what happened after it, by $known_by.
-- Open ignores today's status: an invoice written off later was still open then (filtering on it would leak the future).
with

month_ends as (
    select last_day(m::date) as as_of
    from generate_series(date_trunc('month', $train_until::date), $known_by::date, interval 1 month) as t(m)
),

eligible_month_ends as (
    select as_of from month_ends
    where as_of >= $train_until::date and as_of + $horizon::int <= $known_by::date
),

invoices as (
    select invoice_id, customer_id, invoice_date, due_date, amount, settled_date
    from risk_src_invoices
),

open_at as (
    select m.as_of, i.*
    from eligible_month_ends as m
    join invoices as i
        on i.invoice_date <= m.as_of and (i.settled_date is null or i.settled_date > m.as_of)
),

payments as (
    select invoice_id, payment_date, amount_reporting
    from risk_src_payments
    where invoice_id is not null and not coalesce(is_write_off, false)
),

paid as (
    select
        o.as_of,
        o.invoice_id,
        coalesce(sum(p.amount_reporting) filter (where p.payment_date <= o.as_of), 0) as paid_by_as_of,
        coalesce(sum(p.amount_reporting) filter (where p.payment_date > o.as_of and p.payment_date <= $known_by::date), 0) as paid_after
    from open_at as o
    left join payments as p using (invoice_id)
    group by all
),

balances as (
    select
        o.*,
        greatest(o.amount - p.paid_by_as_of, 0)::decimal(18,2) as outstanding,
        p.paid_after
    from open_at as o
    join paid as p using (as_of, invoice_id)
),

final as (
    select
        invoice_id,
        customer_id,
        as_of,
        due_date,
        (as_of - due_date)::integer as days_past_due,
        outstanding,
        -- Past the late line on as_of and unsettled: its label is already decided, so it is not a prediction.
        due_date + $late_days::int < as_of as late_at_as_of,
        -- Null when the late line falls after the data's date (outcome not known yet), as in the issue-date backtest.
        case when due_date + $late_days::int < $known_by::date
             then not coalesce(settled_date <= due_date + $late_days::int, false) end as actual_late,
        -- Crosses the late line unsettled within the next $horizon days.
        due_date + $late_days::int >= as_of
            and due_date + $late_days::int < as_of + $horizon::int
            and not coalesce(settled_date <= due_date + $late_days::int, false) as late_within_horizon,
        -- Collected after as_of by the data's date: payments on it, or the whole balance when it settled without any.
        case when settled_date <= $known_by::date and paid_after = 0 then outstanding
             else least(paid_after, outstanding) end::decimal(18,2) as collected_later
    from balances
    where outstanding > 0
)

select * from final

-- one row per customer of temp view risk_record_invoices with invoices closed on or before $from - $history_days (those record_rows.sql leaves out of the record): how many, how many late, and their days late in all
-- Parameters: $late_days (late = not settled within $late_days days of the due date), $from, $history_days.
-- A settled invoice closes on its settlement (its outcome is in by then), or on its issue date when settled before it:
-- the complement of record_rows.sql's rule. features.sql adds these totals to the outcomes the record shows, so the
-- prior outcomes, their late share and the average days late count the whole history without sorting it.
with

closed as (
    select
        customer_id,
        not (settled_date <= due_date + $late_days::int) as is_late,
        greatest(settled_date - due_date, 0) as days_late
    from risk_record_invoices
    -- greatest() skips a null: an open invoice has no closing day.
    where settled_date is not null and greatest(settled_date, invoice_date) <= $from::date - $history_days::int
),

final as (
    select customer_id, count(*) as n_known, count(*) filter (where is_late) as n_late, sum(days_late) as days_late_sum
    from closed
    group by customer_id
)

select * from final

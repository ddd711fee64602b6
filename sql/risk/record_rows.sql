-- one row per invoice of temp view risk_record_invoices (every customer's, or a few customers') that a feature as of $from or later can see: issued, with its outcome, the day that outcome entered the customer's record and the day the invoice closed
-- Parameters: $late_days (an invoice is late when not settled within $late_days days of its due date), $from, $history_days.
-- features.sql looks back $history_days days: an invoice counts on as_of while it is open, or when it closed (settled, and its
-- outcome in) within the lookback. One closed on or before $from - $history_days counts on no date from $from, so it is left
-- out (customer_base.sql keeps its totals): a retraining's record and its examples read the history's last lookback.
-- A temp table (risk_record_rows) before invoice_paid.sql, which sums only these invoices' payments.
with

outcomes as (
    select
        customer_id, invoice_id, invoice_date, amount, due_date, settled_date,
        not coalesce(settled_date <= due_date + $late_days::int, false) as is_late,
        greatest(
            case when settled_date <= due_date + $late_days::int then settled_date else due_date + $late_days::int + 1 end,
            invoice_date) as entered_on
    from risk_record_invoices
),

final as (
    select
        *,
        -- Open invoices have no closing day: they are in view on every date. A settled one's outcome is in by its
        -- settlement (a late one's line passed before it), so it closes then, or on its issue date when settled before.
        case when settled_date is not null then greatest(settled_date, invoice_date) end as closed_on
    from outcomes
)

select * from final
where closed_on is null or closed_on > $from::date - $history_days::int

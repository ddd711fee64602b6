-- One row per forecast week (1..13 after the build's as-of) plus one row for later and one for never; money in reporting currency (at each document's own rate, as in ar_aging).
-- Open items: receivable documents open at the as-of with a positive balance (ar_aging less unapplied lines);
--   unapplied cash and credit notes are not expected collections.
-- Expected payment date = due_date + expected days late, where expected days late is the median (the lower middle value
--   for an even count) of paid_date - due_date over documents paid in full by the as-of that were paid later than this
--   one has already waited (paid_date - due_date > as_of - due_date; for a document not yet due that is every one
--   paid later than its days to the due date), so an overdue document is never expected in the past:
--     the customer's own such documents when there are at least 3 of them (as dim_customers' 'new' threshold), else
--     the whole portfolio's; when no document in the history was ever paid that late, the item is expected never.
-- Weeks are the 7-day stretches after the as-of: week n runs from as_of + 7(n - 1) + 1 to as_of + 7n.
-- horizon: 'week' (week_number 1..13), 'later' (expected after week 13), 'never' (no history that late); week_number
--   and week dates are NULL on the last two. expected_amount over all rows = the open receivable documents of ar_aging.
-- The risk model can refine these dates after scoring; this mart must build without risk_scores, so it does not read it.
-- The rule is computed by the macros cash_forecast_at / cash_forecast_weeks (sql/macros), here at the build's as-of; the
--   CFO page calls them at its own as-of and filters their segment and country: one rule, at any date.
with options as (
    select as_of from build_options
),

placed as (
    select * from cash_forecast_at((select as_of from options))
),

weeks as (
    select * from cash_forecast_weeks((select as_of from options))
),

-- Aggregate first, then attach to the 15 week rows: joining the open items themselves to the week
-- spine (on "is not distinct from") re-ran the whole plan per week at 10M invoices.
per_week as (
    select
        horizon,
        coalesce(week_number, 0) as week_key,
        sum(outstanding_reporting) as expected_amount,
        count(*) as invoices,
        count(distinct customer_id) as customers
    from placed
    group by all
),

final as (
    select
        weeks.horizon,
        weeks.week_number::integer as week_number,
        weeks.week_start,
        weeks.week_end,
        coalesce(per_week.expected_amount, 0)::decimal(18, 2) as expected_amount,
        coalesce(per_week.invoices, 0) as invoices,
        coalesce(per_week.customers, 0) as customers
    from weeks
    left join per_week on per_week.horizon = weeks.horizon and per_week.week_key = coalesce(weeks.week_number, 0)
)

select * from final order by horizon = 'never', horizon = 'later', week_number

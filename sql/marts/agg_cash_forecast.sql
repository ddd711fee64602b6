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
with options as (
    select as_of from build_options
),

open_items as (
    select customer_id, due_date, outstanding_reporting, (select as_of from options) - due_date as waited
    from ar_aging
    where bucket <> 'unapplied' and outstanding > 0
),

settled as (
    select customer_id, (paid_date - due_date)::integer as days_late
    from fct_invoices
    where paid_date is not null and document_type <> 'credit_note'
),

-- Histograms of days late with running counts: the k-th smallest value is found with an ASOF join on the running count.
customer_history as (
    select customer_id, days_late, sum(count(*)) over (partition by customer_id order by days_late) as running
    from settled
    group by customer_id, days_late
),

portfolio_history as (
    select days_late, sum(count(*)) over (order by days_late) as running
    from settled
    group by days_late
),

customer_totals as (
    select customer_id, count(*) as total from settled group by customer_id
),

-- How many of the customer's and the portfolio's documents were paid no later than the item has waited.
waited_positions as (
    select
        open_items.*,
        coalesce(own.running, 0) as own_no_later,
        coalesce(customer_totals.total, 0) as own_total,
        coalesce(portfolio.running, 0) as all_no_later,
        (select count(*) from settled) as all_total
    from open_items
    left join customer_totals on customer_totals.customer_id = open_items.customer_id
    asof left join customer_history as own
        on own.customer_id = open_items.customer_id and open_items.waited >= own.days_late
    asof left join portfolio_history as portfolio
        on open_items.waited >= portfolio.days_late
),

-- Position of the median among those paid later: the lower middle of positions no_later + 1 .. total.
median_positions as (
    select
        *,
        case when own_total - own_no_later >= 3 then own_no_later + (own_total - own_no_later - 1) // 2 + 1 end as own_position,
        case when all_total - all_no_later >= 1 then all_no_later + (all_total - all_no_later - 1) // 2 + 1 end as all_position
    from waited_positions
),

expected as (
    select
        median_positions.customer_id,
        median_positions.outstanding_reporting,
        median_positions.due_date + coalesce(own.days_late, portfolio.days_late) as expected_date
    from median_positions
    -- A NULL position must match nothing, but DuckDB's merge ASOF join (1.5) pairs it with the first
    -- row: a position past every running count says "no match" in a way both join strategies agree on.
    asof left join customer_history as own
        on own.customer_id = median_positions.customer_id
        and coalesce(median_positions.own_position, 9223372036854775807) <= own.running
    asof left join portfolio_history as portfolio
        on coalesce(median_positions.all_position, 9223372036854775807) <= portfolio.running
),

placed as (
    select
        expected.*,
        case
            when expected_date is null then 'never'
            when expected_date - (select as_of from options) > 91 then 'later'
            else 'week'
        end as horizon,
        case when expected_date - (select as_of from options) <= 91
             then (expected_date - (select as_of from options) - 1) // 7 + 1 end as week_number
    from expected
),

weeks as (
    select 'week' as horizon, week_number, (select as_of from options) + (7 * week_number - 6)::integer as week_start,
           (select as_of from options) + (7 * week_number)::integer as week_end
    from range(1, 14) as r(week_number)
    union all
    select 'later', null, null, null
    union all
    select 'never', null, null, null
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

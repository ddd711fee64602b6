-- Table macros of the cash forecast at a date; money in document currency (outstanding) and reporting currency (outstanding_reporting, at each document's own rate, as in aging_at).
-- cash_forecast_at(as_of): one row per receivable document open at the as-of with a positive balance (aging_at less unapplied
--   lines), with its customer's segment and country, its expected payment date, horizon and week_number.
-- cash_forecast_weeks(as_of): the rows the forecast is read in: weeks 1..13 after the as-of, then 'later' and 'never'.
-- The rule is agg_cash_forecast's (its header and .yml): that mart is these macros at the build's as-of, and the CFO page
-- calls them at its own as-of, filtered by segment and country. Past the build's as-of there are no open items: the
-- ledger does not say what is open after the data ends.
create or replace macro cash_forecast_weeks(as_of) as table
select 'week' as horizon, week_number::integer as week_number, as_of::date + (7 * week_number - 6)::integer as week_start,
       as_of::date + (7 * week_number)::integer as week_end
from range(1, 14) as r(week_number)
union all
select 'later', null, null, null
union all
select 'never', null, null, null;

create or replace macro cash_forecast_at(as_of) as table
-- Inside a macro a bare as_of is the parameter, even where a table has a column of that name: qualify it.
with built as (
    select build_options.as_of as built_as_of from build_options
),

-- At the build's own as-of the open items are ar_aging's rows (a tenth of the intervals to scan at 10M invoices).
open_items as (
    select invoice_id, customer_id, segment, country, currency, invoice_date, due_date, outstanding, outstanding_reporting
    from ar_aging
    where as_of::date = (select built_as_of from built) and bucket <> 'unapplied' and outstanding > 0
    union all
    select invoice_id, customer_id, segment, country, currency, invoice_date, due_date, outstanding, outstanding_reporting
    from aging_at(as_of::date)
    where as_of::date < (select built_as_of from built) and bucket <> 'unapplied' and outstanding > 0
),

waiting as (
    select *, (as_of::date - due_date)::integer as waited from open_items
),

-- Documents paid in full by the as-of (paid_date is when the balance reached zero; not by write-off).
settled as (
    select customer_id, (paid_date - due_date)::integer as days_late
    from fct_invoices
    where paid_date <= as_of::date and document_type <> 'credit_note'
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
        waiting.*,
        coalesce(own.running, 0) as own_no_later,
        coalesce(customer_totals.total, 0) as own_total,
        coalesce(portfolio.running, 0) as all_no_later,
        (select count(*) from settled) as all_total
    from waiting
    left join customer_totals on customer_totals.customer_id = waiting.customer_id
    asof left join customer_history as own
        on own.customer_id = waiting.customer_id and waiting.waited >= own.days_late
    asof left join portfolio_history as portfolio
        on waiting.waited >= portfolio.days_late
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
        median_positions.invoice_id,
        median_positions.customer_id,
        median_positions.segment,
        median_positions.country,
        median_positions.currency,
        median_positions.invoice_date,
        median_positions.due_date,
        median_positions.outstanding,
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

final as (
    select
        as_of::date as as_of,
        invoice_id,
        customer_id,
        segment,
        country,
        currency,
        invoice_date,
        due_date,
        expected_date,
        case
            when expected_date is null then 'never'
            when expected_date - as_of::date > 91 then 'later'
            else 'week'
        end as horizon,
        (case when expected_date - as_of::date <= 91 then (expected_date - as_of::date - 1) // 7 + 1 end)::integer as week_number,
        outstanding,
        outstanding_reporting
    from expected
)

select * from final;

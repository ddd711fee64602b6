-- One row per calendar month (first dispute month to the build's as-of) per dispute reason; money in reporting currency (the disputed amount at the document's invoice-date rate).
-- Period end: the month's last day, or the as-of in its month. A dispute without a reason counts under 'unspecified'.
--   opened                   = disputes opened in the month;        amount_opened = their disputed amount
--   resolved                 = disputes resolved in the month (on or before the as-of)
--   open_at_month_end        = disputes opened on or before the period end and not resolved by then;
--                              amount_open_at_month_end = their disputed amount
--   avg_days_to_resolve      = mean of resolved_date - opened_date over the disputes resolved in the month (NULL when none)
with options as (
    select as_of from build_options
),

disputes as (
    select coalesce(reason, 'unspecified') as reason, opened_date, resolved_date, amount_reporting
    from fct_disputes
),

months as (
    select month::date as month, least(last_day(month::date), (select as_of from options)) as period_end
    from (
        select unnest(generate_series(
            (select date_trunc('month', min(opened_date)) from disputes),
            date_trunc('month', (select as_of from options)),
            interval 1 month
        )) as month
    )
),

reasons as (
    select distinct reason from disputes
),

opened as (
    select reason, date_trunc('month', opened_date)::date as month, count(*) as opened, sum(amount_reporting) as amount_opened
    from disputes
    group by all
),

resolved as (
    select
        reason,
        date_trunc('month', resolved_date)::date as month,
        count(*) as resolved,
        avg(resolved_date - opened_date) as avg_days_to_resolve
    from disputes
    where resolved_date is not null
    group by all
),

open_at_end as (
    select months.month, disputes.reason, count(*) as open_at_month_end, sum(disputes.amount_reporting) as amount_open
    from months
    join disputes
        on disputes.opened_date <= months.period_end
        and (disputes.resolved_date is null or disputes.resolved_date > months.period_end)
    group by all
),

final as (
    select
        months.month,
        reasons.reason,
        coalesce(opened.opened, 0) as opened,
        coalesce(resolved.resolved, 0) as resolved,
        coalesce(open_at_end.open_at_month_end, 0) as open_at_month_end,
        coalesce(opened.amount_opened, 0)::decimal(18, 2) as amount_opened,
        coalesce(open_at_end.amount_open, 0)::decimal(18, 2) as amount_open_at_month_end,
        round(resolved.avg_days_to_resolve, 2)::decimal(12, 2) as avg_days_to_resolve
    from months
    cross join reasons
    left join opened on opened.month = months.month and opened.reason = reasons.reason
    left join resolved on resolved.month = months.month and resolved.reason = reasons.reason
    left join open_at_end on open_at_end.month = months.month and open_at_end.reason = reasons.reason
)

select * from final order by month, reason

-- one row per as-of per forecast row (weeks 1..13 after it, then 'later' and 'never'); expected_amount DECIMAL(18,2) in reporting currency
-- Input: temp table risk_cash_open (as_of, invoice_id, due_date, outstanding, probability = the model's calibrated
--   P(paid more than $late_days days after due)); parameter $late_days. The rule is written out in cash_forecast_model.yml.
-- Each invoice's days late (paid - due) follows a mixture of two distributions learned at its as-of from the
--   documents whose late line had passed by then: the on-time ones' days late (all observed), and the late ones'
--   (Kaplan-Meier: one still unpaid at the as-of is known only to pay later than it has waited), weighted 1 - p and p,
--   then conditioned on not being paid by the as-of (days late > waited). Nothing after the as-of is read.
with

open_items as (
    select as_of, invoice_id, outstanding::double as outstanding, probability, (as_of - due_date)::integer as waited
    from risk_cash_open
    where outstanding > 0
),

as_ofs as (
    select distinct as_of from open_items
),

reference as (
    select
        a.as_of,
        case when i.settled_date <= a.as_of then (i.settled_date - i.due_date)::integer end as days_late,
        (a.as_of - i.due_date)::integer as waited
    from as_ofs as a
    join risk_src_invoices as i
        on i.invoice_date <= a.as_of and i.due_date + $late_days::int < a.as_of
),

on_time_counts as (
    select as_of, days_late as day, count(*) as n
    from reference
    where days_late <= $late_days::int
    group by all
),

-- Share of the on-time documents paid no later than `day`.
on_time_cdf as (
    select as_of, day, sum(n) over (partition by as_of order by day) / sum(n) over (partition by as_of) as paid_share
    from on_time_counts
),

-- Late documents leave the risk set on the day they were paid (an event) or, unpaid, on the day they had waited to.
late_exits as (
    select as_of, coalesce(days_late, waited) as day, count(days_late) as events, count(*) as exits
    from reference
    where days_late is null or days_late > $late_days::int
    group by all
),

late_hazard as (
    select as_of, day, events, sum(exits) over (partition by as_of order by day desc) as at_risk
    from late_exits
),

-- Share of the late documents still unpaid after `day`: the product of (1 - events / at risk) up to it.
late_survival as (
    select
        as_of,
        day,
        case when bool_or(events = at_risk) over running then 0
             -- The logarithm is taken only where the hazard is below 1 (CASE does not keep DuckDB from evaluating it).
             else exp(sum(case when events < at_risk then ln(1 - events / at_risk) else 0 end) over running) end as unpaid_share
    from late_hazard
    window running as (partition by as_of order by day)
),

has_on_time as (
    select as_ofs.as_of, count(on_time_counts.as_of) > 0 as known
    from as_ofs left join on_time_counts using (as_of)
    group by all
),

-- P(days late > waited + 7k) under the mixture, k = 0 (the as-of) .. 13.
points as (
    select o.as_of, o.invoice_id, o.outstanding, o.probability, t.k, o.waited + 7 * t.k as day
    from open_items as o, range(0, 14) as t(k)
),

mixed as (
    select
        points.as_of,
        points.invoice_id,
        points.outstanding,
        points.k,
        (1 - points.probability) * case when has_on_time.known then 1 - coalesce(on_time_cdf.paid_share, 0) else 0 end
            + points.probability * coalesce(late_survival.unpaid_share, 1) as unpaid
    from points
    join has_on_time using (as_of)
    asof left join on_time_cdf on on_time_cdf.as_of = points.as_of and points.day >= on_time_cdf.day
    asof left join late_survival on late_survival.as_of = points.as_of and points.day >= late_survival.day
),

stepped as (
    select
        *,
        lag(unpaid) over per_invoice as unpaid_before,
        first_value(unpaid) over per_invoice as unpaid_at_as_of
    from mixed
    window per_invoice as (partition by as_of, invoice_id order by k)
),

placed as (
    select as_of, 'week' as horizon, k as week_number, outstanding * (unpaid_before - unpaid) / unpaid_at_as_of as amount
    from stepped
    where k > 0 and unpaid_at_as_of > 0
    union all
    select as_of, 'later', null, outstanding * unpaid / unpaid_at_as_of
    from stepped
    where k = 13 and unpaid_at_as_of > 0
    union all
    -- No document in the reference set was ever paid that late: as the history-only rule, never.
    select as_of, 'never', null, outstanding
    from stepped
    where k = 0 and unpaid_at_as_of = 0
),

per_row as (
    select as_of, horizon, coalesce(week_number, 0) as week_key, sum(amount) as amount
    from placed
    group by all
),

spine as (
    select as_of, 'week' as horizon, r.week_number::integer as week_number from as_ofs, range(1, 14) as r(week_number)
    union all
    select as_of, 'later', null from as_ofs
    union all
    select as_of, 'never', null from as_ofs
),

final as (
    select
        spine.as_of,
        spine.horizon,
        spine.week_number,
        spine.as_of + (7 * spine.week_number - 6)::integer as week_start,
        spine.as_of + (7 * spine.week_number)::integer as week_end,
        coalesce(per_row.amount, 0)::decimal(18, 2) as expected_amount
    from spine
    left join per_row
        on per_row.as_of = spine.as_of and per_row.horizon = spine.horizon and per_row.week_key = coalesce(spine.week_number, 0)
)

select * from final order by as_of, horizon = 'never', horizon = 'later', week_number

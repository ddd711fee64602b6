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

-- Both survival curves at waited + 7k, k = 0 (the as-of) .. 13, once per distinct (as-of, waited): the mixture is linear
-- in them, so the invoices are summed per (as-of, waited) first and the curves applied to the sums (a million open
-- invoices wait a few thousand distinct numbers of days).
waits as (
    select distinct as_of, waited from open_items
),

points as (
    select w.as_of, w.waited, t.k, w.waited + 7 * t.k as day
    from waits as w, range(0, 14) as t(k)
),

curves as (
    select
        points.as_of,
        points.waited,
        points.k,
        case when has_on_time.known then 1 - coalesce(on_time_cdf.paid_share, 0) else 0 end as on_time_unpaid,
        coalesce(late_survival.unpaid_share, 1) as late_unpaid
    from points
    join has_on_time using (as_of)
    asof left join on_time_cdf on on_time_cdf.as_of = points.as_of and points.day >= on_time_cdf.day
    asof left join late_survival on late_survival.as_of = points.as_of and points.day >= late_survival.day
),

-- P(days late > waited) for each invoice: the mixture at the as-of, by which its later terms are divided.
weighted as (
    select
        o.as_of,
        o.waited,
        o.outstanding,
        o.probability,
        (1 - o.probability) * c.on_time_unpaid + o.probability * c.late_unpaid as unpaid_at_as_of
    from open_items as o
    join curves as c on c.as_of = o.as_of and c.waited = o.waited and c.k = 0
),

-- Per (as-of, waited): the balance each curve carries, and what no reference document was ever paid that late.
per_wait as (
    select
        as_of,
        waited,
        sum(outstanding * (1 - probability) / unpaid_at_as_of) filter (where unpaid_at_as_of > 0) as on_time_weight,
        sum(outstanding * probability / unpaid_at_as_of) filter (where unpaid_at_as_of > 0) as late_weight,
        sum(outstanding) filter (where unpaid_at_as_of = 0) as never_amount
    from weighted
    group by all
),

stepped as (
    select
        c.*,
        lag(c.on_time_unpaid) over per_curve as on_time_before,
        lag(c.late_unpaid) over per_curve as late_before
    from curves as c
    window per_curve as (partition by c.as_of, c.waited order by c.k)
),

placed as (
    select
        s.as_of,
        'week' as horizon,
        s.k as week_number,
        coalesce(w.on_time_weight, 0) * (s.on_time_before - s.on_time_unpaid) + coalesce(w.late_weight, 0) * (s.late_before - s.late_unpaid) as amount
    from stepped as s
    join per_wait as w using (as_of, waited)
    where s.k > 0
    union all
    select s.as_of, 'later', null, coalesce(w.on_time_weight, 0) * s.on_time_unpaid + coalesce(w.late_weight, 0) * s.late_unpaid
    from stepped as s
    join per_wait as w using (as_of, waited)
    where s.k = 13
    union all
    -- No document in the reference set was ever paid that late: as the history-only rule, never.
    select as_of, 'never', null, never_amount
    from per_wait
    where never_amount is not null
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

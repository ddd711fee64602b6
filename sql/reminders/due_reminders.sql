-- One row per reminder line due on $date: a customer and level (the reminder) and one of its invoices; money in the invoice's currency (amount, outstanding, total_in_currency: the reminder's outstanding in that currency).
-- $plan is the cadences on that day as JSON (src/reminders/plan.ts); $collector limits it to one collector's customers (null: all).
-- An invoice gets a level when days_from_due is within the level's days (from its day to its last catch-up day), it is open
-- (not paid, credited, written off or handed to legal, nor of an account in the legal stage), not in an open dispute, the level was never handed over for it, and its
-- customer holds no open promise. A customer gets at most what its country's caps leave for the day and the 7 days ending on it
-- (every contact counts: collectors' ones from fct_activities, reminders from Cartera's hand-over log), most advanced level first;
-- none on a day its country is closed. The hand-over log (recorded_activities, channel 'reminder', and reminder_invoices) is
-- read as it is rather than through fct_activities: a reminder counts from the moment it is handed over, also on days after
-- the data's as-of, which the marts leave out.
with

plan as (
    select from_json($plan::json, '{
        "levels": [{"cadence": "VARCHAR", "level": "VARCHAR", "days": "INTEGER", "until_days": "INTEGER", "template": "VARCHAR",
                    "label_es": "VARCHAR", "label_en": "VARCHAR"}],
        "segments": [{"segment": "VARCHAR", "cadence": "VARCHAR"}],
        "rest": "VARCHAR",
        "default_country": "VARCHAR",
        "countries": [{"country": "VARCHAR", "time_zone": "VARCHAR", "locale": "VARCHAR", "language": "VARCHAR",
                       "window_start": "VARCHAR", "window_end": "VARCHAR", "max_per_day": "INTEGER", "max_per_week": "INTEGER"}]
    }') as p
),

levels as (
    select unnest(p.levels, recursive := true) from plan
),

segment_cadences as (
    select unnest(p.segments, recursive := true) from plan
),

countries as (
    select unnest(p.countries, recursive := true) from plan
),

customers as (
    select
        c.customer_id,
        c.customer_name,
        c.email,
        c.phone,
        c.collector,
        c.segment,
        upper(c.country) as country,
        coalesce(s.cadence, (select p.rest from plan)) as cadence,
        case
            when upper(c.country) in (select country from countries) then upper(c.country)
            else (select p.default_country from plan)
        end as rules_country
    from dim_customers as c
    left join segment_cadences as s on s.segment = c.segment
    -- An account in the legal stage is handed over: no reminders on any of its invoices.
    where c.portfolio_stage <> 'legal' and ($collector::varchar is null or c.collector = $collector::varchar)
),

open_disputes as (
    select distinct invoice_id from fct_disputes
    where invoice_id is not null and opened_date <= $date::date and (resolved_date is null or resolved_date > $date::date)
),

open_invoices as (
    select
        i.invoice_id,
        i.customer_id,
        i.invoice_date,
        i.due_date,
        i.currency,
        i.amount,
        i.outstanding,
        ($date::date - i.due_date)::integer as days_from_due
    from fct_invoices as i
    anti join open_disputes as d on d.invoice_id = i.invoice_id
    where i.document_type <> 'credit_note' and i.status = 'open' and i.outstanding > 0 and not coalesce(i.disputed, false)
),

promised as (
    select distinct customer_id from fct_promises
    where status in ('open', 'pending') and promise_date <= $date::date and promised_date >= $date::date
),

handed_over as (
    select invoice_id, level from reminder_invoices
),

candidates as (
    select
        i.*,
        c.* exclude (customer_id),
        l.level,
        l.days as level_days,
        l.template as template_key,
        l.label_es,
        l.label_en
    from open_invoices as i
    join customers as c on c.customer_id = i.customer_id
    join levels as l on l.cadence = c.cadence and i.days_from_due between l.days and l.until_days
    anti join promised as p on p.customer_id = i.customer_id
    anti join handed_over as h on h.invoice_id = i.invoice_id and h.level = l.level
),

contacts as (
    select customer_id, activity_date from fct_activities
    where activity_date between $date::date - 6 and $date::date and not (source = 'cartera' and channel = 'reminder')
    union all
    select customer_id, activity_date from recorded_activities
    where channel = 'reminder' and activity_date between $date::date - 6 and $date::date
),

used as (
    select customer_id, count(*) filter (where activity_date = $date::date) as today, count(*) as week
    from contacts
    group by customer_id
),

reminders as (
    select
        customer_id,
        level,
        any_value(level_days) as level_days,
        any_value(rules_country) as rules_country,
        list_sort(list(invoice_id)) as invoice_ids
    from candidates
    group by customer_id, level
),

ranked as (
    select
        r.*,
        k.window_start,
        k.window_end,
        k.time_zone,
        k.locale,
        k.language,
        row_number() over (partition by r.customer_id order by r.level_days desc) as nth,
        least(k.max_per_day - coalesce(u.today, 0), coalesce(k.max_per_week - coalesce(u.week, 0), k.max_per_day)) as room
    from reminders as r
    join countries as k on k.country = r.rules_country
    left join used as u on u.customer_id = r.customer_id
    where k.window_start is not null
),

chosen as (
    select
        *,
        'REM-' || upper(left(sha256(concat_ws('|', $date::varchar, customer_id, level, array_to_string(invoice_ids, '|'))), 16)) as reminder_id
    from ranked
    where nth <= room
),

final as (
    select
        $date::date as date,
        chosen.reminder_id,
        c.customer_id,
        c.customer_name,
        c.email,
        c.phone,
        c.country,
        chosen.locale,
        chosen.language,
        chosen.time_zone,
        chosen.window_start,
        chosen.window_end,
        c.collector,
        c.segment,
        c.cadence,
        c.level,
        c.level_days,
        -- Spanish for Spanish-speaking countries, English for the rest.
        case when chosen.language = 'es' then c.label_es else c.label_en end as level_label,
        c.template_key,
        c.invoice_id,
        c.invoice_date,
        c.due_date,
        c.days_from_due,
        c.currency,
        c.amount::decimal(18, 2) as amount,
        c.outstanding::decimal(18, 2) as outstanding,
        sum(c.outstanding) over (partition by chosen.reminder_id, c.currency)::decimal(18, 2) as total_in_currency
    from candidates as c
    join chosen on chosen.customer_id = c.customer_id and chosen.level = c.level
)

select * from final
order by customer_id, level_days desc, due_date, invoice_id

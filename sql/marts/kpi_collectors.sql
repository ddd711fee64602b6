-- One row per calendar month (first invoice month to the build's as-of) per collector; money in reporting currency.
-- A collector's portfolio is the customers assigned to them in the customer master ('unassigned' when none), as in
-- kpi_monthly_by_collector, whose figures this reuses:
--   collected_amount = cash received in the month from the portfolio (applied or not)
--   cei_pct          = (ar_begin + credit_sales - ar_end) / (ar_begin + credit_sales - ar_current_end) x 100
--   open_balance     = everything the portfolio owes at the period end (month end, or the as-of in its month)
--   overdue_balance  = documents past due at the period end
-- Contacts (fct_activities, the contact's collector, else the customer's) in the month, by channel:
--   calls = call / llamada / telefono / phone; emails = email / e-mail / mail / correo; visits = visit / visita;
--   letters = letter / carta; other_contacts = anything else; activities = all of them.
-- Promises (agg_promises: made in the month, by the promise's collector, else the customer's):
--   promises_made, promises_kept, promises_broken; promises_kept_rate_pct = kept / (kept + broken) x 100.
with kpis as (
    select coalesce(collector, 'unassigned') as collector, * exclude (collector) from kpi_monthly_by_collector
),

activities as (
    select
        coalesce(collector, 'unassigned') as collector,
        date_trunc('month', activity_date)::date as month,
        case
            when channel in ('call', 'llamada', 'telefono', 'phone', 'telephone') then 'calls'
            when channel in ('email', 'e-mail', 'mail', 'correo', 'correo electronico') then 'emails'
            when channel in ('visit', 'visita') then 'visits'
            when channel in ('letter', 'carta') then 'letters'
            else 'other'
        end as channel_group
    from fct_activities
),

promises as (
    select * from agg_promises
),

months as (
    select distinct month from kpis
),

collectors as (
    select collector from kpis
    union
    select collector from activities
    union
    select collector from promises
),

contacts as (
    select
        month,
        collector,
        count(*) as activities,
        count(*) filter (where channel_group = 'calls') as calls,
        count(*) filter (where channel_group = 'emails') as emails,
        count(*) filter (where channel_group = 'visits') as visits,
        count(*) filter (where channel_group = 'letters') as letters,
        count(*) filter (where channel_group = 'other') as other_contacts
    from activities
    group by all
),

final as (
    select
        months.month,
        collectors.collector,
        coalesce(kpis.collections, 0)::decimal(18, 2) as collected_amount,
        kpis.cei_pct,
        coalesce(kpis.ar_end, 0)::decimal(18, 2) as open_balance,
        coalesce(kpis.ar_overdue_end, 0)::decimal(18, 2) as overdue_balance,
        coalesce(contacts.activities, 0) as activities,
        coalesce(contacts.calls, 0) as calls,
        coalesce(contacts.emails, 0) as emails,
        coalesce(contacts.visits, 0) as visits,
        coalesce(contacts.letters, 0) as letters,
        coalesce(contacts.other_contacts, 0) as other_contacts,
        coalesce(promises.made, 0) as promises_made,
        coalesce(promises.kept, 0) as promises_kept,
        coalesce(promises.broken, 0) as promises_broken,
        promises.kept_rate_pct as promises_kept_rate_pct
    from months
    cross join collectors
    left join kpis on kpis.month = months.month and kpis.collector = collectors.collector
    left join contacts on contacts.month = months.month and contacts.collector = collectors.collector
    left join promises on promises.month = months.month and promises.collector = collectors.collector
)

select * from final order by month, collector

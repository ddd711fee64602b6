-- one row per customer to contact on $as_of, before scheduling: priority, stage and context; money columns DECIMAL(18,2) in reporting currency
-- Reads risk_scores for $as_of (so run after scoring). Priority = amount at risk x recoverability x urgency:
--   amount at risk   = open undisputed balance x probability of paying late
--   recoverability   = 1, or 0.5 past 180 days, 0.2 past 365 days, 0.3 in legal (old debt is less likely to come back for a call)
--   urgency          = 1 + 1 when a promise falls due today + 0.5 after a broken promise (last 30 days)
--                      + 0.25 when an invoice crosses into the next aging bucket within 7 days
-- Promise statuses: 'open' or 'pending' (not yet due), 'kept', 'broken'.
-- Disputed invoices are left out of the amount at risk; a customer with only disputed debt is listed to resolve the dispute,
-- at 10% of the disputed amount (a dispute blocks collection, so its value today is in resolving it).
with

scores as (
    select invoice_id, probability from risk_scores where as_of = $as_of::date
),

open_disputes as (
    select distinct invoice_id from risk_src_disputes
    where opened_date <= $as_of::date and (resolved_date is null or resolved_date > $as_of::date)
),

open_invoices as (
    select
        i.invoice_id,
        i.customer_id,
        i.customer_name,
        i.collector,
        i.status,
        coalesce(i.outstanding_now, i.amount)::decimal(18,2) as outstanding,
        i.amount as invoice_amount,
        $as_of::date - i.due_date as dpd,
        s.probability,
        i.disputed_flag or d.invoice_id is not null as is_disputed
    from risk_src_invoices as i
    join scores as s using (invoice_id)
    left join open_disputes as d using (invoice_id)
),

weighted as (
    select
        *,
        case when status = 'legal' then 0.3 when dpd > 365 then 0.2 when dpd > 180 then 0.5 else 1.0 end as recoverability,
        -- About to enter the next bucket (current -> 1-30 -> 31-60 -> 61-90 -> 91+) within 7 days.
        (dpd between -7 and -1 or dpd between 23 and 29 or dpd between 53 and 59 or dpd between 83 and 89) as crossing_soon,
        -- A leftover of under 5% of an invoice (rounding, bank fees) does not set the collection stage.
        outstanding >= 0.05 * abs(invoice_amount) as material
    from open_invoices
    where outstanding > 0
),

by_customer as (
    select
        customer_id,
        any_value(customer_name) as customer_name,
        mode(collector) as invoice_collector,
        sum(outstanding) as open_balance,
        coalesce(sum(outstanding) filter (where dpd > 0), 0) as overdue_balance,
        max(dpd) as oldest_days_past_due,
        max(probability) as max_probability,
        -- Each invoice's share to a millionth, summed exactly: a sum of doubles depends on the order its threads add
        -- them, and two builds of the same data must rank and show the same.
        coalesce(sum((outstanding * probability)::decimal(38,6)) filter (where not is_disputed), 0) as amount_at_risk,
        coalesce(sum((outstanding::double * probability * recoverability)::decimal(38,6)) filter (where not is_disputed), 0)::double as recoverable_at_risk,
        coalesce(max(dpd) filter (where not is_disputed and material), -99999) as oldest_undisputed_dpd,
        coalesce(bool_or(status = 'legal') filter (where not is_disputed), false) as in_legal,
        coalesce(bool_or(crossing_soon) filter (where not is_disputed), false) as crossing_soon,
        bool_or(is_disputed) as has_dispute,
        coalesce(sum(outstanding) filter (where is_disputed), 0) as disputed_amount,
        -- Oldest first. An ordered aggregate buffers every group and ran out of memory at a million
        -- invoices; sorting each customer's small list afterwards does not.
        to_json(list_transform(list_sort(list({'neg_dpd': -dpd, 'id': invoice_id})), x -> x.id)) as invoices
    from weighted
    group by customer_id
),

promises as (
    select
        customer_id,
        min(promised_date) filter (where status in ('open', 'pending') and promised_date >= $as_of::date) as open_promise_date,
        bool_or(status in ('open', 'pending') and promised_date = $as_of::date) as promise_due_today,
        -- A promise broken in the last 30 days; one a collector closes as broken before its date counts too (it is broken now).
        bool_or(status = 'broken' and promised_date >= $as_of::date - 30) as broke_recently
    from risk_src_promises
    where promise_date <= $as_of::date
    group by customer_id
),

-- In reporting currency, as every other amount here: a promise's own amount is in its invoice's currency.
promise_amounts as (
    select p.customer_id, sum(p.amount_reporting)::decimal(18,2) as open_promise_amount
    from risk_src_promises as p
    join promises as pr on pr.customer_id = p.customer_id and p.promised_date = pr.open_promise_date
    where p.status in ('open', 'pending') and p.promise_date <= $as_of::date
    group by p.customer_id
),

last_activity as (
    select
        customer_id,
        max(activity_date) as last_activity_date,
        arg_max(channel, activity_date) as last_activity_channel,
        arg_max(outcome, activity_date) as last_activity_outcome
    from risk_src_activities
    where activity_date <= $as_of::date
    group by customer_id
),

customers as (
    select customer_id, any_value(name) as name, any_value(email) as email, any_value(phone) as phone, any_value(collector) as collector
    from risk_src_customers
    group by customer_id
),

staged as (
    select
        b.*,
        c.name, c.email, c.phone, c.collector,
        p.open_promise_date, pa.open_promise_amount,
        coalesce(p.promise_due_today, false) as promise_due_today,
        coalesce(p.broke_recently, false) as broke_recently,
        la.last_activity_date, la.last_activity_channel, la.last_activity_outcome,
        case
            when b.recoverable_at_risk = 0 and b.has_dispute then 'resolve_dispute'
            when b.in_legal or b.oldest_undisputed_dpd > 90 then 'legal'
            when b.oldest_undisputed_dpd > 60 then 'escalation'
            when b.oldest_undisputed_dpd > 30 then 'formal_notice'
            when b.oldest_undisputed_dpd > 0 then 'call'
            else 'friendly_reminder'
        end as suggested_action
    from by_customer as b
    left join customers as c using (customer_id)
    left join promises as p using (customer_id)
    left join promise_amounts as pa using (customer_id)
    left join last_activity as la using (customer_id)
),

final as (
    select
        customer_id,
        coalesce(name, customer_name, customer_id) as customer_name,
        email,
        phone,
        coalesce(collector, invoice_collector, 'unassigned') as collector,
        open_balance::decimal(18,2) as open_balance,
        overdue_balance::decimal(18,2) as overdue_balance,
        oldest_days_past_due::integer as oldest_days_past_due,
        max_probability,
        amount_at_risk::decimal(18,2) as amount_at_risk,
        case when suggested_action = 'resolve_dispute' then disputed_amount::double * 0.1
             else recoverable_at_risk * (1 + (promise_due_today::int) + 0.5 * (broke_recently::int) + 0.25 * (crossing_soon::int))
        end as priority_score,
        last_activity_date,
        last_activity_channel,
        last_activity_outcome,
        open_promise_date,
        open_promise_amount,
        suggested_action,
        has_dispute,
        disputed_amount::decimal(18,2) as disputed_amount,
        invoices::varchar as invoices,
        -- An open promise to pay holds the call until its date (a broken promise is no longer open, so it holds nothing).
        case when open_promise_date > $as_of::date then open_promise_date else $as_of::date end as earliest_date
    from staged
    -- Nothing to do yet for customers whose undisputed debt falls due more than 7 days out.
    where suggested_action = 'resolve_dispute' or oldest_undisputed_dpd >= -7
)

select * from final

-- One row per customer (customer master, plus any customer only seen on documents or payments) with payment behaviour as of the build; money in reporting currency (open_balance, overdue_balance) and the master's credit_limit as exported.
-- behaviour_segment, from documents paid in full (first rule that matches):
--   new           fewer than 3 paid documents
--   punctual      at least 80% paid on or before the due date
--   chronic-late  paid on average more than 30 days late
--   slow-but-sure late, but predictably: standard deviation of days late at most 10
--   erratic       everything else (lateness varies widely)
-- value_tier: A = customers making up the first 80% of the positive open balance (largest first), B = the next 15%, C = the rest.
-- portfolio_stage: legal (an open document in legal collection) / written-off (written-off documents and nothing else owed)
--   / difficult (oldest past-due document more than 90 days) / overdue (31-90) / early (1-30) / preventive (nothing past due).
with options as (
    select * from build_options
),

customers as (
    select * from stg_customers
),

invoices as (
    select * from fct_invoices
),

payments as (
    select * from fct_payments
),

promises as (
    select * from fct_promises
),

aging as (
    select * from ar_aging
),

known_ids as (
    select customer_id from customers
    union
    select customer_id from invoices
    union
    select customer_id from payments
),

document_facts as (
    select
        customer_id,
        any_value(customer_name) filter (where customer_name is not null) as customer_name,
        any_value(country) filter (where country is not null) as country,
        any_value(payment_terms_days) as payment_terms_days,
        count(*) filter (where document_type <> 'credit_note') as invoices,
        count(*) filter (where paid_date is not null) as paid_invoices,
        avg((paid_date <= due_date)::integer) filter (where paid_date is not null) as on_time_share,
        avg(days_to_pay) filter (where paid_date is not null) as avg_days_to_pay,
        sum(days_to_pay * amount) filter (where paid_date is not null) / nullif(sum(amount) filter (where paid_date is not null), 0) as weighted_days_to_pay,
        avg(days_late) filter (where paid_date is not null) as avg_days_late,
        stddev_pop(days_late) filter (where paid_date is not null) as stddev_days_late,
        avg(disputed::integer) filter (where document_type <> 'credit_note') as dispute_rate,
        bool_or(status = 'legal' and outstanding > 0) as has_legal,
        bool_or(status = 'written_off') as has_written_off
    from invoices
    group by customer_id
),

balances as (
    select
        customer_id,
        sum(outstanding_reporting) as open_balance,
        sum(outstanding_reporting) filter (where bucket_order > 0 and bucket <> 'unapplied') as overdue_balance,
        max(days_past_due) filter (where bucket <> 'unapplied' and outstanding > 0) as max_days_past_due
    from aging
    group by customer_id
),

broken as (
    select customer_id, count(*) filter (where status = 'broken') as broken_promises
    from promises
    group by customer_id
),

joined as (
    select
        known_ids.customer_id,
        coalesce(customers.name, document_facts.customer_name) as name,
        customers.tax_id,
        customers.email,
        customers.phone,
        customers.segment,
        customers.industry,
        customers.collector,
        coalesce(customers.country, document_facts.country) as country,
        coalesce(customers.payment_terms_days, document_facts.payment_terms_days) as payment_terms_days,
        customers.customer_since,
        customers.credit_limit,
        coalesce(document_facts.invoices, 0) as invoices,
        coalesce(document_facts.paid_invoices, 0) as paid_invoices,
        document_facts.on_time_share,
        document_facts.avg_days_to_pay,
        document_facts.weighted_days_to_pay,
        document_facts.avg_days_late,
        document_facts.stddev_days_late,
        document_facts.dispute_rate,
        coalesce(broken.broken_promises, 0) as broken_promises,
        coalesce(balances.open_balance, 0) as open_balance,
        coalesce(balances.overdue_balance, 0) as overdue_balance,
        balances.max_days_past_due,
        coalesce(document_facts.has_legal, false) as has_legal,
        coalesce(document_facts.has_written_off, false) as has_written_off
    from known_ids
    left join customers on customers.customer_id = known_ids.customer_id
    left join document_facts on document_facts.customer_id = known_ids.customer_id
    left join balances on balances.customer_id = known_ids.customer_id
    left join broken on broken.customer_id = known_ids.customer_id
),

ranked as (
    select
        *,
        sum(greatest(open_balance, 0)) over (order by greatest(open_balance, 0) desc, customer_id
                                             rows between unbounded preceding and 1 preceding) as balance_before,
        sum(greatest(open_balance, 0)) over () as positive_total
    from joined
),

final as (
    select
        customer_id,
        name,
        -- The same name under the column the fct_ models use, so joins read alike.
        name as customer_name,
        tax_id,
        email,
        phone,
        segment,
        industry,
        collector,
        country,
        payment_terms_days,
        customer_since,
        invoices,
        round(on_time_share, 4)::decimal(8, 4) as on_time_share,
        round(avg_days_to_pay, 2)::decimal(10, 2) as avg_days_to_pay,
        round(weighted_days_to_pay, 2)::decimal(10, 2) as weighted_days_to_pay,
        round(avg_days_late, 2)::decimal(10, 2) as avg_days_late,
        round(dispute_rate, 4)::decimal(8, 4) as dispute_rate,
        broken_promises,
        case
            when paid_invoices < 3 then 'new'
            when on_time_share >= 0.8 then 'punctual'
            when avg_days_late > 30 then 'chronic-late'
            when stddev_days_late <= 10 then 'slow-but-sure'
            else 'erratic'
        end as behaviour_segment,
        case
            when open_balance > 0 and coalesce(balance_before, 0) < 0.80 * positive_total then 'A'
            when open_balance > 0 and coalesce(balance_before, 0) < 0.95 * positive_total then 'B'
            else 'C'
        end as value_tier,
        case
            when has_legal then 'legal'
            when has_written_off and open_balance <= 0 then 'written-off'
            when max_days_past_due > 90 then 'difficult'
            when max_days_past_due > 30 then 'overdue'
            when max_days_past_due > 0 then 'early'
            else 'preventive'
        end as portfolio_stage,
        open_balance::decimal(18, 2) as open_balance,
        overdue_balance::decimal(18, 2) as overdue_balance,
        credit_limit,
        round(open_balance / nullif(credit_limit, 0), 4)::decimal(12, 4) as credit_utilisation
    from ranked
)

select * from final

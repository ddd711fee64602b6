-- One row per collection contact dated on or before the build's as-of, imported or recorded in Cartera (source); no money columns.
-- collector: the contact's, else the customer's. reached, next_action_date, recorded_by and recorded_at come with contacts
-- recorded in Cartera (NULL for imported ones).
-- materialized: view (of two tables: a contact recorded in Cartera rebuilds the small recorded part, not the imported contacts)
with imported as (
    select * from int_activities_imported
),

recorded as (
    select * from int_activities_recorded
),

customers as (
    select customer_id, collector from dim_customers
),

recorded_with_collector as (
    select
        recorded.* exclude (collector),
        coalesce(recorded.collector, customers.collector) as collector
    from recorded
    left join customers on customers.customer_id = recorded.customer_id
),

unioned as (
    select * from imported
    union all by name
    select * from recorded_with_collector
),

final as (
    select
        activity_id, customer_id, invoice_id, activity_date, channel, outcome, collector, notes,
        reached, next_action_date, source, recorded_by, recorded_at
    from unioned
)

select * from final

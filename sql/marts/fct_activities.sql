-- One row per collection contact dated on or before the build's as-of, imported or recorded in Cartera (source); no money columns.
-- reached, next_action_date, recorded_by and recorded_at come with contacts recorded in Cartera (NULL for imported ones).
with options as (
    select * from build_options
),

activities as (
    select * from int_activities_unioned
    where activity_date <= (select as_of from options)
),

customers as (
    select customer_id, collector from stg_customers
),

final as (
    select
        activities.activity_id,
        activities.customer_id,
        activities.invoice_id,
        activities.activity_date,
        activities.channel,
        activities.outcome,
        coalesce(activities.collector, customers.collector) as collector,
        activities.notes,
        activities.reached,
        activities.next_action_date,
        activities.source,
        activities.recorded_by,
        activities.recorded_at
    from activities
    left join customers on customers.customer_id = activities.customer_id
)

select * from final

-- One row per collection contact dated on or before the build's as-of; no money columns.
with options as (
    select * from build_options
),

activities as (
    select * from stg_collection_activities
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
        activities.notes
    from activities
    left join customers on customers.customer_id = activities.customer_id
)

select * from final

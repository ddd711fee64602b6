-- One row per collection contact imported from the ERP exports and dated on or before the build's as-of, with its collector
-- (the contact's, else the customer's): fct_activities' imported part; no money columns.
-- A table of its own, which only a full build makes: a contact recorded in Cartera republishes fct_activities (a view)
-- without reading the exports' contacts again. (Recorded contacts take their customer's collector in fct_activities.)
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
        activities.notes,
        activities.source
    from activities
    left join customers on customers.customer_id = activities.customer_id
)

select * from final

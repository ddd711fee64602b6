-- One row per promise to pay recorded in Cartera (POST /api/promises); amount in the promised invoice's (or the customer's) currency.
-- source_status is the collector's close (kept or broken, PATCH /api/promises/:id) from its closed_date on, else pending.
with source as (
    select * from recorded_promises
),

final as (
    select
        promise_id,
        customer_id,
        invoice_id,
        promise_date,
        promised_date,
        amount,
        coalesce(closed_status, 'pending') as source_status,
        collector,
        currency,
        closed_date,
        recorded_by,
        recorded_at,
        'cartera' as source
    from source
)

select * from final

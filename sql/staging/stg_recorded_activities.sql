-- One row per collection contact recorded in Cartera (POST /api/activities); no money columns.
with source as (
    select * from recorded_activities
),

final as (
    select
        activity_id,
        customer_id,
        invoice_id,
        activity_date,
        channel,
        outcome,
        collector,
        note as notes,
        reached,
        next_action_date,
        recorded_by,
        recorded_at,
        'cartera' as source
    from source
)

select * from final

-- One row per invoice of a dispute recorded in Cartera (POST /api/disputes); amount (the invoice's share) in the invoice's currency.
-- A dispute over several invoices keeps its id with '/<invoice_id>' appended on each row, so dispute_id stays a key.
with source as (
    select * from recorded_disputes
),

final as (
    select
        case when count(*) over (partition by dispute_id) > 1 then dispute_id || '/' || invoice_id else dispute_id end as dispute_id,
        invoice_id,
        customer_id,
        opened_date,
        resolved_date,
        amount,
        reason,
        case when resolved_date is null then 'open' else 'resolved' end as source_status,
        collector,
        resolution,
        recorded_by,
        recorded_at,
        'cartera' as source
    from source
)

select * from final

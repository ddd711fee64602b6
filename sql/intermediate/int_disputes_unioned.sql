-- One row per disputed invoice, imported from the ERP exports or recorded in Cartera; source says which ('batch <id>' or 'cartera').
-- materialized: view (a union of two staging views: a copy would only cost a write)
with imported as (
    select * from stg_disputes
),

recorded as (
    select * from stg_recorded_disputes
),

final as (
    select * from imported
    union all by name
    select * from recorded
)

select * from final

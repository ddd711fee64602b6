-- One row per promise to pay, imported from the ERP exports or recorded in Cartera; source says which ('batch <id>' or 'cartera').
-- materialized: view (a union of two staging views: a copy would only cost a write)
with imported as (
    select * from stg_promises_to_pay
),

recorded as (
    select * from stg_recorded_promises
),

final as (
    select * from imported
    union all by name
    select * from recorded
)

select * from final

-- One row per collection contact recorded in Cartera (POST /api/activities) and dated on or before the build's as-of: fct_activities' recorded part; no money columns.
-- A table, not a view: fct_activities must show the contacts as they were when the build read them, not as written since.
with options as (
    select * from build_options
),

recorded as (
    select * from stg_recorded_activities
),

final as (
    select * from recorded
    where activity_date <= (select as_of from options)
)

select * from final

-- One row per open item as of the build's as-of, aged with the build's basis and buckets; money in item currency (outstanding) and reporting currency (outstanding_reporting).
with final as (
    select * from aging_at((select as_of from build_options))
)

select * from final

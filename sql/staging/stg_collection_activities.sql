-- One row per collection contact (call, email, visit...), the newest export of each winning; no money columns.
with source as not materialized (
    select * from raw_collection_activities
    where not rejected
),

-- Rows a newer export of the same key replaced (ranking only the key columns: far cheaper than whole rows).
superseded as (
    select batch_id, source_line
    from source
    where activity_id is not null
    qualify row_number() over (partition by activity_id order by batch_id desc, source_line desc) > 1
),

latest as (
    select
        coalesce(activity_id, 'row-' || batch_id || '-' || source_line) as activity_id,
        *
        exclude (activity_id)
    from source
    anti join superseded using (batch_id, source_line)
),

final as (
    select
        activity_id,
        customer_id,
        nullif(trim(invoice_id), '') as invoice_id,
        activity_date,
        strip_accents(lower(trim(channel))) as channel,
        strip_accents(lower(trim(outcome))) as outcome,
        nullif(trim(collector), '') as collector,
        notes,
        'batch ' || batch_id as source
    from latest
)

select * from final

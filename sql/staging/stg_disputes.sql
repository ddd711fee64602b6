-- One row per dispute, the newest export of each winning; amount in the disputed document's currency.
-- amount is rounded here to cents (the raw table keeps it as exported, up to 6 decimals; the export names no currency).
with source as not materialized (
    select * from raw_disputes
    where not rejected
),

-- Rows a newer export of the same key replaced (ranking only the key columns: far cheaper than whole rows).
superseded as (
    select batch_id, source_line
    from source
    where dispute_id is not null
    qualify row_number() over (partition by dispute_id order by batch_id desc, source_line desc) > 1
),

latest as (
    select
        coalesce(dispute_id, 'row-' || batch_id || '-' || source_line) as dispute_id,
        *
        exclude (dispute_id)
    from source
    anti join superseded using (batch_id, source_line)
),

final as (
    select
        dispute_id,
        invoice_id,
        customer_id,
        opened_date,
        resolved_date,
        round(amount, 2)::decimal(18, 2) as amount,
        nullif(trim(reason), '') as reason,
        strip_accents(lower(trim(status))) as source_status,
        'batch ' || batch_id as source
    from latest
)

select * from final

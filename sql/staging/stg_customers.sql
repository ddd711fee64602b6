-- One row per customer, the newest export of each winning; credit_limit in the customer's usual currency as exported.
-- credit_limit is rounded here to cents (the raw table keeps it as exported, up to 6 decimals; the export names no currency).
with source as not materialized (
    select * from raw_customers
    where not rejected
      -- CFDIs loaded beside an ERP export check it and do not add to it (see stg_cfdi_check_batches).
      and batch_id not in (select batch_id from stg_cfdi_check_batches)
),

-- Rows a newer export of the same key replaced (ranking only the key columns: far cheaper than whole rows).
superseded as (
    select batch_id, source_line
    from source
    qualify row_number() over (partition by customer_id order by batch_id desc, source_line desc) > 1
),

latest as (
    select *
    from source
    anti join superseded using (batch_id, source_line)
),

final as (
    select
        customer_id,
        nullif(trim(name), '') as name,
        nullif(trim(tax_id), '') as tax_id,
        nullif(trim(country), '') as country,
        nullif(trim(segment), '') as segment,
        nullif(trim(industry), '') as industry,
        round(credit_limit, 2)::decimal(18, 2) as credit_limit,
        payment_terms_days,
        nullif(trim(collector), '') as collector,
        nullif(trim(email), '') as email,
        nullif(trim(phone), '') as phone,
        customer_since,
        -- The export's unmapped columns, as JSON (column name -> value as written).
        extra,
        batch_id
    from latest
)

select * from final

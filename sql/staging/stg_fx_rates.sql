-- One row per currency per rate date, the newest export winning; rate = base-currency units per 1 unit of currency (no money columns).
with source as not materialized (
    select * from raw_fx_rates
    where not rejected
),

latest as (
    select *
    from source
    where rate is not null and rate > 0
    qualify row_number() over (partition by currency, rate_date order by batch_id desc, source_line desc) = 1
),

final as (
    select
        rate_date,
        currency,
        rate,
        base_currency
    from latest
)

select * from final

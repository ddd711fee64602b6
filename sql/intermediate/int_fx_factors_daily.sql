-- One row per currency with rates per calendar day (first rate date to ten years past the as-of); factor = reporting-currency units per 1 unit of the currency, NULL where a rate is missing (no money columns).
with options as (
    select as_of, reporting_currency from build_options
),

rates as (
    select currency, rate_date, rate
    from stg_fx_rates
    where currency <> coalesce(base_currency, '')
),

declared_bases as (
    select distinct base_currency as currency from stg_fx_rates where base_currency is not null
),

-- The reporting currency is the base when the file says so, or when it has no rates of its own.
reporting as (
    select
        reporting_currency as currency,
        reporting_currency in (select currency from declared_bases)
            or reporting_currency not in (select currency from rates) as is_base
    from options
),

days as (
    select unnest(generate_series(
        (select min(rate_date) from rates),
        -- Past the as-of too: the data may run later (aging_at a later date), and the latest rate carries forward.
        greatest((select as_of from options), (select max(rate_date) from rates)) + interval 3653 day,
        interval 1 day
    ))::date as day
),

currencies as (
    select distinct currency from rates
    union
    select currency from declared_bases
),

grid as (
    select currencies.currency, days.day
    from currencies
    cross join days
),

-- Latest rate on or before each day.
currency_rate as (
    select grid.currency, grid.day, case when grid.currency in (select currency from declared_bases) then 1 else rates.rate end as rate
    from grid
    asof left join rates on grid.currency = rates.currency and grid.day >= rates.rate_date
),

reporting_rate as (
    select days.day, case when reporting.is_base then 1 else rates.rate end as rate
    from days
    cross join reporting
    asof left join rates on reporting.currency = rates.currency and days.day >= rates.rate_date
),

final as (
    select
        currency_rate.currency,
        currency_rate.day,
        -- Cross rate through the base currency when reporting is not the base.
        -- Stored in 64 bits (DuckDB reads 128-bit decimals many times slower); every use multiplies
        -- it as DECIMAL(38, 10) (the to_reporting macro), since amount (18,2) x factor (18,10) overflows 64 bits past a million.
        (currency_rate.rate / reporting_rate.rate)::decimal(18, 10) as factor,
        case
            when currency_rate.rate is null then currency_rate.currency
            when reporting_rate.rate is null then (select currency from reporting)
        end as missing_currency
    from currency_rate
    join reporting_rate on reporting_rate.day = currency_rate.day
)

select * from final

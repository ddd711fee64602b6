-- One row per calendar month per country (first invoice month to the as-of); money in reporting currency. Formulas: see kpi_monthly_by_dimension.
with by_dimension as (
    select * from kpi_monthly_by_dimension
    where dimension = 'country'
),

final as (
    select dimension_value as country, * exclude (dimension, dimension_value)
    from by_dimension
    order by country, month
)

select * from final

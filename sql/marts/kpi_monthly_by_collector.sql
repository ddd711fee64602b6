-- One row per calendar month per collector (first invoice month to the as-of); money in reporting currency. Formulas: see kpi_monthly_by_dimension.
with by_dimension as (
    select * from kpi_monthly_by_dimension
    where dimension = 'collector'
),

final as (
    select dimension_value as collector, * exclude (dimension, dimension_value)
    from by_dimension
    order by collector, month
)

select * from final

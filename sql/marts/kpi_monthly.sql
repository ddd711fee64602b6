-- One row per calendar month (first invoice month to the as-of), the whole portfolio; money in reporting currency. Formulas: see kpi_monthly_by_dimension.
with by_dimension as (
    select * from kpi_monthly_by_dimension
    where dimension = 'all'
),

final as (
    select * exclude (dimension, dimension_value)
    from by_dimension
    order by month
)

select * from final

-- One row per segment of the customer book: per behaviour segment, per value tier, per portfolio stage, and per all three crossed (grouped_by says which); money in reporting currency.
-- overdue_pct = overdue_balance / open_balance x 100 of the customers in the row.
with customers as (
    select * from dim_customers
),

grouped as (
    select
        case
            when grouping(behaviour_segment, value_tier, portfolio_stage) = 0 then 'all'
            when grouping(behaviour_segment) = 0 then 'behaviour_segment'
            when grouping(value_tier) = 0 then 'value_tier'
            else 'portfolio_stage'
        end as grouped_by,
        behaviour_segment,
        value_tier,
        portfolio_stage,
        count(*)::integer as customers,
        sum(open_balance) as open_balance,
        sum(overdue_balance) as overdue_balance
    from customers
    group by grouping sets ((behaviour_segment), (value_tier), (portfolio_stage), (behaviour_segment, value_tier, portfolio_stage))
),

final as (
    select
        *,
        round(100 * overdue_balance / nullif(open_balance, 0), 2) as overdue_pct
    from grouped
)

select * from final

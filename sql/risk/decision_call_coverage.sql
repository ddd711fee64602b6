-- one row per month-end per ordering of the replayed call list: what its first $top_share of calls covers; money columns DECIMAL(18,2) in reporting currency
-- Reads risk_backtest_decision. One call per customer with an open balance on as_of. Orderings:
--   model            = the model's expected late amount, sum of outstanding x probability (call_candidates.sql's amount at risk,
--                      without its capacity, promise, dispute and recoverability terms: those read today's records)
--   overdue_balance  = the customer's balance past due on as_of
--   days_past_due    = the customer's oldest days past due on as_of
-- Ties go to the lower customer_id. The first calls are the top greatest(1, round(calls x $top_share)).
with

customers as (
    select
        as_of,
        customer_id,
        sum(outstanding::double * probability) as expected_late_amount,
        coalesce(sum(outstanding) filter (where days_past_due > 0), 0) as overdue_balance,
        max(days_past_due) as oldest_days_past_due,
        coalesce(sum(outstanding) filter (where late_within_horizon), 0) as newly_late_amount,
        sum(collected_later) as collected_later
    from risk_backtest_decision
    group by as_of, customer_id
),

ranked as (
    select
        *,
        count(*) over (partition by as_of) as calls,
        row_number() over (partition by as_of order by expected_late_amount desc, customer_id) as rank_model,
        row_number() over (partition by as_of order by overdue_balance desc, customer_id) as rank_overdue_balance,
        row_number() over (partition by as_of order by oldest_days_past_due desc, customer_id) as rank_days_past_due
    from customers
),

orderings as (
    select as_of, calls, 'model' as ordering, rank_model as rank, newly_late_amount, collected_later from ranked
    union all
    select as_of, calls, 'overdue_balance', rank_overdue_balance, newly_late_amount, collected_later from ranked
    union all
    select as_of, calls, 'days_past_due', rank_days_past_due, newly_late_amount, collected_later from ranked
),

final as (
    select
        as_of,
        ordering,
        any_value(calls)::integer as calls,
        greatest(1, round(any_value(calls) * $top_share::double))::integer as top_calls,
        sum(newly_late_amount)::decimal(18,2) as newly_late_amount,
        coalesce(sum(newly_late_amount) filter (where rank <= greatest(1, round(calls * $top_share::double))), 0)::decimal(18,2) as newly_late_covered,
        sum(collected_later)::decimal(18,2) as collected_later,
        coalesce(sum(collected_later) filter (where rank <= greatest(1, round(calls * $top_share::double))), 0)::decimal(18,2) as collected_covered
    from orderings
    group by as_of, ordering
)

select * from final

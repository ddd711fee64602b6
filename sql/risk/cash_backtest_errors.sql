-- one row per forecast ('model', 'history') per week 1..13 after the as-of, then one over all weeks (week_number NULL); money DECIMAL(18,2) in reporting currency
-- Reads risk_backtest_cash (one row per month-end per week). Over the month-ends (and weeks) of the row:
--   mae = mean |forecast - actual|, wape = sum |forecast - actual| / sum actual, bias = mean (forecast - actual)
--   (positive: the forecast expected more than came in). The rule is written out in cash_forecast_model.yml.
with

long as (
    select as_of, week_number, 'model' as forecast, model_amount as forecast_amount, actual_amount from risk_backtest_cash
    union all
    select as_of, week_number, 'history', history_amount, actual_amount from risk_backtest_cash
),

errors as (
    select
        forecast,
        week_number,
        count(*) as cells,
        sum(actual_amount) as actual_amount,
        sum(forecast_amount) as forecast_amount,
        avg(abs(forecast_amount - actual_amount)) as mae,
        sum(abs(forecast_amount - actual_amount)) / nullif(sum(actual_amount), 0) as wape,
        avg(forecast_amount - actual_amount) as bias
    from long
    group by grouping sets ((forecast, week_number), (forecast))
),

final as (
    select
        forecast,
        week_number::integer as week_number,
        cells::integer as cells,
        actual_amount::decimal(18, 2) as actual_amount,
        forecast_amount::decimal(18, 2) as forecast_amount,
        mae::decimal(18, 2) as mae,
        wape::double as wape,
        bias::decimal(18, 2) as bias
    from errors
)

select * from final order by forecast = 'history', week_number nulls last

-- Scalar macro: reporting-currency units per one unit of currency `cur_code` on `on_day`: the daily factor the models convert every amount with (1 for the reporting currency).
-- Pages that show reporting-currency figures in another currency divide by it, so no page carries a conversion of its own. NULL when no rate is known for that day.
create or replace macro reporting_per_unit(cur_code, on_day) as (
    select
        case
            when cur_code = (select reporting_currency from build_options) then 1::decimal(18, 10)
            else (select factors.factor from int_fx_factors_daily as factors where factors.currency = cur_code and factors.day = on_day::date)
        end
);

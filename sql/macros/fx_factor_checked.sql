-- Scalar macros: fx_factor_checked, the factor converting an amount of `cur` dated `day` into the reporting currency (no money columns).
-- 1 in the reporting currency itself; the daily factor when a rate exists; NULL after the as-of (never reported);
-- otherwise the build fails naming currency and date: a missing rate is never a silent 1.0.
create or replace macro fx_factor_checked(cur, day, factor, missing_currency, reporting_currency, as_of) as
    case
        when cur = reporting_currency then 1::decimal(18, 10)
        when factor is not null then factor
        when day > as_of then null
        else error('missing fx rate for ' || coalesce(missing_currency, cur) || ' on ' || day::varchar)
    end;

-- to_reporting: an amount (18,2) in reporting currency at a factor (18,10), rounded to the cent. The product is taken as
-- DECIMAL(38) (a million times a factor overflows 64 bits), and only when the factor is not 1: 128-bit arithmetic is
-- slow in DuckDB, and most amounts are in the reporting currency already.
create or replace macro to_reporting(amount, factor) as
    (case when factor = 1 then amount else round(amount * factor::decimal(38, 10), 2) end)::decimal(18, 2);

-- Scalar macros: an aging bucket from days past due and ascending upper bounds, e.g. [30, 60, 90, 120] -> current, 1-30, 31-60, 61-90, 91-120, 120+ (no money columns).
-- Not yet due, or due today, is 'current' (order 0); bucket i covers (bound i-1, bound i]; past the last bound is 'N+'.
create or replace macro aging_bucket_order(days, bounds) as
    case when days <= 0 then 0 else 1 + len(list_filter(bounds, lambda b: b < days)) end;

create or replace macro aging_bucket_label(bucket_order, bounds) as
    case
        when bucket_order = 0 then 'current'
        when bucket_order = 1 then '1-' || bounds[1]::varchar
        when bucket_order <= len(bounds) then (bounds[bucket_order - 1] + 1)::varchar || '-' || bounds[bucket_order]::varchar
        else bounds[len(bounds)]::varchar || '+'
    end;

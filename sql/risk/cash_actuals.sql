-- one row per as-of per week (1..13 after it); actual_amount DECIMAL(18,2) in reporting currency
-- Input: temp table risk_cash_open (as_of, invoice_id, outstanding). Actual collections in week n (as_of + 7(n - 1) + 1
--   to as_of + 7n) = payments dated in it on the invoices open at the as-of, write-offs excluded; an invoice's payments
--   count up to its balance at the as-of (an overpayment is not a collection of that balance).
with

payments as (
    select
        o.as_of,
        o.outstanding,
        p.payment_date,
        p.amount_reporting as amount,
        sum(p.amount_reporting) over (
            partition by o.as_of, o.invoice_id order by p.payment_date, p.payment_id rows unbounded preceding
        ) as paid_so_far
    from risk_cash_open as o
    join risk_src_payments as p
        on p.invoice_id = o.invoice_id and p.payment_date > o.as_of and p.payment_date <= o.as_of + 91
    where not coalesce(p.is_write_off, false) and p.amount_reporting > 0
),

counted as (
    select
        as_of,
        ((payment_date - as_of - 1) // 7 + 1)::integer as week_number,
        greatest(least(amount, outstanding - (paid_so_far - amount)), 0) as amount
    from payments
),

per_week as (
    select as_of, week_number, sum(amount) as amount from counted group by all
),

spine as (
    select as_of, r.week_number::integer as week_number
    from (select distinct as_of from risk_cash_open) as a, range(1, 14) as r(week_number)
),

final as (
    select spine.as_of, spine.week_number, coalesce(per_week.amount, 0)::decimal(18, 2) as actual_amount
    from spine
    left join per_week using (as_of, week_number)
)

select * from final order by as_of, week_number

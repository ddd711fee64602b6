-- one row per invoice scored in risk_scored_now (invoice_id, as_of, probability); outstanding DECIMAL(18,2) in reporting currency
-- The balance at the scores' as-of: the invoice's amount less the payments on it dated by then (write-offs excluded),
--   as the decision backtest's open invoices (decision_open_invoices.sql) count it.
with

scores as (
    select invoice_id, as_of, probability from risk_scored_now
),

paid as (
    select s.invoice_id, sum(p.amount_reporting) as amount
    from scores as s
    join risk_src_payments as p on p.invoice_id = s.invoice_id and p.payment_date <= s.as_of
    where not coalesce(p.is_write_off, false)
    group by all
),

final as (
    select
        s.as_of,
        s.invoice_id,
        i.due_date,
        greatest(i.amount - coalesce(paid.amount, 0), 0)::decimal(18, 2) as outstanding,
        s.probability
    from scores as s
    join risk_src_invoices as i using (invoice_id)
    left join paid using (invoice_id)
)

select * from final

-- One row per DoctoRelacionado of a CFDI payment complement loaded, with its SAT deadline; money in the paid document's currency (amount).
-- deadline: the 5th day of the month after payment_date, when the SAT wants the complement issued.
-- What rep_compliance_at (sql/macros) needs of the complements at any date, made once per build: stg_cfdi_payment_complements
-- is a view that reads each line's attributes from JSON on every read (0.6 s at 100,000 lines, on every CFO page view).
with complements as (
    select complement_line_id, complement_uuid, invoice_id, customer_id, currency, payment_date, issued_date, amount
    from stg_cfdi_payment_complements
),

final as (
    select *, (date_trunc('month', payment_date) + interval 1 month + interval 4 day)::date as deadline
    from complements
)

select * from final

-- One row per DoctoRelacionado of a CFDI payment complement loaded, with its SAT deadline; money in the paid document's currency (amount).
-- deadline: the 5th day of the month after payment_date, when the SAT wants the complement issued.
-- invoice_id is the paid document's number in the ledger (an ERP's, when int_cfdi_erp_matches pairs it with the CFDI), cfdi_uuid
-- its UUID; customer_id is the ledger's customer of that document, else the complement's receptor.
-- What rep_compliance_at (sql/macros) needs of the complements at any date, made once per build: stg_cfdi_payment_complements
-- is a view that reads each line's attributes from JSON on every read (0.6 s at 100,000 lines, on every CFO page view).
with complements as (
    select complement_line_id, complement_uuid, invoice_id as cfdi_uuid, customer_id, currency, payment_date, issued_date, amount
    from stg_cfdi_payment_complements
),

matches as (
    select uuid as cfdi_uuid, erp_invoice_id from int_cfdi_erp_matches
),

ledger as (
    select invoice_id, customer_id from int_invoices_enriched
),

final as (
    select
        complements.complement_line_id,
        complements.complement_uuid,
        coalesce(matches.erp_invoice_id, complements.cfdi_uuid) as invoice_id,
        complements.cfdi_uuid,
        coalesce(ledger.customer_id, complements.customer_id) as customer_id,
        complements.currency,
        complements.payment_date,
        complements.issued_date,
        complements.amount,
        (date_trunc('month', complements.payment_date) + interval 1 month + interval 4 day)::date as deadline
    from complements
    left join matches using (cfdi_uuid)
    left join ledger on ledger.invoice_id = coalesce(matches.erp_invoice_id, complements.cfdi_uuid)
)

select * from final

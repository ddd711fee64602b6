-- One row per PPD CFDI invoice that is in the ledger, with the ledger's number, customer, currency and issue date; money: none.
-- The ledger is the CFDIs themselves, or an ERP export: then the invoice is the ERP's that int_cfdi_erp_matches pairs with the
-- CFDI (by the UUID the ERP carries, else by Serie+Folio), and its cash is what the ERP applied to that number.
-- What rep_compliance_at (sql/macros) needs of the CFDIs at any date, made once per build: stg_cfdi_invoices is a view that
-- dedupes and reads every CFDI's attributes from JSON on each read (0.3 s at 100,000 CFDIs, on every CFO page view).
with cfdi as (
    select invoice_id as cfdi_uuid from stg_cfdi_invoices
    where payment_method = 'PPD'
),

matches as (
    select uuid as cfdi_uuid, erp_invoice_id from int_cfdi_erp_matches
),

ledger as (
    select invoice_id, customer_id, currency, invoice_date from int_invoices_enriched
),

final as (
    select ledger.invoice_id, cfdi.cfdi_uuid, ledger.customer_id, ledger.currency, ledger.invoice_date
    from cfdi
    left join matches using (cfdi_uuid)
    join ledger on ledger.invoice_id = coalesce(matches.erp_invoice_id, cfdi.cfdi_uuid)
)

select * from final

-- One row per PPD CFDI invoice that is in the ledger (the CFDIs themselves, or an ERP export carrying the same UUID), with the ledger's issue date; money: none.
-- What rep_compliance_at (sql/macros) needs of the CFDIs at any date, made once per build: stg_cfdi_invoices is a view that
-- dedupes and reads every CFDI's attributes from JSON on each read (0.3 s at 100,000 CFDIs, on every CFO page view).
with cfdi as (
    select invoice_id, customer_id, currency from stg_cfdi_invoices
    where payment_method = 'PPD'
),

ledger as (
    select invoice_id, invoice_date from int_invoices_enriched
),

final as (
    select cfdi.invoice_id, cfdi.customer_id, cfdi.currency, ledger.invoice_date
    from cfdi
    join ledger on ledger.invoice_id = cfdi.invoice_id
)

select * from final

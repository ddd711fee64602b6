-- One row per invoice or debit note from an ERP export (every loaded batch that is not CFDI XML), the newest export of each winning; money in
-- the document's currency. A debit note is an Ingreso CFDI too, so both reconcile against stg_cfdi_invoices; credit notes do not.
-- Read beside stg_cfdi_invoices by the ERP ↔ CFDI reconciliation mart: both loads sit in raw_invoices, told apart by their batch's format, and each
-- side is staged on its own here, so an ERP invoice numbered by its UUID does not hide the CFDI of the same invoice (nor the other way).
-- cfdi_uuid: the first UUID-shaped value (8-4-4-4-12 hex digits) in the invoice number, the reference or any unmapped column
--   (a "UUID" or "Folio fiscal" column lands in extra): the CFDI this invoice says it is.
-- Empty unless CFDIs were loaded too, so an ERP-only warehouse pays nothing for it.
with cfdi_batches as (
    select batch_id from ingest_batches where format = 'cfdi'
),

source as (
    select * from raw_invoices
    where not rejected and coalesce(document_type, 'invoice') in ('invoice', 'debit_note') and invoice_id is not null
      and batch_id not in (select batch_id from cfdi_batches)
      and exists (select 1 from cfdi_batches)
),

latest as (
    select * from source
    qualify row_number() over (partition by invoice_id order by batch_id desc, source_line desc) = 1
),

final as (
    select
        invoice_id,
        nullif(trim(reference), '') as reference,
        upper(coalesce(
            nullif(regexp_extract(invoice_id, '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}'), ''),
            nullif(regexp_extract(coalesce(reference, ''), '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}'), ''),
            nullif(regexp_extract(coalesce(extra::varchar, ''), '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}'), '')
        )) as cfdi_uuid,
        customer_id,
        invoice_date,
        round(amount, 2)::decimal(18, 2) as amount,
        currency
    from latest
)

select * from final

-- One row per ERP invoice and the CFDI that is the same sale, as of the build's as-of; money: none.
-- An ERP invoice is the CFDI whose UUID it carries (stg_erp_invoices.cfdi_uuid); else, among the invoices neither side matched so,
--   the CFDI whose Serie+Folio equals the ERP's invoice number (or else its reference), both compared upper-case, letters and digits only,
--   without the leading zeros of the number (A-000123 = A123). A key shared by several CFDIs picks the one in force, then the newest.
-- Read by agg_cfdi_reconciliation (the differences of each pair) and int_cfdi_ppd_invoices (an ERP ledger's PPD invoices, for the REP rule).
with options as (
    select as_of from build_options
),

cfdi as (
    select
        invoice_id,
        invoice_date,
        cancelled_date <= (select as_of from options) as is_cancelled,
        regexp_replace(upper(regexp_replace(serie_folio, '[^A-Za-z0-9]', '', 'g')), '^([A-Z]*)0+([0-9])', '\1\2') as folio_key
    from stg_cfdi_invoices
),

erp as (
    select
        invoice_id,
        cfdi_uuid,
        regexp_replace(upper(regexp_replace(invoice_id, '[^A-Za-z0-9]', '', 'g')), '^([A-Z]*)0+([0-9])', '\1\2') as number_key,
        regexp_replace(upper(regexp_replace(reference, '[^A-Za-z0-9]', '', 'g')), '^([A-Z]*)0+([0-9])', '\1\2') as reference_key
    from stg_erp_invoices
),

by_uuid as (
    select erp.invoice_id as erp_invoice_id, cfdi.invoice_id as uuid, 'uuid' as matched_by
    from erp
    join cfdi on cfdi.invoice_id = erp.cfdi_uuid
),

-- Serie+Folio candidates among the invoices no UUID matched: the ERP's number first, then its reference.
folio_candidates as (
    select erp.invoice_id as erp_invoice_id, cfdi.invoice_id as uuid, k.preference, cfdi.is_cancelled, cfdi.invoice_date
    from erp
    cross join lateral (select erp.number_key as key, 1 as preference union all select erp.reference_key, 2) as k
    join cfdi on cfdi.folio_key = k.key
    where erp.invoice_id not in (select erp_invoice_id from by_uuid)
      and cfdi.invoice_id not in (select uuid from by_uuid)
),

by_folio as (
    select erp_invoice_id, uuid, 'serie_folio' as matched_by
    from (
        select
            *,
            row_number() over (partition by erp_invoice_id order by preference, is_cancelled nulls first, invoice_date desc, uuid) as erp_rank,
            row_number() over (partition by uuid order by preference, erp_invoice_id) as cfdi_rank
        from folio_candidates
    )
    where erp_rank = 1 and cfdi_rank = 1
),

final as (
    select * from by_uuid
    union all
    select * from by_folio
)

select * from final

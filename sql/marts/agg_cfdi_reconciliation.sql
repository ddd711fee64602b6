-- One row per reconciliation finding between the ERP's invoices and the CFDIs as of the build's as-of; money in each side's own invoice currency.
-- Matching: int_cfdi_erp_matches (by the UUID the ERP carries, else by Serie+Folio).
-- Findings: only_in_cfdi (a CFDI in force the ERP lacks), only_in_erp (an ERP invoice with no CFDI), amount, currency, invoice_date and
--   customer (a matched pair that differs), cancelled_in_sat_open_in_erp, paid_per_cfdi_open_in_erp.
with options as (
    select as_of from build_options
),

cfdi as (
    select
        *,
        cancelled_date <= (select as_of from options) as is_cancelled
    from stg_cfdi_invoices
),

erp as (
    select * from stg_erp_invoices
),

-- The pairs (sql/intermediate/int_cfdi_erp_matches.sql): by UUID, else by Serie+Folio.
matches as (
    select erp_invoice_id, uuid, matched_by from int_cfdi_erp_matches
),

-- What the CFDIs say was paid: PUE at issue, or complements issued by the as-of that cover the total or leave no balance.
complemented as (
    select invoice_id, sum(amount) as paid_amount, bool_or(balance_after = 0) as left_nothing
    from stg_cfdi_payment_complements
    where issued_date <= (select as_of from options) and payment_date <= (select as_of from options)
    group by invoice_id
),

cfdi_state as (
    select
        cfdi.*,
        case
            when cfdi.is_cancelled then 'cancelled'
            when cfdi.payment_method = 'PUE' or complemented.paid_amount >= cfdi.amount or complemented.left_nothing then 'paid'
            else 'open'
        end as cfdi_status
    from cfdi
    left join complemented using (invoice_id)
),

-- The ERP customer's RFC: its tax id in a customers export, else its own key; without spaces, dashes or dots (a tax id
-- abroad is printed with them, e.g. a RUT 76.123.456-K, and a CFDI's NumRegIdTrib may leave them out).
erp_state as (
    select
        erp.*,
        upper(regexp_replace(coalesce(stg_customers.tax_id, erp.customer_id), '[\s.-]', '', 'g')) as customer_rfc,
        fct_invoices.outstanding as erp_outstanding
    from erp
    left join stg_customers using (customer_id)
    left join fct_invoices on fct_invoices.invoice_id = erp.invoice_id and fct_invoices.document_type <> 'credit_note'
),

pairs as (
    select
        matches.matched_by,
        c.invoice_id as uuid,
        c.serie_folio,
        e.invoice_id as erp_invoice_id,
        c.customer_id as cfdi_customer_id,
        e.customer_id as erp_customer_id,
        c.invoice_date as cfdi_invoice_date,
        e.invoice_date as erp_invoice_date,
        c.amount as cfdi_amount,
        c.currency as cfdi_currency,
        e.amount as erp_amount,
        e.currency as erp_currency,
        c.cfdi_status,
        c.cancelled_date,
        e.erp_outstanding,
        -- A foreign customer's CFDI key is the generic RFC, its country and its tax id abroad: the ERP may give that tax id or the generic RFC.
        e.customer_rfc = c.customer_id
            or (c.customer_id like 'XEXX010101000-%' and (
                e.customer_rfc = 'XEXX010101000'
                or c.customer_id like '%-' || e.customer_rfc
                or e.customer_rfc = upper(regexp_replace(regexp_extract(c.customer_id, '^XEXX010101000-(?:[A-Z]{3}-)?(.+)$', 1), '[\s.-]', '', 'g'))))
            as same_customer
    from matches
    join cfdi_state as c on c.invoice_id = matches.uuid
    join erp_state as e on e.invoice_id = matches.erp_invoice_id
),

differences as (
    select 'amount' as finding, *, cfdi_amount::varchar as cfdi_value, erp_amount::varchar as erp_value from pairs where cfdi_amount <> erp_amount
    union all
    select 'currency', *, cfdi_currency, erp_currency from pairs where cfdi_currency <> erp_currency
    union all
    select 'invoice_date', *, cfdi_invoice_date::varchar, erp_invoice_date::varchar from pairs where cfdi_invoice_date <> erp_invoice_date
    union all
    select 'customer', *, cfdi_customer_id, erp_customer_id from pairs where not same_customer
    union all
    select 'cancelled_in_sat_open_in_erp', *, 'cancelled ' || cancelled_date::varchar, 'open ' || erp_outstanding::varchar
    from pairs where cfdi_status = 'cancelled' and erp_outstanding > 0
    union all
    select 'paid_per_cfdi_open_in_erp', *, 'paid', 'open ' || erp_outstanding::varchar
    from pairs where cfdi_status = 'paid' and erp_outstanding > 0
),

only_in_cfdi as (
    select
        'only_in_cfdi' as finding, null::varchar as matched_by, invoice_id as uuid, serie_folio, null::varchar as erp_invoice_id,
        customer_id as cfdi_customer_id, null::varchar as erp_customer_id, invoice_date as cfdi_invoice_date, null::date as erp_invoice_date,
        amount as cfdi_amount, currency as cfdi_currency, null::decimal(18, 2) as erp_amount, null::varchar as erp_currency,
        cfdi_status, cancelled_date, null::decimal(18, 2) as erp_outstanding, null::boolean as same_customer,
        cfdi_status as cfdi_value, null::varchar as erp_value
    from cfdi_state
    where cfdi_status <> 'cancelled' and invoice_id not in (select uuid from matches)
),

only_in_erp as (
    select
        'only_in_erp' as finding, null::varchar as matched_by, null::varchar as uuid, null::varchar as serie_folio, invoice_id as erp_invoice_id,
        null::varchar as cfdi_customer_id, customer_id as erp_customer_id, null::date as cfdi_invoice_date, invoice_date as erp_invoice_date,
        null::decimal(18, 2) as cfdi_amount, null::varchar as cfdi_currency, amount as erp_amount, currency as erp_currency,
        null::varchar as cfdi_status, null::date as cancelled_date, erp_outstanding, null::boolean as same_customer,
        null::varchar as cfdi_value, case when erp_outstanding > 0 then 'open ' || erp_outstanding::varchar else 'settled' end as erp_value
    from erp_state
    where invoice_id not in (select erp_invoice_id from matches)
),

final as (
    select
        finding,
        matched_by,
        uuid,
        serie_folio,
        erp_invoice_id,
        cfdi_customer_id,
        erp_customer_id,
        cfdi_invoice_date,
        erp_invoice_date,
        cfdi_amount::decimal(18, 2) as cfdi_amount,
        cfdi_currency,
        erp_amount::decimal(18, 2) as erp_amount,
        erp_currency,
        cfdi_value,
        erp_value,
        case when finding = 'amount' and cfdi_currency = erp_currency then (cfdi_amount - erp_amount)::decimal(18, 2) end as difference,
        erp_outstanding::decimal(18, 2) as erp_outstanding
    from (
        select * exclude (same_customer, cfdi_status, cancelled_date) from differences
        union all by name
        select * exclude (same_customer, cfdi_status, cancelled_date) from only_in_cfdi
        union all by name
        select * exclude (same_customer, cfdi_status, cancelled_date) from only_in_erp
    )
    where least(cfdi_invoice_date, erp_invoice_date) <= (select as_of from options)
)

select * from final

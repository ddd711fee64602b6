-- One row per Ingreso CFDI loaded (an invoice from a CFDI XML, not from an ERP export), with its SAT payment method; money in the invoice's currency.
-- payment_method: PUE (settled at issue) or PPD (paid later, each payment needing a payment complement), from the XML's MetodoPago.
-- serie_folio: Serie + Folio as the issuer numbers the invoice (NULL when the CFDI has neither).
-- cancelled_date: the FechaCancelacion the SAT's metadata gives when it lists the CFDI cancelled (NULL while in force).
with batches as (
    select batch_id from ingest_batches where format = 'cfdi'
),

source as (
    select * from raw_invoices
    where not rejected and invoice_id is not null
      and batch_id in (select batch_id from batches)
),

-- A cancellation loads as a credit note '<UUID>/cancelacion' naming the invoice's UUID, dated on the cancellation.
cancellations as (
    select reference as invoice_id, min(invoice_date) as cancelled_date
    from source
    where document_type = 'credit_note' and invoice_id = reference || '/cancelacion'
    group by reference
),

invoices as (
    select * from source
    where document_type = 'invoice'
    qualify row_number() over (partition by invoice_id order by batch_id desc, source_line desc) = 1
),

final as (
    select
        invoices.invoice_id,
        nullif(trim(invoices.reference), '') as serie_folio,
        invoices.customer_id,
        invoices.invoice_date,
        invoices.amount::decimal(18, 2) as amount,
        invoices.currency,
        upper(json_extract_string(invoices.extra, '$.MetodoPago')) as payment_method,
        cancellations.cancelled_date
    from invoices
    left join cancellations using (invoice_id)
)

select * from final

-- One row per Ingreso CFDI loaded (an invoice from a CFDI XML, not from an ERP export), with its SAT payment method; money in the invoice's currency.
-- payment_method: PUE (settled at issue) or PPD (paid later, each payment needing a payment complement), from the XML's MetodoPago.
with batches as (
    select batch_id from ingest_batches where format = 'cfdi'
),

source as (
    select * from raw_invoices
    where not rejected and document_type = 'invoice' and invoice_id is not null
      and batch_id in (select batch_id from batches)
),

final as (
    select
        invoice_id,
        customer_id,
        invoice_date,
        amount::decimal(18, 2) as amount,
        currency,
        upper(json_extract_string(extra, '$.MetodoPago')) as payment_method
    from source
    qualify row_number() over (partition by invoice_id order by batch_id desc, source_line desc) = 1
)

select * from final

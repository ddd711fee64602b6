-- One row per DoctoRelacionado of a CFDI payment complement (a Pago CFDI) loaded; money in the paid document's currency (ImpPagado, MonedaDR).
-- invoice_id: the IdDocumento, also where ingestion found no such invoice and kept the payment unapplied.
-- issued_date: the complement's own Fecha, which the SAT's deadline (the 5th day of the month after the payment) applies to.
with batches as (
    select batch_id from ingest_batches where format = 'cfdi'
),

source as (
    select * from raw_payments
    where not rejected and batch_id in (select batch_id from batches)
),

final as (
    select
        payment_id as complement_line_id,
        reference as complement_uuid,
        coalesce(invoice_id, json_extract_string(extra, '$.unknown_invoice_id')) as invoice_id,
        customer_id,
        payment_date,
        try_cast(json_extract_string(extra, '$."Fecha (complemento)"') as date) as issued_date,
        amount::decimal(18, 2) as amount,
        currency,
        try_cast(json_extract_string(extra, '$.NumParcialidad') as integer) as installment,
        try_cast(json_extract_string(extra, '$.ImpSaldoInsoluto') as decimal(18, 2)) as balance_after
    from source
    qualify row_number() over (partition by payment_id order by batch_id desc, source_line desc) = 1
)

select * from final

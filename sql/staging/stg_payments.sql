-- One row per payment or write-off, the newest export of each winning; money in the payment's currency (NULL when the export gave none).
with source as (
    select * from raw_payments
),

-- Rows a newer export of the same key replaced (ranking only the key columns: far cheaper than whole rows).
superseded as (
    select batch_id, source_line
    from source
    where payment_id is not null
    qualify row_number() over (partition by payment_id order by batch_id desc, source_line desc) > 1
),

latest as (
    select
        coalesce(payment_id, 'row-' || batch_id || '-' || source_line) as payment_id,
        *
        exclude (payment_id)
    from source
    anti join superseded using (batch_id, source_line)
),

final as (
    select
        payment_id,
        customer_id,
        nullif(trim(invoice_id), '') as invoice_id,
        payment_date,
        amount,
        currency,
        strip_accents(lower(trim(method))) as method,
        -- A write-off closes a balance without cash: it is not a collection.
        coalesce(strip_accents(lower(trim(method))) in ('write_off', 'write-off', 'writeoff', 'written_off', 'castigo', 'castigada', 'bad_debt', 'incobrable'), false) as is_write_off,
        nullif(trim(reference), '') as reference,
        batch_id,
        source_line
    from latest
)

select * from final

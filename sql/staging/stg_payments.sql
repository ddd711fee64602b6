-- One row per payment or write-off, the newest export of each winning; money in the payment's currency (NULL when the export gave none).
-- Money is rounded here, once, to the currency's minor unit (whole units for currencies without cents, cents for the rest):
-- raw_payments keeps it as exported (up to 6 decimals), the models compute in DECIMAL(18,2).
-- source_rowid: the raw row's DuckDB row id, unique within a build: the models' integer keys come from it
-- (numbering rows with a window instead ran single-threaded and held up the whole 10M-row build).
with source as not materialized (
    select rowid as source_rowid, * from raw_payments
    where not rejected
      -- CFDIs loaded beside an ERP export check it and do not add to it (see stg_cfdi_check_batches).
      and batch_id not in (select batch_id from stg_cfdi_check_batches)
),

-- Keys exported more than once. Ingestion rejects a key repeated within one load, so with a single
-- batch nothing repeats and the grouping is skipped; otherwise a hash grouping finds the few repeats
-- (ranking every row by key instead took most of a 10M-row build).
repeated as (
    select payment_id
    from source
    where payment_id is not null and (select count(distinct batch_id) from source) > 1
    group by payment_id
    having count(*) > 1
),

-- Rows a newer export of the same key replaced.
superseded as (
    select batch_id, source_line
    from source
    semi join repeated using (payment_id)
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
        -- The ISO 4217 currencies without a minor unit.
        case
            when currency in ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF')
                then round(amount, 0)
            else round(amount, 2)
        end::decimal(18, 2) as amount,
        currency,
        strip_accents(lower(trim(method))) as method,
        -- A write-off closes a balance without cash: it is not a collection.
        coalesce(strip_accents(lower(trim(method))) in ('write_off', 'write-off', 'writeoff', 'written_off', 'castigo', 'castigada', 'bad_debt', 'incobrable'), false) as is_write_off,
        nullif(trim(reference), '') as reference,
        batch_id,
        source_line,
        source_rowid
    from latest
)

select * from final

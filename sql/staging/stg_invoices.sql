-- One row per document (invoice, credit note, debit note), the newest export of each winning; money in document currency, credit notes negative.
-- Money is rounded here, once, to the currency's minor unit (whole units for currencies without cents, cents for the rest):
-- raw_invoices keeps it as exported (up to 6 decimals), the models compute in DECIMAL(18,2).
-- source_rowid: the raw row's DuckDB row id, unique within a build: the models' integer keys come from it
-- (numbering rows with a window instead ran single-threaded and held up the whole 10M-row build).
with source as not materialized (
    select rowid as source_rowid, * from raw_invoices
    where not rejected
      -- CFDIs loaded beside an ERP export check it and do not add to it (see stg_cfdi_check_batches).
      and batch_id not in (select batch_id from stg_cfdi_check_batches)
),

-- Keys exported more than once. Ingestion rejects a key repeated within one load, so with a single
-- batch nothing repeats and the grouping is skipped; otherwise a hash grouping finds the few repeats
-- (ranking every row by key instead took most of a 10M-row build).
repeated as (
    select invoice_id
    from source
    where invoice_id is not null and (select count(distinct batch_id) from source) > 1
    group by invoice_id
    having count(*) > 1
),

-- Rows a newer export of the same key replaced.
superseded as (
    select batch_id, source_line
    from source
    semi join repeated using (invoice_id)
    qualify row_number() over (partition by invoice_id order by batch_id desc, source_line desc) > 1
),

latest as (
    select
        coalesce(invoice_id, 'row-' || batch_id || '-' || source_line) as invoice_id,
        *
        exclude (invoice_id)
    from source
    anti join superseded using (batch_id, source_line)
),

-- Batches whose due date stands in for the issue date (an open-items report without one: ingestion warned of it).
due_date_as_issue_date as (
    select batch_id
    from ingest_batches
    where json_extract_string(mapping, '$.stand_ins.invoice_date') = 'due_date'
),

-- A document without a currency is in the export's usual currency: the most common one given.
default_currency as (
    select coalesce(
        (select currency from raw_invoices where not rejected and currency is not null group by currency order by count(*) desc, currency limit 1),
        'XXX'
    ) as currency
),

renamed as (
    select
        invoice_id,
        customer_id,
        nullif(trim(customer_name), '') as customer_name,
        nullif(trim(country), '') as country,
        invoice_date,
        -- 'due_date' when the export had no issue date and its due date stands in for it, else 'export'.
        case when batch_id in (select batch_id from due_date_as_issue_date) then 'due_date' else 'export' end as invoice_date_source,
        due_date,
        payment_terms_days,
        coalesce(document_type, 'invoice') as document_type,
        amount,
        coalesce(currency, (select currency from default_currency)) as currency,
        paid_date,
        paid_amount,
        outstanding,
        days_to_pay,
        days_late,
        coalesce(disputed, false) as disputed,
        strip_accents(lower(trim(status))) as source_status,
        nullif(trim(reference), '') as reference,
        description,
        -- The export's unmapped columns, as JSON (column name -> value as written).
        extra,
        batch_id,
        source_line,
        source_rowid
    from latest
),

in_minor_units as (
    select
        * replace (
            case when whole_units then round(amount, 0) else round(amount, 2) end::decimal(18, 2) as amount,
            case when whole_units then round(paid_amount, 0) else round(paid_amount, 2) end::decimal(18, 2) as paid_amount,
            case when whole_units then round(outstanding, 0) else round(outstanding, 2) end::decimal(18, 2) as outstanding
        )
    from (
        -- The ISO 4217 currencies without a minor unit.
        select
            *,
            currency in ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF') as whole_units
        from renamed
    )
),

final as (
    select
        invoice_id,
        customer_id,
        customer_name,
        country,
        invoice_date,
        invoice_date_source,
        due_date,
        payment_terms_days,
        document_type,
        -- Exports disagree on the sign of credit notes; here they always reduce what is owed.
        case when document_type = 'credit_note' then -abs(amount) else abs(amount) end as amount,
        currency,
        paid_date,
        abs(paid_amount) as paid_amount,
        case when document_type = 'credit_note' then -abs(outstanding) else outstanding end as outstanding,
        days_to_pay,
        days_late,
        disputed,
        case
            when source_status in ('open', 'pendiente', 'abierta', 'abierto', 'vigente', 'vencida', 'vencido', 'por cobrar', 'unpaid', 'overdue', 'partial', 'parcial') then 'open'
            when source_status in ('paid', 'pagada', 'pagado', 'liquidada', 'liquidado', 'cobrada', 'cobrado', 'saldada', 'saldado', 'settled', 'closed') then 'paid'
            when source_status in ('written_off', 'write_off', 'written off', 'castigada', 'castigado', 'incobrable',
                                   'cancelada por castigo', 'cancelada_por_castigo', 'cancelada-castigo') then 'written_off'
            when source_status in ('legal', 'juridico', 'en juridico', 'cobranza judicial', 'judicial', 'litigation') then 'legal'
            else source_status
        end as source_status,
        reference,
        description,
        extra,
        batch_id,
        source_line,
        source_rowid
    from in_minor_units
)

select * from final

-- One row per promise to pay, the newest export of each winning; amount in the customer's document currency.
-- amount is rounded here to cents (the raw table keeps it as exported, up to 6 decimals; the export names no currency).
with source as not materialized (
    select * from raw_promises_to_pay
    where not rejected
),

-- Rows a newer export of the same key replaced (ranking only the key columns: far cheaper than whole rows).
superseded as (
    select batch_id, source_line
    from source
    where promise_id is not null
    qualify row_number() over (partition by promise_id order by batch_id desc, source_line desc) > 1
),

latest as (
    select
        coalesce(promise_id, 'row-' || batch_id || '-' || source_line) as promise_id,
        *
        exclude (promise_id)
    from source
    anti join superseded using (batch_id, source_line)
),

final as (
    select
        promise_id,
        customer_id,
        nullif(trim(invoice_id), '') as invoice_id,
        promise_date,
        promised_date,
        round(amount, 2)::decimal(18, 2) as amount,
        case
            when strip_accents(lower(trim(status))) in ('kept', 'cumplida', 'cumplido', 'fulfilled', 'paid', 'pagada') then 'kept'
            when strip_accents(lower(trim(status))) in ('broken', 'incumplida', 'incumplido', 'rota', 'failed', 'missed') then 'broken'
            when strip_accents(lower(trim(status))) in ('pending', 'pendiente', 'open', 'abierta', 'vigente') then 'pending'
            else strip_accents(lower(trim(status)))
        end as source_status,
        nullif(trim(collector), '') as collector,
        'batch ' || batch_id as source
    from latest
)

select * from final

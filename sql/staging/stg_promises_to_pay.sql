-- One row per promise to pay, the newest export of each winning; amount in the customer's document currency.
with source as (
    select
        coalesce(promise_id, 'row-' || batch_id || '-' || source_line) as promise_id,
        *
        exclude (promise_id)
    from raw_promises_to_pay
),

latest as (
    select *
    from source
    qualify row_number() over (partition by promise_id order by batch_id desc, source_line desc) = 1
),

final as (
    select
        promise_id,
        customer_id,
        nullif(trim(invoice_id), '') as invoice_id,
        promise_date,
        promised_date,
        amount,
        case
            when strip_accents(lower(trim(status))) in ('kept', 'cumplida', 'cumplido', 'fulfilled', 'paid', 'pagada') then 'kept'
            when strip_accents(lower(trim(status))) in ('broken', 'incumplida', 'incumplido', 'rota', 'failed', 'missed') then 'broken'
            when strip_accents(lower(trim(status))) in ('pending', 'pendiente', 'open', 'abierta', 'vigente') then 'pending'
            else strip_accents(lower(trim(status)))
        end as source_status,
        nullif(trim(collector), '') as collector
    from latest
)

select * from final

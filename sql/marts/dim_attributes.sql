-- One row per document or customer and attribute the export gave it (a descriptive mapped column, or any column the mapping left in extra), value as text; no money columns.
-- dated: whether the value belongs to the document as issued (its country, description) or is a state with no date of
--   its own that an export shows as of its day (the disputed flag, the customer master's fields, every unmapped column).
--   The risk model counts an undated value as known from the document's date, and its backtest reports the model without them too.
with options as (
    select * from build_options
),

invoices as (
    select invoice_id, customer_id, invoice_date, country, description, disputed, extra from stg_invoices
    where invoice_date <= (select as_of from options)
),

customers as (
    select customer_id, country, segment, industry, collector, extra from stg_customers
),

invoice_mapped as (
    select 'invoice' as entity, invoice_id as entity_id, attribute, value, dated
    from invoices,
    lateral (values
        ('country', country, true),
        ('description', nullif(trim(description), ''), true),
        -- Only when set: an export without the column says nothing, and a row per undisputed invoice would double the mart.
        ('disputed', case when disputed then 'true' end, false)
    ) as t(attribute, value, dated)
),

invoice_extra as (
    select 'invoice' as entity, invoice_id as entity_id, k as attribute, json_extract_string(extra, '$."' || replace(k, '"', '\"') || '"') as value, false as dated
    from (select invoice_id, extra, unnest(json_keys(extra)) as k from invoices where extra is not null)
    -- An unmapped column named like a mapped one (a second "country"): the mapped one wins, so the extra one is dropped.
    where k not in ('country', 'description', 'disputed')
),

customer_mapped as (
    select 'customer' as entity, customer_id as entity_id, attribute, value, false as dated
    from customers,
    lateral (values ('country', country), ('segment', segment), ('industry', industry), ('collector', collector)) as t(attribute, value)
),

customer_extra as (
    select 'customer' as entity, customer_id as entity_id, k as attribute, json_extract_string(extra, '$."' || replace(k, '"', '\"') || '"') as value, false as dated
    from (select customer_id, extra, unnest(json_keys(extra)) as k from customers where extra is not null)
    where k not in ('country', 'segment', 'industry', 'collector')
),

unioned as (
    select * from invoice_mapped
    union all
    select * from invoice_extra
    union all
    select * from customer_mapped
    union all
    select * from customer_extra
),

final as (
    select entity, entity_id, attribute, trim(value) as value, dated
    from unioned
    where nullif(trim(value), '') is not null and entity_id is not null
)

select * from final

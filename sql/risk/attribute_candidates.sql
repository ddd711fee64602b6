-- one row per attribute (of dim_attributes, through risk_src_attributes) seen on invoices issued before $train_until: how many invoices carry it (of how many), its distinct values, whether every value is a number, and its frequent values
-- Parameters: $late_days, $train_until, $min_count. A frequent value has at least $min_count invoices whose outcome was known before $train_until.
with

invoices as (
    select invoice_id, customer_id, due_date, settled_date
    from risk_src_invoices
    where invoice_date < $train_until::date
),

attributes as (
    select entity, entity_id, attribute, value, dated from risk_src_attributes
),

-- Each invoice's values: its own, and its customer's.
valued as (
    select a.entity, a.attribute, a.dated, a.value, i.invoice_id, i.due_date, i.settled_date
    from invoices as i
    join attributes as a on a.entity = 'invoice' and a.entity_id = i.invoice_id
    union all
    select a.entity, a.attribute, a.dated, a.value, i.invoice_id, i.due_date, i.settled_date
    from invoices as i
    join attributes as a on a.entity = 'customer' and a.entity_id = i.customer_id
),

known as (
    select
        *,
        (case when settled_date <= due_date + $late_days::int then settled_date else due_date + $late_days::int + 1 end) < $train_until::date as outcome_known
    from valued
),

by_value as (
    select entity, attribute, value, count(*) filter (where outcome_known) as n_known
    from known
    group by all
),

per_attribute as (
    select
        entity,
        attribute,
        bool_and(dated) as dated,
        count(*) as n_rows,
        (select count(*) from invoices) as n_invoices,
        count(distinct value) as n_values,
        bool_and(try_cast(value as double) is not null) as all_numbers
    from known
    group by all
),

frequent as (
    select entity, attribute, list(value order by n_known desc, value) as frequent_values
    from by_value
    where n_known >= $min_count
    group by all
),

final as (
    select p.*, coalesce(f.frequent_values, []) as frequent_values
    from per_attribute as p
    left join frequent as f using (entity, attribute)
    order by p.entity, p.attribute
)

select * from final

-- one row per attribute (of dim_attributes, through risk_src_attributes) seen on the training examples (temp table risk_examples): how many examples carry it (of how many), its distinct values, whether every value is a number, and its frequent values
-- Parameter $min_count: a frequent value is on at least $min_count examples. The examples are the model's own (outcomes known by
-- the cut-off, at most the 200,000 most recent), so the choice reads as many rows whatever the history's size.
with

invoices as (
    select i.invoice_id, i.customer_id
    from risk_examples as e
    join risk_src_invoices as i using (invoice_id)
),

-- Not materialized: each join reads only the rows it needs instead of a copy of every attribute row.
attributes as not materialized (
    select entity, entity_id, attribute, value, dated from risk_src_attributes
),

-- Each invoice's values: its own, and its customer's.
valued as (
    select a.entity, a.attribute, a.dated, a.value, i.invoice_id
    from invoices as i
    join attributes as a on a.entity = 'invoice' and a.entity_id = i.invoice_id
    union all
    select a.entity, a.attribute, a.dated, a.value, i.invoice_id
    from invoices as i
    join attributes as a on a.entity = 'customer' and a.entity_id = i.customer_id
),

by_value as (
    select entity, attribute, value, count(*) as n_known
    from valued
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
    from valued
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

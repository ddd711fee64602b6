-- One row per customer seen in the master, on a document or on a payment, with the facts open items are reported by; no money columns.
-- The master wins; a customer only on documents takes the name and country its documents carry.
with customers as (
    select * from stg_customers
),

documents as (
    select customer_id, customer_name, country from int_invoices_enriched
),

payments as (
    select distinct customer_id from int_payments_unioned
),

from_documents as (
    select
        customer_id,
        any_value(customer_name) filter (where customer_name is not null) as customer_name,
        any_value(country) filter (where country is not null) as country
    from documents
    group by customer_id
),

ids as (
    select customer_id from customers
    union
    select customer_id from from_documents
    union
    select customer_id from payments
),

final as (
    select
        ids.customer_id,
        coalesce(customers.name, from_documents.customer_name) as customer_name,
        customers.segment,
        customers.collector,
        coalesce(customers.country, from_documents.country) as country
    from ids
    left join customers on customers.customer_id = ids.customer_id
    left join from_documents on from_documents.customer_id = ids.customer_id
)

select * from final

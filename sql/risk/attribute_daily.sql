-- one row per (entity, attribute, value, known_on) of the category attributes in temp table risk_attr_daily_spec (entity, attribute, from_day): how many invoices carrying the value (their own, or their customer's) had their outcome become known that day, and how many of them were late, for the days from from_day
-- The outcomes are those of temp table risk_attr_outcomes (sql/risk/attribute_outcomes.sql, from the earliest from_day).
-- Counted per value, not per code: the codes are chosen per training, the counts serve any choice (src/risk/attribute-store.ts keeps them).
with

-- The spec's rows of the attributes (the few attributes chosen, not every column of a wide export).
valued as not materialized (
    select a.entity, a.entity_id, a.attribute, a.value, s.from_day
    from risk_src_attributes as a
    join risk_attr_daily_spec as s on s.entity = a.entity and s.attribute = a.attribute
),

-- The values the outcomes carry: an invoice's own, and its customer's.
outcome_values as (
    select v.entity, v.attribute, v.value, o.known_on, o.is_late
    from risk_attr_outcomes as o
    join valued as v on v.entity = 'invoice' and v.entity_id = o.invoice_id
    where o.known_on >= v.from_day
    union all
    select v.entity, v.attribute, v.value, o.known_on, o.is_late
    from risk_attr_outcomes as o
    join valued as v on v.entity = 'customer' and v.entity_id = o.customer_id
    where o.known_on >= v.from_day
)

select entity, attribute, value, known_on, count(*) as n, count(*) filter (where is_late) as n_late
from outcome_values
group by all

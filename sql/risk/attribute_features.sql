-- one row per target in temp table risk_targets (rn, invoice_id, as_of) and attribute feature in temp table risk_attr_spec (idx, entity, attribute, kind): the feature's value as known on as_of
-- An invoice is late when not settled within late_days days of its due date (temp table risk_attr_outcomes).
-- number: the value as it is (-1e12 when the export gave none). category: the late share of the invoices with the same
--   value whose outcome was known on or before as_of, shrunk toward the late share of all invoices known then, minus that share; values
--   outside risk_attr_vocab (rare in the training history) share one code, and so do invoices without a value.
-- No leakage: an outcome counts from the day it became known, as in features.sql; an undated value counts as known from the document's date.
with

targets as (
    select rn, invoice_id, as_of from risk_targets
),

spec as (
    select idx, entity, attribute, kind from risk_attr_spec
),

invoices as (
    select invoice_id, customer_id, due_date, settled_date from risk_src_invoices
),

-- Each invoice's outcome and the day it became known, for outcomes known by the latest target date (temp table
-- risk_attr_outcomes, sql/risk/attribute_outcomes.sql).
invoice_outcomes as (
    select invoice_id, customer_id, known_on, is_late from risk_attr_outcomes
),

categorical as (
    select idx from spec where kind = 'category'
),

-- The code of a value given for a category feature: its own, or ' other' for a value too rare to have one (values are
-- trimmed). An invoice without a value has the code '' (the mart holds no blank values), counted below by difference.
-- Not materialized: each use reads only its entity's rows, and the planner sizes its joins from the tables.
coded as not materialized (
    select a.entity, a.entity_id, s.idx, coalesce(voc.value, ' other') as code
    from risk_src_attributes as a
    join spec as s on s.entity = a.entity and s.attribute = a.attribute and s.kind = 'category'
    left join risk_attr_vocab as voc on voc.idx = s.idx and voc.value = a.value
),

-- The codes the outcomes carry: an invoice's own, and its customer's.
outcome_codes as (
    select o.known_on, o.is_late, c.idx, c.code
    from invoice_outcomes as o
    join coded as c on c.entity = 'invoice' and c.entity_id = o.invoice_id
    union all
    select o.known_on, o.is_late, c.idx, c.code
    from invoice_outcomes as o
    join coded as c on c.entity = 'customer' and c.entity_id = o.customer_id
),

-- Outcomes becoming known each day: of every invoice, and of those with each code.
all_daily as (
    select known_on, count(*) as n, count(*) filter (where is_late) as n_late
    from invoice_outcomes
    group by known_on
),

code_daily as (
    select idx, code, known_on, count(*) as n, count(*) filter (where is_late) as n_late
    from outcome_codes
    group by all
),

-- Invoices without a value: every outcome of the day less those with a value for the feature (no invoice-by-feature grid).
blank_daily as (
    select f.idx, '' as code, a.known_on, a.n - coalesce(sum(d.n), 0) as n, a.n_late - coalesce(sum(d.n_late), 0) as n_late
    from all_daily as a
    cross join categorical as f
    left join code_daily as d on d.idx = f.idx and d.known_on = a.known_on
    group by f.idx, a.known_on, a.n, a.n_late
),

code_running as (
    select
        idx,
        code,
        known_on,
        sum(n) over (partition by idx, code order by known_on) as n_known,
        sum(n_late) over (partition by idx, code order by known_on) as n_late
    from (select * from code_daily union all select * from blank_daily)
),

all_running as (
    select
        known_on,
        sum(n) over (order by known_on) as n_known,
        sum(n_late) over (order by known_on) as n_late
    from all_daily
),

target_prior as (
    select p.as_of, a.n_late / a.n_known as prior
    from (select distinct as_of from targets) as p
    asof left join all_running as a on p.as_of >= a.known_on
),

-- The targets' own values (an invoice's, and its customer's), for every feature.
target_values as (
    select t.rn, s.idx, s.kind, a.value
    from targets as t
    join risk_src_attributes as a on a.entity = 'invoice' and a.entity_id = t.invoice_id
    join spec as s on s.entity = 'invoice' and s.attribute = a.attribute
    union all
    select t.rn, s.idx, s.kind, a.value
    from targets as t
    join invoices as i using (invoice_id)
    join risk_src_attributes as a on a.entity = 'customer' and a.entity_id = i.customer_id
    join spec as s on s.entity = 'customer' and s.attribute = a.attribute
),

target_codes as (
    select t.rn, t.as_of, f.idx, case when v.rn is null then '' else coalesce(voc.value, ' other') end as code
    from targets as t
    cross join categorical as f
    left join target_values as v on v.rn = t.rn and v.idx = f.idx
    left join risk_attr_vocab as voc on voc.idx = v.idx and voc.value = v.value
),

categories as (
    select
        tc.rn,
        tc.idx,
        -- Shrunk toward the overall late share by 20 invoices' worth, so a value seen on 3 invoices does not read as 0% or 100%,
        -- and taken as its difference from that share: the overall share drifts with time, and a feature that tracks it
        -- teaches the trees the calendar, which does not carry past the cut-off.
        coalesce((coalesce(cr.n_late, 0) + 20 * tp.prior) / (coalesce(cr.n_known, 0) + 20) - tp.prior, 0)::double as v
    from target_codes as tc
    join target_prior as tp using (as_of)
    asof left join code_running as cr
        on cr.idx = tc.idx and cr.code = tc.code and tc.as_of >= cr.known_on
),

numbers as (
    select t.rn, f.idx, coalesce(try_cast(g.value as double), -1e12)::double as v
    from targets as t
    cross join (select idx from spec where kind = 'number') as f
    left join target_values as g on g.rn = t.rn and g.idx = f.idx
),

final as (
    select rn, idx, v from categories
    union all
    select rn, idx, v from numbers
)

select * from final

-- one row per target in temp table risk_targets (rn, invoice_id, as_of) and attribute feature in temp table risk_attr_spec (idx, entity, attribute, kind): the feature's value as known on as_of
-- Outcomes known each day: of every invoice (temp table risk_attr_daily_known), and of those carrying each value of the
-- category attributes (temp table risk_attr_daily, sql/risk/attribute_daily.sql): an invoice is late when not settled within
-- late_days days of its due date, and its outcome counts from the day it became known.
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
    select invoice_id, customer_id from risk_src_invoices
),

categorical as (
    select idx from spec where kind = 'category'
),

all_daily as (
    select known_on, n, n_late from risk_attr_daily_known
),

-- Outcomes becoming known each day with each code: a value's own, or ' other' for a value too rare to have one (values
-- are trimmed). An invoice without a value has the code '' (the mart holds no blank values), counted below by difference.
code_daily as (
    select s.idx, coalesce(voc.value, ' other') as code, d.known_on, sum(d.n) as n, sum(d.n_late) as n_late
    from risk_attr_daily as d
    join spec as s on s.entity = d.entity and s.attribute = d.attribute and s.kind = 'category'
    left join risk_attr_vocab as voc on voc.idx = s.idx and voc.value = d.value
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

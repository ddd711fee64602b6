-- one row per target in temp table risk_targets (rn, invoice_id, as_of) and attribute feature in temp table risk_attr_spec (idx, entity, attribute, kind): the feature's value as known on as_of
-- Parameter $late_days: an invoice is late when not settled within $late_days days of its due date.
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

-- Each invoice's outcome and the day it became known: settled on time, or the late line passed.
invoice_outcomes as (
    select
        invoice_id,
        case when settled_date <= due_date + $late_days::int then settled_date else due_date + $late_days::int + 1 end as known_on,
        not coalesce(settled_date <= due_date + $late_days::int, false) as is_late
    from invoices
),

-- The values the export gave: an invoice's own, and its customer's through the invoice.
given as (
    select i.invoice_id, s.idx, a.value
    from invoices as i
    join risk_src_attributes as a on a.entity = 'invoice' and a.entity_id = i.invoice_id
    join spec as s on s.entity = 'invoice' and s.attribute = a.attribute
    union all
    select i.invoice_id, s.idx, a.value
    from invoices as i
    join risk_src_attributes as a on a.entity = 'customer' and a.entity_id = i.customer_id
    join spec as s on s.entity = 'customer' and s.attribute = a.attribute
),

-- Every invoice's value of every feature; null when none.
valued as (
    select i.invoice_id, s.idx, s.kind, g.value
    from invoices as i
    cross join spec as s
    left join given as g on g.invoice_id = i.invoice_id and g.idx = s.idx
),

-- '' = no value (the mart holds no blank values); ' other' = a value too rare to have its own code (values are trimmed).
coded as (
    select
        v.*,
        case when v.value is null then '' else coalesce(voc.value, ' other') end as code
    from valued as v
    left join risk_attr_vocab as voc on voc.idx = v.idx and voc.value = v.value
    where v.kind = 'category'
),

outcomes as (
    select c.idx, c.code, o.known_on, o.is_late
    from coded as c
    join invoice_outcomes as o using (invoice_id)
),

code_running as (
    select
        idx,
        code,
        known_on,
        sum(count(*)) over (partition by idx, code order by known_on) as n_known,
        sum(count(*) filter (where is_late)) over (partition by idx, code order by known_on) as n_late
    from outcomes
    group by idx, code, known_on
),

all_running as (
    select
        known_on,
        sum(count(*)) over (order by known_on) as n_known,
        sum(count(*) filter (where is_late)) over (order by known_on) as n_late
    from invoice_outcomes
    group by known_on
),

target_prior as (
    select p.as_of, a.n_late / a.n_known as prior
    from (select distinct as_of from targets) as p
    asof left join all_running as a on p.as_of >= a.known_on
),

target_codes as (
    select t.rn, t.as_of, c.idx, c.code
    from targets as t
    join coded as c using (invoice_id)
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
    select t.rn, v.idx, coalesce(try_cast(v.value as double), -1e12)::double as v
    from targets as t
    join valued as v using (invoice_id)
    where v.kind = 'number'
),

final as (
    select rn, idx, v from categories
    union all
    select rn, idx, v from numbers
)

select * from final

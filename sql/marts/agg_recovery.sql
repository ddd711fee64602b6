-- One row per kind ('past_due', 'written_off', 'legal') per cohort month, as of the build's as-of; money in reporting currency (at each document's own rate, as in ar_aging).
-- Cohorts (the amount that entered them is past_due_amount):
--   past_due     a document's open balance at the end of its due date, in the month it became past due (due_date + 1);
--                a document paid in full by its due date never enters.
--   written_off  what was written off on a document, in the month of its first write-off; recoveries are what was
--                collected or credited on it after that day.
--   legal        the past_due cohort restricted to documents the export marks as in legal collection (the exports do
--                not date the referral, so legal amounts keep their past-due month).
-- From the day an amount entered (day 0), counting only movements on or before the as-of:
--   recovered_N_pct   = collected + credited in days 1..N / past_due_amount x 100, for N = 30, 60, 90, 180;
--                       NULL while the window is not complete for every day 0 the cohort month can hold (the
--                       month's last day - 1 for past_due and legal, its last day for written_off; + N > as-of):
--                       "not yet known" is never 0.
--   recovered_to_date_pct = collected + credited since entering / past_due_amount x 100
--   written_off_pct   = written off since entering / past_due_amount x 100 (0 for kind 'written_off': its write-offs are the cohort)
--   open_pct          = what is neither recovered nor written off by the as-of / past_due_amount x 100
--                       (for past_due and legal: the documents' open balance at the as-of)
--   recovered_to_date_pct + written_off_pct + open_pct = 100 (the amounts add up to the cent). Each document counts
--   at most what entered: an overpaid one is 100% recovered, and its open share is 0, not negative; cash recovered
--   after a write-off counts as recovered, and the write-off as only what stayed lost.
with options as (
    select as_of from build_options
),

items as (
    select item_key from int_open_items
    where item_kind = 'document' and document_type <> 'credit_note'
),

documents as (
    select doc_key, source_status from int_invoices_enriched
),

movements as (
    select item_key, movement_date, movement_type, delta_reporting from int_ar_movements
    where movement_date <= (select as_of from options)
      and movement_type in ('collection', 'credit_applied', 'write_off')
),

-- The balance left at the end of the due date, read from the as-of-safe intervals.
past_due_entries as (
    select
        intervals.item_key,
        'past_due' as kind,
        intervals.due_date as entered_date,
        date_trunc('month', intervals.due_date + 1)::date as cohort_month,
        -- The last day 0 a document of this cohort can have: due the day before the month's last day.
        last_day(intervals.due_date + 1) - 1 as last_day_zero,
        intervals.outstanding_reporting as entered_amount
    from int_open_item_intervals as intervals
    where not intervals.is_unapplied
      and intervals.due_date < (select as_of from options)
      and intervals.valid_from <= intervals.due_date
      and (intervals.valid_to is null or intervals.valid_to > intervals.due_date)
      and intervals.outstanding_reporting > 0
),

legal_entries as (
    select past_due_entries.item_key, 'legal' as kind, past_due_entries.entered_date, past_due_entries.cohort_month,
           past_due_entries.last_day_zero, past_due_entries.entered_amount
    from past_due_entries
    join documents on documents.doc_key = past_due_entries.item_key
    where documents.source_status = 'legal'
),

written_off_items as (
    select movements.item_key, min(movements.movement_date) as entered_date, -sum(movements.delta_reporting) as entered_amount
    from movements
    join items on items.item_key = movements.item_key
    where movements.movement_type = 'write_off'
    group by movements.item_key
    having sum(movements.delta_reporting) < 0
),

written_off_entries as (
    select
        item_key,
        'written_off' as kind,
        entered_date,
        date_trunc('month', entered_date)::date as cohort_month,
        last_day(entered_date) as last_day_zero,
        entered_amount
    from written_off_items
),

-- Documents whose balance, once issued, only ever went down and never below zero. After a past-due entry, what
-- such a document recovers and writes off is what entered minus a balance that stays >= 0 (its reporting deltas
-- telescope), so the per-document caps below can never bite: its movements are summed straight into the cohort.
-- Only the others (overpaid, refunded, written off then recovered beyond the write-off) are capped document by
-- document; grouping every one of 7M entries took most of this model's time at 10M invoices. Movements after the
-- as-of count here too, which can only send more documents down the exact path.
irregular as (
    select distinct item_key from int_ar_movements
    where (seq > 0 and delta > 0) or balance_after < 0
),

past_due_and_legal as (
    select * from past_due_entries
    union all
    select * from legal_entries
),

plain_entries as (
    select * from past_due_and_legal
    anti join irregular using (item_key)
),

-- A written-off cohort is capped at what was written off, which later cash can exceed: always document by document.
capped_entries as (
    select * from past_due_and_legal
    semi join irregular using (item_key)
    union all
    select * from written_off_entries
),

-- Recoveries and write-offs after each entry, by days since entering, summed per entry in the same pass as the join.
-- A document counts at most what entered: overpaid is 100% recovered, not more, and nothing is open below zero.
-- (kind, item_key) is unique: a document enters each kind at most once.
per_item as (
    select
        capped_entries.kind,
        capped_entries.item_key,
        any_value(capped_entries.cohort_month) as cohort_month,
        any_value(capped_entries.last_day_zero) as last_day_zero,
        any_value(capped_entries.entered_amount) as entered_amount,
        coalesce(sum(-movements.delta_reporting) filter (where movements.movement_type <> 'write_off' and movements.movement_date - capped_entries.entered_date <= 30), 0) as recovered_30,
        coalesce(sum(-movements.delta_reporting) filter (where movements.movement_type <> 'write_off' and movements.movement_date - capped_entries.entered_date <= 60), 0) as recovered_60,
        coalesce(sum(-movements.delta_reporting) filter (where movements.movement_type <> 'write_off' and movements.movement_date - capped_entries.entered_date <= 90), 0) as recovered_90,
        coalesce(sum(-movements.delta_reporting) filter (where movements.movement_type <> 'write_off' and movements.movement_date - capped_entries.entered_date <= 180), 0) as recovered_180,
        coalesce(sum(-movements.delta_reporting) filter (where movements.movement_type <> 'write_off'), 0) as recovered_to_date,
        coalesce(sum(-movements.delta_reporting) filter (where movements.movement_type = 'write_off' and capped_entries.kind <> 'written_off'), 0) as written_off_uncapped
    from capped_entries
    left join movements
        on movements.item_key = capped_entries.item_key
        and movements.movement_date > capped_entries.entered_date
    group by capped_entries.kind, capped_entries.item_key
),

capped as (
    select
        kind,
        cohort_month,
        last_day_zero,
        count(*) as items,
        sum(entered_amount) as past_due_amount,
        sum(least(recovered_30, entered_amount)) as recovered_30,
        sum(least(recovered_60, entered_amount)) as recovered_60,
        sum(least(recovered_90, entered_amount)) as recovered_90,
        sum(least(recovered_180, entered_amount)) as recovered_180,
        sum(least(recovered_to_date, entered_amount)) as recovered_to_date,
        sum(least(written_off_uncapped, entered_amount - least(recovered_to_date, entered_amount))) as written_off
    from per_item
    group by all
),

plain_entered as (
    select kind, cohort_month, last_day_zero, count(*) as items, sum(entered_amount) as past_due_amount
    from plain_entries
    group by all
),

plain_moved as (
    select
        plain_entries.kind,
        plain_entries.cohort_month,
        plain_entries.last_day_zero,
        sum(-movements.delta_reporting) filter (where movements.movement_type <> 'write_off' and movements.movement_date - plain_entries.entered_date <= 30) as recovered_30,
        sum(-movements.delta_reporting) filter (where movements.movement_type <> 'write_off' and movements.movement_date - plain_entries.entered_date <= 60) as recovered_60,
        sum(-movements.delta_reporting) filter (where movements.movement_type <> 'write_off' and movements.movement_date - plain_entries.entered_date <= 90) as recovered_90,
        sum(-movements.delta_reporting) filter (where movements.movement_type <> 'write_off' and movements.movement_date - plain_entries.entered_date <= 180) as recovered_180,
        sum(-movements.delta_reporting) filter (where movements.movement_type <> 'write_off') as recovered_to_date,
        sum(-movements.delta_reporting) filter (where movements.movement_type = 'write_off') as written_off
    from plain_entries
    join movements
        on movements.item_key = plain_entries.item_key
        and movements.movement_date > plain_entries.entered_date
    group by all
),

plain as (
    select
        plain_entered.*,
        coalesce(plain_moved.recovered_30, 0) as recovered_30,
        coalesce(plain_moved.recovered_60, 0) as recovered_60,
        coalesce(plain_moved.recovered_90, 0) as recovered_90,
        coalesce(plain_moved.recovered_180, 0) as recovered_180,
        coalesce(plain_moved.recovered_to_date, 0) as recovered_to_date,
        coalesce(plain_moved.written_off, 0) as written_off
    from plain_entered
    left join plain_moved using (kind, cohort_month, last_day_zero)
),

cohorts as (
    select
        kind,
        cohort_month,
        last_day_zero,
        sum(items)::bigint as items,
        sum(past_due_amount) as past_due_amount,
        sum(recovered_30) as recovered_30,
        sum(recovered_60) as recovered_60,
        sum(recovered_90) as recovered_90,
        sum(recovered_180) as recovered_180,
        sum(recovered_to_date) as recovered_to_date,
        sum(written_off) as written_off
    from (select * from plain union all by name select * from capped)
    group by all
),

final as (
    select
        cohorts.kind,
        cohorts.cohort_month,
        cohorts.items,
        cohorts.past_due_amount::decimal(18, 2) as past_due_amount,
        case when cohorts.last_day_zero + 30 <= options.as_of
             then round(100 * cohorts.recovered_30 / cohorts.past_due_amount, 2) end::decimal(12, 2) as recovered_30_pct,
        case when cohorts.last_day_zero + 60 <= options.as_of
             then round(100 * cohorts.recovered_60 / cohorts.past_due_amount, 2) end::decimal(12, 2) as recovered_60_pct,
        case when cohorts.last_day_zero + 90 <= options.as_of
             then round(100 * cohorts.recovered_90 / cohorts.past_due_amount, 2) end::decimal(12, 2) as recovered_90_pct,
        case when cohorts.last_day_zero + 180 <= options.as_of
             then round(100 * cohorts.recovered_180 / cohorts.past_due_amount, 2) end::decimal(12, 2) as recovered_180_pct,
        round(100 * cohorts.recovered_to_date / cohorts.past_due_amount, 2)::decimal(12, 2) as recovered_to_date_pct,
        round(100 * cohorts.written_off / cohorts.past_due_amount, 2)::decimal(12, 2) as written_off_pct,
        round(100 * (cohorts.past_due_amount - cohorts.recovered_to_date - cohorts.written_off) / cohorts.past_due_amount, 2)::decimal(12, 2) as open_pct,
        cohorts.recovered_to_date::decimal(18, 2) as recovered_to_date_amount,
        cohorts.written_off::decimal(18, 2) as written_off_amount,
        (cohorts.past_due_amount - cohorts.recovered_to_date - cohorts.written_off)::decimal(18, 2) as open_amount
    from cohorts
    cross join options
)

select * from final order by kind, cohort_month

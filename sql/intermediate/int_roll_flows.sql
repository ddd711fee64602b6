-- One row per segment, month end (up to the build's as-of), aging bucket at that month end (from_order) and to_order:
--   to_order NULL: what the receivable documents with a positive balance in that bucket held at the month end (balance,
--                  documents): unapplied cash, credit and overpaid documents are left out (credits, not debts that can roll);
--   to_order set:  where that balance was at the next month end (only when the next month end is on or before the as-of):
--                  an aging bucket's order (0 = current ... buckets + 1 = the last bucket) with what the documents still
--                  owe then, buckets + 2 = paid (collections and applied credit notes; all of it when overpaid), buckets + 3 =
--                  written off. Money in reporting currency, at each document's own rate (as in ar_aging).
-- Aged with the build's basis and buckets, read from the as-of-safe int_open_item_intervals. agg_roll_rates sums it over
-- segments; agg_provision_matrix reads it per segment.
-- How: an item's balance only changes at its interval boundaries, so each positive interval ("span") covers a run of
--   month ends F..L at one balance. Inside the run the item just ages: those flows depend only on the span's aging date,
--   so spans are summed per (segment, aging date, F, L) before being spread over month ends. Only at the run's last month
--   end L does the item's next month end need a look-up: the item's span starting at month end L + 1, if any, and its
--   write-offs in month L + 1. (A self-join of 40M month-end snapshots took 34 s at 10M invoices.)
with options as (
    select as_of, basis, buckets, len(buckets) as bucket_count from build_options
),

intervals as (
    select
        intervals.item_key,
        items.segment,
        intervals.valid_from,
        intervals.valid_to,
        case when options.basis = 'invoice' then intervals.invoice_date else intervals.due_date end as age_from,
        intervals.outstanding_reporting
    from int_open_item_intervals as intervals
    join int_open_items as items using (item_key)
    cross join options
    where not intervals.is_unapplied and intervals.outstanding > 0
),

write_offs as (
    select item_key, movement_date, delta_reporting from int_ar_movements
    where movement_type = 'write_off'
),

-- Month ends from the first document to the as-of, each paired with the next.
month_ends as (
    select
        last_day(month) as month_end,
        row_number() over (order by month) as month_index,
        last_day(month + interval 1 month) as next_month_end
    from (
        select unnest(generate_series(
            date_trunc('month', (select min(valid_from) from intervals)),
            date_trunc('month', (select as_of from options)),
            interval 1 month
        ))::date as month
    )
),

-- The first month (index 1), the last month end on or before the as-of, and the last one with a next to pair with.
limits as (
    select
        min(month_end) filter (where month_index = 1) as first_month_end,
        max(month_index) filter (where month_end <= (select as_of from options)) as last_index,
        max(month_index) filter (where next_month_end <= (select as_of from options)) as pair_index
    from month_ends
),

-- Month end index of a date's month: month_index of last_day(date).
spans as (
    select
        intervals.item_key,
        intervals.segment,
        intervals.age_from,
        intervals.outstanding_reporting as balance,
        datediff('month', limits.first_month_end, intervals.valid_from) + 1 as first_index,
        -- valid_to is exclusive and a month end is never before its month's days: the last month end covered is
        -- the one before valid_to's month.
        least(coalesce(datediff('month', limits.first_month_end, intervals.valid_to), limits.last_index), limits.last_index) as last_index
    from intervals
    cross join limits
),

covering as (
    select * from spans where first_index <= last_index
),

run_groups as (
    select segment, age_from, first_index, last_index, sum(balance) as balance, count(*) as documents
    from covering
    group by all
),

-- Every month end m of a run F..L; from m to m + 1 the balance stays when m < L.
run_months as (
    select month_ends.month_index, month_ends.month_end, month_ends.next_month_end, run_groups.* exclude (first_index)
    from run_groups
    join month_ends on month_ends.month_index between run_groups.first_index and run_groups.last_index
),

-- The last month end of a run, when a next month end follows: what the item owes then, and what it wrote off between.
run_ends as (
    select
        this_run.segment,
        this_run.age_from,
        this_run.last_index as month_index,
        sum(this_run.balance) as from_balance,
        sum(next_run.balance) as next_balance,
        -sum(written_off.delta_reporting) as written_off
    from covering as this_run
    left join covering as next_run
        on next_run.item_key = this_run.item_key and next_run.first_index = this_run.last_index + 1
    left join (
        select write_offs.item_key, datediff('month', limits.first_month_end, write_offs.movement_date) + 1 as month_index,
               sum(write_offs.delta_reporting) as delta_reporting
        from write_offs
        cross join limits
        group by all
    ) as written_off
        on written_off.item_key = this_run.item_key and written_off.month_index = this_run.last_index + 1
    where this_run.last_index <= (select pair_index from limits)
    group by all
),

aged_runs as (
    select
        run_months.segment,
        run_months.month_index,
        run_months.month_end,
        run_months.month_index < run_months.last_index and run_months.month_index <= (select pair_index from limits) as stays,
        aging_bucket_order((run_months.month_end - run_months.age_from)::integer, options.buckets) as from_order,
        aging_bucket_order((run_months.next_month_end - run_months.age_from)::integer, options.buckets) as next_order,
        run_months.balance,
        run_months.documents
    from run_months
    cross join options
),

aged_ends as (
    select
        run_ends.*,
        month_ends.month_end,
        aging_bucket_order((month_ends.month_end - run_ends.age_from)::integer, options.buckets) as from_order,
        aging_bucket_order((month_ends.next_month_end - run_ends.age_from)::integer, options.buckets) as next_order
    from run_ends
    cross join options
    join month_ends using (month_index)
),

flows as (
    select segment, month_index, month_end, from_order, next_order as to_order, balance
    from aged_runs
    where stays
    union all
    select segment, month_index, month_end, from_order, next_order, next_balance
    from aged_ends
    where next_balance is not null
    union all
    select segment, month_index, month_end, from_order, options.bucket_count + 2,
           from_balance - coalesce(next_balance, 0) - coalesce(written_off, 0)
    from aged_ends
    cross join options
    union all
    select segment, month_index, month_end, from_order, options.bucket_count + 3, written_off
    from aged_ends
    cross join options
    where written_off is not null
),

final as (
    select segment, month_index, month_end, last_day(month_end + 1) as next_month_end, from_order, null::integer as to_order,
           sum(balance) as balance, sum(documents) as documents
    from aged_runs
    group by segment, month_index, month_end, from_order
    union all
    select segment, month_index, month_end, last_day(month_end + 1), from_order, to_order, sum(balance), null
    from flows
    group by segment, month_index, month_end, from_order, to_order
)

select * from final

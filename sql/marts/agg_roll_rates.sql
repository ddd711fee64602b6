-- One row per month per from_bucket per to_bucket (the flow-rate matrix between month ends up to the build's as-of); money in reporting currency (balance, at each document's own rate, as in ar_aging).
-- Snapshots are the receivable documents with a positive balance (unapplied cash, credit and overpaid documents left
-- out: they are credits, not debts that can roll) at each complete month end, aged
-- with the build's basis and buckets, read from the as-of-safe int_open_item_intervals.
-- For month m (the month whose end is the starting snapshot) and the next month end:
--   balance (to an aging bucket) = what documents in from_bucket at the end of m still owe at the end of m + 1, in the
--                                  bucket they are in then (new documents of m + 1 are not part of any row);
--   balance (to 'paid')          = what they lost in m + 1 to collections and applied credit notes (all of it when
--                                  overpaid: a negative balance at m + 1 counts as nothing owed);
--   balance (to 'written_off')   = what they lost in m + 1 to write-offs;
--   rate = balance / balance in from_bucket at the end of m (a fraction: 0.125 = 12.5%); each from_bucket's rates sum to 1.
-- to_order: the bucket's aging order (0 = current ... buckets + 1 = the last bucket), paid = buckets + 2,
--   written_off = buckets + 3, loss = buckets + 4.
-- Chained loss projection, one row per month with from_bucket 'current' and to_bucket 'loss':
--   rate    = product over k = 0 .. buckets of avg(rate k -> k + 1 over months m-5 .. m that had a balance in k),
--             e.g. current -> 1-30 -> 31-60 -> 61-90 -> 91-120 -> 120+; NULL when a link has no history;
--   balance = current balance at the end of m x that rate: what of today's current balance is expected to reach the last bucket.
with options as (
    select as_of, basis, buckets, len(buckets) as bucket_count from build_options
),

intervals as (
    select item_key, valid_from, valid_to, invoice_date, due_date, outstanding_reporting
    from int_open_item_intervals
    where not is_unapplied and outstanding > 0
),

write_offs as (
    select item_key, movement_date, delta_reporting from int_ar_movements
    where movement_type = 'write_off'
),

-- Month ends from the first document to the as-of, each paired with the next (which must be on or before the as-of).
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

snapshots as (
    select
        month_ends.month_end,
        intervals.item_key,
        intervals.outstanding_reporting as balance,
        aging_bucket_order(
            (month_ends.month_end - (case when options.basis = 'invoice' then intervals.invoice_date else intervals.due_date end))::integer,
            options.buckets
        ) as bucket_order
    from month_ends
    cross join options
    join intervals
        on intervals.valid_from <= month_ends.month_end
        and coalesce(intervals.valid_to, date '9999-12-31') > month_ends.month_end
    where month_ends.month_end <= options.as_of
),

pairs as (
    select
        month_ends.month_index,
        month_ends.month_end,
        month_ends.next_month_end,
        this_end.item_key,
        this_end.bucket_order as from_order,
        this_end.balance as from_balance,
        next_end.bucket_order as next_order,
        coalesce(next_end.balance, 0) as next_balance
    from month_ends
    join snapshots as this_end on this_end.month_end = month_ends.month_end
    left join snapshots as next_end on next_end.month_end = month_ends.next_month_end and next_end.item_key = this_end.item_key
    where month_ends.next_month_end <= (select as_of from options)
),

written_off_between as (
    select pairs.month_end, pairs.item_key, -sum(write_offs.delta_reporting) as written_off
    from pairs
    join write_offs
        on write_offs.item_key = pairs.item_key
        and write_offs.movement_date > pairs.month_end
        and write_offs.movement_date <= pairs.next_month_end
    group by all
),

flows as (
    select pairs.month_index, pairs.month_end, pairs.from_order, pairs.next_order as to_order, pairs.next_balance as balance
    from pairs
    where pairs.next_order is not null
    union all
    select pairs.month_index, pairs.month_end, pairs.from_order, options.bucket_count + 2,
           pairs.from_balance - pairs.next_balance - coalesce(written_off_between.written_off, 0)
    from pairs
    cross join options
    left join written_off_between on written_off_between.month_end = pairs.month_end and written_off_between.item_key = pairs.item_key
    union all
    select pairs.month_index, pairs.month_end, pairs.from_order, options.bucket_count + 3, written_off_between.written_off
    from pairs
    cross join options
    join written_off_between on written_off_between.month_end = pairs.month_end and written_off_between.item_key = pairs.item_key
),

from_totals as (
    select month_index, month_end, from_order, sum(from_balance) as from_balance
    from pairs
    group by all
),

matrix as (
    select
        flows.month_index,
        flows.month_end,
        flows.from_order,
        flows.to_order,
        sum(flows.balance) as balance,
        sum(flows.balance) / nullif(any_value(from_totals.from_balance), 0) as rate
    from flows
    join from_totals using (month_index, month_end, from_order)
    group by all
    having sum(flows.balance) <> 0
),

-- Each link k -> k + 1 of the chain, every month bucket k had a balance (0 when none of it rolled on).
links as (
    select
        from_totals.month_index,
        from_totals.from_order,
        coalesce(sum(matrix.balance) filter (where matrix.to_order = from_totals.from_order + 1), 0)
            / nullif(from_totals.from_balance, 0) as rate
    from from_totals
    cross join options
    left join matrix using (month_index, from_order)
    where from_totals.from_order <= options.bucket_count
    group by from_totals.month_index, from_totals.from_order, from_totals.from_balance
),

link_averages as (
    select
        month_ends.month_index,
        links.from_order,
        avg(links.rate) as avg_rate
    from month_ends
    join links on links.month_index between month_ends.month_index - 5 and month_ends.month_index
    group by all
),

chain as (
    select
        month_index,
        case when count(avg_rate) = any_value(options.bucket_count) + 1 then product(avg_rate)::decimal(12, 6) end as loss_rate
    from link_averages
    cross join options
    group by month_index
),

-- Every month with transitions gets a projection, even with nothing current to apply it to.
projections as (
    select
        month_ends.month_index,
        month_ends.month_end,
        0 as from_order,
        options.bucket_count + 4 as to_order,
        coalesce(current_totals.from_balance, 0) * chain.loss_rate as balance,
        chain.loss_rate as rate
    from month_ends
    cross join options
    join chain using (month_index)
    left join from_totals as current_totals on current_totals.month_index = month_ends.month_index and current_totals.from_order = 0
    where month_ends.next_month_end <= options.as_of
),

final as (
    select
        date_trunc('month', rows.month_end)::date as month,
        rows.month_end,
        last_day(rows.month_end + 1) as next_month_end,
        aging_bucket_label(rows.from_order, options.buckets) as from_bucket,
        case rows.to_order - options.bucket_count
            when 2 then 'paid'
            when 3 then 'written_off'
            when 4 then 'loss'
            else aging_bucket_label(rows.to_order, options.buckets)
        end as to_bucket,
        rows.from_order::integer as from_order,
        rows.to_order::integer as to_order,
        round(rows.balance, 2)::decimal(18, 2) as balance,
        round(rows.rate, 6)::decimal(12, 6) as rate
    from (
        select month_end, from_order, to_order, balance, rate from matrix
        union all
        select month_end, from_order, to_order, balance, rate from projections
    ) as rows
    cross join options
)

select * from final order by month, from_order, to_order

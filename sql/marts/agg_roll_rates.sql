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
-- The flows come from int_roll_flows (per segment, summed here).
with options as (
    select as_of, basis, buckets, len(buckets) as bucket_count from build_options
),

-- Month ends from the first document to the as-of, each paired with the next, numbered as int_roll_flows numbers them.
month_ends as (
    select
        last_day(month) as month_end,
        row_number() over (order by month) as month_index,
        last_day(month + interval 1 month) as next_month_end
    from (
        select unnest(generate_series(
            date_trunc('month', (select min(valid_from) from int_open_item_intervals where not is_unapplied and outstanding > 0)),
            date_trunc('month', (select as_of from options)),
            interval 1 month
        ))::date as month
    )
),

-- The segments' flows, summed: what each bucket held at a month end with a next one, and where it went.
flows as (
    select month_index, month_end, from_order, to_order, sum(balance) as balance
    from int_roll_flows
    where to_order is not null
    group by all
),

from_totals as (
    select month_index, month_end, from_order, sum(balance) as from_balance
    from int_roll_flows
    cross join options
    where to_order is null and next_month_end <= options.as_of
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

-- One row per month end (every complete month end up to the build's as-of) per customer segment per aging bucket; money in reporting currency (exposure, provision, provision_previous, provision_change; each document at its own rate, as in ar_aging), rates as fractions.
-- Expected-credit-loss provision matrix (IFRS 9 simplified approach, 5.5.15 and B5.5.35): every formula is written once, in agg_provision_matrix.yml.
-- Settings (window, minimum documents, forward-looking adjustment) come from provision_settings, written by the build from provision.yaml.
-- Portfolio experience is agg_roll_rates' month-to-month flows; a segment's is int_roll_flows for its own documents.
with options as (
    select as_of, basis, buckets, len(buckets) as bucket_count, reporting_currency from build_options
),

settings as (
    select * from provision_settings
),

intervals as (
    select
        intervals.item_key,
        intervals.valid_from,
        intervals.valid_to,
        case when options.basis = 'invoice' then intervals.invoice_date else intervals.due_date end as age_from,
        intervals.outstanding_reporting
    from int_open_item_intervals as intervals
    cross join options
    where not intervals.is_unapplied and intervals.outstanding > 0
),

items as (
    select item_key, segment from int_open_items
),

month_ends as (
    select last_day(month::date) as month_end
    from (
        select unnest(generate_series(
            date_trunc('month', (select min(valid_from) from intervals)),
            date_trunc('month', (select as_of from options)),
            interval 1 month
        )) as month
    )
    where last_day(month::date) <= (select as_of from options)
),

buckets as (
    select
        bucket_order,
        aging_bucket_label(bucket_order, options.buckets) as bucket
    from options
    cross join (select unnest(generate_series(0, (select bucket_count + 1 from options))) as bucket_order)
),

-- Per segment, month end m (with a next month end on or before the as-of) and bucket: what the bucket held, and how what
-- left it by the next month end left (older bucket, write-off, paid), from int_roll_flows.
segment_experience as (
    select
        segment,
        month_end,
        from_order,
        sum(balance) filter (where to_order is null) as from_balance,
        sum(documents) filter (where to_order is null) as documents,
        coalesce(sum(balance) filter (where to_order = from_order), 0) as stayed,
        coalesce(sum(balance) filter (where to_order > from_order and to_order <= options.bucket_count + 1), 0) as rolled,
        coalesce(sum(balance) filter (where to_order = options.bucket_count + 3), 0) as written_off
    from int_roll_flows
    cross join options
    where next_month_end <= options.as_of
    group by segment, month_end, from_order
),

portfolio_experience as (
    select
        month_end,
        from_order,
        sum(balance) as from_balance,
        coalesce(sum(balance) filter (where to_order = from_order), 0) as stayed,
        coalesce(sum(balance) filter (where to_order > from_order and to_order <= options.bucket_count + 1), 0) as rolled,
        coalesce(sum(balance) filter (where to_bucket = 'written_off'), 0) as written_off
    from agg_roll_rates
    cross join options
    where to_bucket <> 'loss'
    group by month_end, from_order
),

experience as (
    select true as is_portfolio, null::varchar as segment, month_end, from_order, from_balance, null::bigint as documents, stayed, rolled, written_off
    from portfolio_experience
    union all
    select false, segment, month_end, from_order, from_balance, documents, stayed, rolled, written_off
    from segment_experience
),

-- Per month end t, scope and bucket: the average over the window's months of the shares of what left the bucket that rolled
-- older and that was written off (months where nothing left it are no observation), and the document-months observed.
window_rates as (
    select
        ends.month_end,
        experience.is_portfolio,
        experience.segment,
        experience.from_order as bucket_order,
        avg(experience.rolled / (experience.from_balance - experience.stayed)) filter (where experience.from_balance > experience.stayed) as roll_rate,
        avg(experience.written_off / (experience.from_balance - experience.stayed)) filter (where experience.from_balance > experience.stayed) as write_off_rate,
        sum(experience.documents) as documents
    from month_ends as ends
    cross join settings
    join experience
        on datediff('month', experience.month_end, ends.month_end) between 1 and settings.window_months
    group by all
),

scopes as (
    select true as is_portfolio, null::varchar as segment
    union all
    select distinct false, segment from items
),

-- Each bucket's link; a bucket nothing left in the window counts as all of it rolling on (the last bucket: all of it lost).
factors as (
    select
        month_ends.month_end,
        scopes.is_portfolio,
        scopes.segment,
        buckets.bucket_order,
        window_rates.roll_rate is null as missing,
        coalesce(window_rates.roll_rate, case when buckets.bucket_order <= options.bucket_count then 1 else 0 end) as roll_rate,
        coalesce(window_rates.write_off_rate, case when buckets.bucket_order <= options.bucket_count then 0 else 1 end) as write_off_rate,
        coalesce(window_rates.documents, 0) as documents
    from month_ends
    cross join scopes
    cross join buckets
    cross join options
    left join window_rates
        on window_rates.month_end = month_ends.month_end
        and window_rates.is_portfolio = scopes.is_portfolio
        and window_rates.segment is not distinct from scopes.segment
        and window_rates.bucket_order = buckets.bucket_order
),

-- loss_rate(k) = write_off_rate(k) + roll_rate(k) x loss_rate(k + 1), unrolled: the sum over j >= k of write_off_rate(j) x the roll rates k .. j - 1.
paths as (
    select
        start.month_end, start.is_portfolio, start.segment, start.bucket_order, stop.bucket_order as stop_order,
        any_value(stop.write_off_rate) * coalesce(product(step.roll_rate), 1) as term,
        bool_or(stop.missing) as stop_missing
    from factors as start
    join factors as stop
        on stop.month_end = start.month_end and stop.is_portfolio = start.is_portfolio
        and stop.segment is not distinct from start.segment and stop.bucket_order >= start.bucket_order
    left join factors as step
        on step.month_end = start.month_end and step.is_portfolio = start.is_portfolio
        and step.segment is not distinct from start.segment
        and step.bucket_order >= start.bucket_order and step.bucket_order < stop.bucket_order
    group by all
),

chains as (
    select
        factors.*,
        least(1, sum(paths.term)) as loss_rate,
        count(*) filter (where paths.stop_missing) as missing_links
    from factors
    join paths using (month_end, is_portfolio, bucket_order)
    where paths.segment is not distinct from factors.segment
    group by all
),

-- A segment uses its own rates when each of its buckets had min_documents observations in the window and something left its last bucket.
segment_support as (
    select
        chains.month_end,
        chains.segment,
        min(chains.documents) >= any_value(settings.min_documents)
            and not bool_or(chains.missing and chains.bucket_order = options.bucket_count + 1) as own_rates
    from chains
    cross join settings
    cross join options
    where not chains.is_portfolio
    group by all
),

exposures as (
    select month_end, segment, from_order as bucket_order, sum(balance) as exposure, sum(documents) as documents
    from int_roll_flows
    where to_order is null
    group by all
),

adjustments as (
    select
        buckets.bucket_order,
        coalesce(
            (select list_filter(settings.bucket_adjustment_pct, x -> x.bucket = buckets.bucket)[1].adjustment_pct),
            settings.adjustment_pct
        ) as adjustment_pct
    from buckets
    cross join settings
),

-- A bucket named in provision.yaml that this build does not have fails the build, naming it.
adjustment_check as (
    select
        case when count(*) > 0 then error(
            'provision.yaml: bucket_adjustment_pct names ' || string_agg(adjusted.bucket, ', ')
            || ', not a bucket of this build (' || (select string_agg(bucket, ', ' order by bucket_order) from buckets) || ')'
        ) end as failure
    from (select unnest(bucket_adjustment_pct).bucket as bucket from settings) as adjusted
    where adjusted.bucket not in (select bucket from buckets)
),

matrix_rows as (
    select
        segment_chains.month_end,
        segment_chains.segment,
        segment_chains.bucket_order,
        case when segment_support.own_rates then 'segment' else 'portfolio' end as rate_basis,
        case when segment_support.own_rates then segment_chains.roll_rate else portfolio_chains.roll_rate end as roll_rate,
        case when segment_support.own_rates then segment_chains.write_off_rate else portfolio_chains.write_off_rate end as write_off_rate,
        case when segment_support.own_rates then segment_chains.loss_rate else portfolio_chains.loss_rate end as loss_rate,
        case when segment_support.own_rates then segment_chains.missing_links else portfolio_chains.missing_links end as missing_links,
        portfolio_chains.loss_rate as portfolio_loss_rate,
        coalesce(exposures.exposure, 0) as exposure,
        coalesce(exposures.documents, 0) as documents
    from chains as segment_chains
    join segment_support
        on segment_support.month_end = segment_chains.month_end
        and segment_support.segment is not distinct from segment_chains.segment
    join chains as portfolio_chains
        on portfolio_chains.is_portfolio
        and portfolio_chains.month_end = segment_chains.month_end
        and portfolio_chains.bucket_order = segment_chains.bucket_order
    left join exposures
        on exposures.month_end = segment_chains.month_end
        and exposures.segment is not distinct from segment_chains.segment
        and exposures.bucket_order = segment_chains.bucket_order
    where not segment_chains.is_portfolio
),

provisions as (
    select
        matrix_rows.*,
        round(matrix_rows.loss_rate, 6)::decimal(12, 6) as loss_rate_rounded,
        adjustments.adjustment_pct,
        least(1, round(matrix_rows.loss_rate, 6)::decimal(12, 6) * (1 + adjustments.adjustment_pct / 100)) as adjusted_loss_rate
    from matrix_rows
    join adjustments using (bucket_order)
    cross join adjustment_check
    where adjustment_check.failure is null
),

matrix as (
    select
        date_trunc('month', provisions.month_end)::date as month,
        provisions.month_end,
        provisions.segment,
        buckets.bucket,
        provisions.bucket_order::integer as bucket_order,
        provisions.rate_basis,
        provisions.documents::integer as documents,
        round(provisions.exposure, 2)::decimal(18, 2) as exposure,
        round(provisions.roll_rate, 6)::decimal(12, 6) as roll_rate,
        round(provisions.write_off_rate, 6)::decimal(12, 6) as write_off_rate,
        provisions.missing_links::integer as missing_links,
        provisions.loss_rate_rounded as loss_rate,
        round(provisions.portfolio_loss_rate, 6)::decimal(12, 6) as portfolio_loss_rate,
        provisions.adjustment_pct::decimal(9, 4) as adjustment_pct,
        round(provisions.adjusted_loss_rate, 6)::decimal(12, 6) as adjusted_loss_rate,
        round(provisions.exposure * provisions.adjusted_loss_rate, 2)::decimal(18, 2) as provision,
        lag(round(provisions.exposure * provisions.adjusted_loss_rate, 2)::decimal(18, 2))
            over (partition by provisions.segment, provisions.bucket_order order by provisions.month_end) as provision_previous,
        settings.window_months,
        options.reporting_currency
    from provisions
    join buckets using (bucket_order)
    cross join settings
    cross join options
),

final as (
    select
        * exclude (window_months, reporting_currency),
        (provision - provision_previous)::decimal(18, 2) as provision_change,
        window_months,
        reporting_currency
    from matrix
)

select * from final order by month_end, segment, bucket_order

-- One row per calendar month (first invoice month to the as-of) per dimension value (dimension 'all', 'segment', 'collector', 'country'); money in reporting currency.
-- Flows in the month: credit_sales = invoices + debit notes issued (debit notes raise what is owed, so they count as sales);
--   credit_notes = credit notes issued; collections = cash received, applied or not; write_offs = balances written off.
-- Balances at the period end (month end, or the as-of in its month): ar_end = everything open, including negative unapplied
--   lines; ar_current_end = documents not yet past due (due on the day counts as current); ar_overdue_end = documents past due.
--   A document's balance below zero (cash before its issue or beyond its amount) is unapplied credit: in ar_end only, as in
--   the aging's bucket 'unapplied', so it never understates the current or past-due balance.
-- Roll-forward, holds to the cent every month: ar_begin + credit_sales - collections - credit_notes - write_offs = ar_end.
-- sales3 / days3 = credit sales / calendar days of the trailing 3 months (this one and two before, within the history).
-- dso_standard      = ar_end / sales3 x days3
-- dso_countback     = take whole months of credit sales from ar_end, newest first, adding each month's days; then the
--                     remainder / the next older month's sales x its days (at most 24 months back).
-- best_possible_dso = ar_current_end / sales3 x days3;  add_days = dso_standard - best_possible_dso
-- cei_pct           = (ar_begin + credit_sales - ar_end) / (ar_begin + credit_sales - ar_current_end) x 100
-- bad_debt_ratio_pct= write-offs / credit sales, both over the trailing 12 months, x 100
-- overdue_pct       = ar_overdue_end / ar_end x 100
-- avg_days_to_pay, on_time_pct: documents paid in full in the month (paid_date in it): mean of paid_date - invoice_date,
--                     and the share paid on or before the due date x 100.
with options as (
    select * from build_options
),

first_month as (
    select date_trunc('month', min(invoice_date))::date as month
    from int_invoices_enriched
    where invoice_date <= (select as_of from options)
),

spine as (
    select
        month::date as month,
        row_number() over (order by month) as month_index,
        least(last_day(month), (select as_of from options)) as period_end,
        (last_day(month) - month::date + 1) as days_in_month
    from (
        select unnest(generate_series(
            (select month from first_month),
            date_trunc('month', (select as_of from options))::date,
            interval 1 month
        )) as month
    )
),

last_index as (
    select max(month_index) as month_index from spine
),

items as (
    select item_key, item_kind, document_type, due_date, segment, collector, country from int_open_items
),

movements as (
    select
        items.segment,
        items.collector,
        items.country,
        items.item_kind = 'document' and items.document_type <> 'credit_note' as is_receivable,
        items.due_date,
        int_ar_movements.movement_date,
        int_ar_movements.movement_type,
        int_ar_movements.delta_reporting,
        -- What the movement changes of the balance owed (at or above zero).
        int_ar_movements.delta_reporting - int_ar_movements.unapplied_delta_reporting as owed_delta_reporting
    from int_ar_movements
    join items on items.item_key = int_ar_movements.item_key
    where int_ar_movements.movement_date <= (select as_of from options)
),

-- Month of each movement (earlier ones count in the first month) and the last month whose period end is
-- on or before the due date: the months in which the movement sits in a not-yet-due balance.
placed as (
    select
        movements.*,
        greatest(1, date_diff('month', (select month from first_month), movements.movement_date) + 1) as start_index,
        case
            when movements.due_date >= (select as_of from options) then (select month_index from last_index)
            else date_diff('month', (select month from first_month), movements.due_date) + 1
                 - (movements.due_date <> last_day(movements.due_date))::integer
        end as current_until_index
    from movements
),

flows_by_month as (
    select
        segment, collector, country, start_index as month_index,
        sum(delta_reporting) filter (where movement_type in ('invoice', 'debit_note')) as credit_sales,
        -sum(delta_reporting) filter (where movement_type = 'credit_note') as credit_notes,
        -sum(delta_reporting) filter (where movement_type = 'collection') as collections,
        -sum(delta_reporting) filter (where movement_type = 'write_off') as write_offs,
        sum(delta_reporting) as net_change,
        sum(owed_delta_reporting) filter (where is_receivable) as receivable_change,
        sum(owed_delta_reporting) filter (where is_receivable and current_until_index >= start_index) as current_in
    from placed
    group by all
),

-- A not-yet-due amount leaves the current balance after the last month it was current in.
current_out as (
    select segment, collector, country, current_until_index + 1 as month_index,
           sum(owed_delta_reporting) as current_out
    from placed
    where is_receivable and current_until_index >= start_index
    group by all
),

settlements as (
    select
        segment, collector, country,
        date_diff('month', (select month from first_month), paid_date) + 1 as month_index,
        count(*) as paid_count,
        sum(days_to_pay) as paid_days_sum,
        count(*) filter (where paid_date <= due_date) as paid_on_time
    from fct_invoices
    where paid_date is not null
    group by all
),

base as (
    select segment, collector, country, month_index,
           credit_sales, credit_notes, collections, write_offs, net_change, receivable_change, current_in,
           null::decimal(38, 2) as current_out, null::bigint as paid_count, null::bigint as paid_days_sum, null::bigint as paid_on_time
    from flows_by_month
    union all by name
    select segment, collector, country, month_index, current_out from current_out
    union all by name
    select segment, collector, country, month_index, paid_count, paid_days_sum, paid_on_time from settlements
),

by_dimension as (
    select 'all' as dimension, 'all' as dimension_value, * exclude (segment, collector, country) from base
    union all
    select 'segment', segment, * exclude (segment, collector, country) from base
    union all
    select 'collector', collector, * exclude (segment, collector, country) from base
    union all
    select 'country', country, * exclude (segment, collector, country) from base
),

dimension_values as (
    select distinct dimension, dimension_value from by_dimension
),

summed as (
    select
        dimension_values.dimension,
        dimension_values.dimension_value,
        spine.month,
        spine.month_index,
        spine.days_in_month,
        coalesce(sum(credit_sales), 0) as credit_sales,
        coalesce(sum(collections), 0) as collections,
        coalesce(sum(credit_notes), 0) as credit_notes,
        coalesce(sum(write_offs), 0) as write_offs,
        coalesce(sum(net_change), 0) as net_change,
        coalesce(sum(receivable_change), 0) as receivable_change,
        coalesce(sum(current_in), 0) - coalesce(sum(current_out), 0) as current_change,
        coalesce(sum(paid_count), 0) as paid_count,
        coalesce(sum(paid_days_sum), 0) as paid_days_sum,
        coalesce(sum(paid_on_time), 0) as paid_on_time
    from dimension_values
    cross join spine
    left join by_dimension
        on by_dimension.dimension = dimension_values.dimension
        and by_dimension.dimension_value is not distinct from dimension_values.dimension_value
        and by_dimension.month_index = spine.month_index
    group by all
),

balances as (
    select
        *,
        sum(net_change) over history as ar_end,
        sum(receivable_change) over history as receivable_end,
        sum(current_change) over history as ar_current_end,
        sum(credit_sales) over trailing3 as sales3,
        sum(days_in_month) over trailing3 as days3,
        sum(credit_sales) over trailing12 as sales12,
        sum(write_offs) over trailing12 as write_offs12
    from summed
    window
        history as (partition by dimension, dimension_value order by month_index rows between unbounded preceding and current row),
        trailing3 as (partition by dimension, dimension_value order by month_index rows between 2 preceding and current row),
        trailing12 as (partition by dimension, dimension_value order by month_index rows between 11 preceding and current row)
),

-- Countback: each month against the months before it, newest first.
countback_steps as (
    select
        b.dimension, b.dimension_value, b.month_index, b.ar_end,
        p.credit_sales as step_sales,
        p.days_in_month as step_days,
        sum(p.credit_sales) over step_order - p.credit_sales as sales_before,
        sum(p.days_in_month) over step_order - p.days_in_month as days_before,
        sum(p.days_in_month) over step_order as days_through
    from balances as b
    join balances as p
        on p.dimension = b.dimension
        and p.dimension_value is not distinct from b.dimension_value
        and p.month_index between b.month_index - 23 and b.month_index
    window step_order as (partition by b.dimension, b.dimension_value, b.month_index order by p.month_index desc
                          rows between unbounded preceding and current row)
),

countback as (
    select
        dimension, dimension_value, month_index,
        coalesce(
            min(days_before + (ar_end - sales_before) / step_sales * step_days)
                filter (where step_sales > 0 and ar_end > sales_before and ar_end <= sales_before + step_sales),
            case when max(ar_end) <= 0 then 0 else max(days_through) end
        ) as dso_countback
    from countback_steps
    group by all
),

final as (
    select
        balances.dimension,
        balances.dimension_value,
        balances.month,
        balances.credit_sales::decimal(18, 2) as credit_sales,
        balances.collections::decimal(18, 2) as collections,
        balances.credit_notes::decimal(18, 2) as credit_notes,
        balances.write_offs::decimal(18, 2) as write_offs,
        (balances.ar_end - balances.net_change)::decimal(18, 2) as ar_begin,
        balances.ar_end::decimal(18, 2) as ar_end,
        balances.ar_current_end::decimal(18, 2) as ar_current_end,
        (balances.receivable_end - balances.ar_current_end)::decimal(18, 2) as ar_overdue_end,
        round(100 * (balances.receivable_end - balances.ar_current_end) / nullif(balances.ar_end, 0), 2)::decimal(12, 2) as overdue_pct,
        round(balances.ar_end / nullif(balances.sales3, 0) * balances.days3, 2)::decimal(12, 2) as dso_standard,
        round(countback.dso_countback, 2)::decimal(12, 2) as dso_countback,
        round(balances.ar_current_end / nullif(balances.sales3, 0) * balances.days3, 2)::decimal(12, 2) as best_possible_dso,
        round((balances.ar_end - balances.ar_current_end) / nullif(balances.sales3, 0) * balances.days3, 2)::decimal(12, 2) as add_days,
        round(100 * ((balances.ar_end - balances.net_change) + balances.credit_sales - balances.ar_end)
              / nullif((balances.ar_end - balances.net_change) + balances.credit_sales - balances.ar_current_end, 0), 2)::decimal(12, 2) as cei_pct,
        round(100 * balances.write_offs12 / nullif(balances.sales12, 0), 2)::decimal(12, 2) as bad_debt_ratio_pct,
        round(balances.paid_days_sum / nullif(balances.paid_count, 0), 2)::decimal(12, 2) as avg_days_to_pay,
        round(100 * balances.paid_on_time / nullif(balances.paid_count, 0), 2)::decimal(12, 2) as on_time_pct
    from balances
    join countback
        on countback.dimension = balances.dimension
        and countback.dimension_value is not distinct from balances.dimension_value
        and countback.month_index = balances.month_index
)

select * from final

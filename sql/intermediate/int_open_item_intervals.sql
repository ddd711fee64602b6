-- One row per item per stretch of days its open balance stayed the same and non-zero: valid_from inclusive, valid_to exclusive (NULL = still open); money in item currency (outstanding) and reporting currency (outstanding_reporting).
-- aging_at(date) is a range filter on this table, so a past date costs one scan, never a re-aggregation of payments.
-- Customer facts (name, segment, collector, country) are left to aging_with, joined from int_customers_resolved:
-- repeating their text on every row was a third of this table's write time.
-- (Not sorted: a filtered scan of 10M rows takes a fraction of a second, a sort of this wide table takes many.)
with movements as (
    select * from int_ar_movements
),

items as (
    select * from int_open_items
),

-- The last movement of each item's day holds the balance for the days until its next movement.
day_balances as (
    select item_key, movement_date as valid_from, next_movement_date as valid_to, balance_after as outstanding
    from movements
    where (next_movement_date is null or next_movement_date > movement_date)
      and balance_after <> 0
),

final as (
    select
        day_balances.valid_from,
        day_balances.valid_to,
        items.item_key,
        items.item_kind,
        items.invoice_id,
        items.payment_id,
        items.customer_id,
        items.currency,
        items.document_type,
        items.invoice_date,
        items.due_date,
        -- Unapplied cash, unreferenced credit notes and a document's balance below zero (cash received before it
        -- was issued, or beyond its amount) are unapplied credit, aged apart in their own bucket.
        (items.item_kind = 'unapplied_payment' or items.document_type = 'credit_note' or day_balances.outstanding < 0) as is_unapplied,
        day_balances.outstanding,
        to_reporting(day_balances.outstanding, items.fx_factor) as outstanding_reporting
    from day_balances
    join items on items.item_key = day_balances.item_key
)

select * from final

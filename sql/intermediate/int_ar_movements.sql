-- One row per change to an item's open balance (issue, credit applied, collection, write-off) with the running balance; money in item currency (delta, balances) and reporting currency (delta_reporting).
-- Reporting amounts are at the item's own rate (invoice date; payment date for unapplied cash), and
-- delta_reporting = round(balance_after x rate) - round(balance_before x rate), so they telescope:
-- the reporting deltas of an item always sum to its rounded open balance, and KPI roll-forwards reconcile to the cent.
with items as (
    select item_id, item_kind, document_type, invoice_date, amount, fx_factor, payment_id from int_open_items
),

documents as (
    select invoice_id, customer_id, document_type, invoice_date, amount, reference from int_invoices_enriched
),

payments as (
    select * from int_payments_unioned where applied_invoice_id is not null
),

issued as (
    select item_id, invoice_date as movement_date, 0 as seq,
           case document_type when 'payment' then 'collection' else document_type end as movement_type,
           amount as delta, payment_id, null::varchar as counterpart_id
    from items
),

-- A credit note naming a known invoice is applied to it at once: it lowers that invoice and closes itself.
referenced_credits as (
    select credit.invoice_id as credit_id, credit.invoice_date, -credit.amount as applied, target.invoice_id as target_id
    from documents as credit
    join documents as target on target.invoice_id = credit.reference and target.invoice_id <> credit.invoice_id
    where credit.document_type = 'credit_note'
),

credit_moves as (
    select target_id as item_id, invoice_date as movement_date, 1 as seq, 'credit_applied' as movement_type,
           -applied as delta, null::varchar as payment_id, credit_id as counterpart_id
    from referenced_credits
    union all
    select credit_id, invoice_date, 1, 'credit_consumed', applied, null, target_id
    from referenced_credits
),

payment_moves as (
    select applied_invoice_id as item_id, payment_date as movement_date, 2 as seq,
           case when is_write_off then 'write_off' else 'collection' end as movement_type,
           -amount as delta, payment_id, null::varchar as counterpart_id
    from payments
),

moves as (
    select * from issued
    union all
    select * from credit_moves
    union all
    select * from payment_moves
),

running as (
    select
        moves.*,
        sum(delta) over item_order as balance_after,
        lead(movement_date) over item_order as next_movement_date
    from moves
    window item_order as (partition by item_id order by movement_date, seq, payment_id, counterpart_id
                          rows between unbounded preceding and current row)
),

final as (
    select
        running.item_id,
        running.movement_date,
        running.seq,
        running.movement_type,
        running.payment_id,
        running.counterpart_id,
        running.delta,
        running.balance_after - running.delta as balance_before,
        running.balance_after,
        (round(running.balance_after * items.fx_factor, 2) - round((running.balance_after - running.delta) * items.fx_factor, 2))::decimal(18, 2) as delta_reporting,
        running.next_movement_date
    from running
    join items on items.item_id = running.item_id
)

select * from final

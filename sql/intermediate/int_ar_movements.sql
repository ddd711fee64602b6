-- One row per change to an item's open balance (issue, credit applied, collection, write-off) with the running balance; money in item currency (delta, balances) and reporting currency (delta_reporting).
-- materialized: ephemeral (only models read it: keeping 20M rows in memory for the build instead of writing them to the file saves a third of its time)
-- Keys are integers (item_key from int_open_items, pay_key from int_payments_unioned): this is the largest table of the build.
-- Reporting amounts are at the item's own rate (invoice date; payment date for unapplied cash), and
-- delta_reporting = round(balance_after x rate) - round(balance_before x rate), so they telescope:
-- the reporting deltas of an item always sum to its rounded open balance, and KPI roll-forwards reconcile to the cent.
-- unapplied_delta_reporting: the part of delta_reporting that changes the balance below zero (unapplied credit), the same
-- telescoping way: all of it for unapplied cash and credit notes; for a document, cash received before it was issued or
-- beyond its amount. The KPIs count a document's past-due and current balances without it.
with documents as (
    select doc_key, invoice_id, document_type, invoice_date, amount, fx_factor, reference from int_invoices_enriched
),

payments as (
    select pay_key, applied_doc_key, applied_doc_fx_factor, payment_date, amount, applied_amount, is_write_off, fx_factor from int_payments_unioned
),

issued_documents as (
    select doc_key as item_key, invoice_date as movement_date, 0 as seq, document_type as movement_type,
           amount as delta, null::bigint as pay_key, null::bigint as counterpart_key, fx_factor
    from documents
),

-- Cash naming no known document is an item of its own, open (negative) from the day it arrives.
unapplied_payments as (
    select -pay_key as item_key, payment_date as movement_date, 0 as seq,
           case when is_write_off then 'write_off' else 'collection' end as movement_type,
           -amount as delta, pay_key, null::bigint as counterpart_key, fx_factor
    from payments
    where applied_doc_key is null
),

-- A credit note naming a known document is applied to it on its own date, up to what that document
-- was issued for: credit notes on the same document apply in date order, and what exceeds the amount
-- stays open on the credit note as unapplied credit (a credit note cannot take an invoice below zero).
referenced_credits as (
    select
        credit_key, invoice_date, target_key, credit_factor, target_factor,
        least(credit_amount, greatest(0, target_amount - coalesce(sum(credit_amount) over earlier_credits, 0))) as applied
    from (
        select credit.doc_key as credit_key, credit.invoice_date, -credit.amount as credit_amount,
               target.doc_key as target_key, target.amount as target_amount,
               credit.fx_factor as credit_factor, target.fx_factor as target_factor
        from documents as credit
        join documents as target on target.invoice_id = credit.reference and target.doc_key <> credit.doc_key
        where credit.document_type = 'credit_note'
    )
    window earlier_credits as (partition by target_key order by invoice_date, credit_key
                               rows between unbounded preceding and 1 preceding)
    qualify applied > 0
),

credit_moves as (
    select target_key as item_key, invoice_date as movement_date, 1 as seq, 'credit_applied' as movement_type,
           -applied as delta, null::bigint as pay_key, credit_key as counterpart_key, target_factor as fx_factor
    from referenced_credits
    union all
    select credit_key, invoice_date, 1, 'credit_consumed', applied, null, target_key, credit_factor
    from referenced_credits
),

applied_payments as (
    select applied_doc_key as item_key, payment_date as movement_date, 2 as seq,
           case when is_write_off then 'write_off' else 'collection' end as movement_type,
           -applied_amount as delta, pay_key, null::bigint as counterpart_key, applied_doc_fx_factor as fx_factor
    from payments
    where applied_doc_key is not null
),

moves as (
    select * from issued_documents
    union all
    select * from unapplied_payments
    union all
    select * from credit_moves
    union all
    select * from applied_payments
),

running as (
    select
        *,
        -- DECIMAL(18, 2) keeps the arithmetic below in 64-bit integers, many times faster than 128-bit.
        (sum(delta) over item_order)::decimal(18, 2) as balance_after,
        lead(movement_date) over item_order as next_movement_date
    from moves
    window item_order as (partition by item_key order by movement_date, seq, pay_key, counterpart_key
                          rows between unbounded preceding and current row)
),

final as (
    select
        item_key,
        movement_date,
        seq,
        movement_type,
        pay_key,
        counterpart_key,
        delta::decimal(18, 2) as delta,
        (balance_after - delta)::decimal(18, 2) as balance_before,
        balance_after,
        (to_reporting(balance_after, fx_factor) - to_reporting(balance_after - delta, fx_factor))::decimal(18, 2) as delta_reporting,
        (case
            when balance_after < 0 or balance_after - delta < 0
                then to_reporting(least(balance_after, 0::decimal(18, 2)), fx_factor)
                     - to_reporting(least(balance_after - delta, 0::decimal(18, 2)), fx_factor)
            else 0
        end)::decimal(18, 2) as unapplied_delta_reporting,
        next_movement_date
    from running
)

select * from final

-- One row per payment or write-off, exported or derived from invoices; money in payment currency (amount), in its document's currency (applied_amount) and reporting currency (amount_reporting, at the payment-date rate).
-- applied_amount: what the payment takes off its document's balance. Cash in another currency than the document's is
-- converted at the payment date: amount x factor(payment currency) / factor(document currency), rounded to the cent.
-- pay_key: an integer key unique within the build, from 1: the raw row id for exported payments, 2^40 past the
-- document's key for derived cash and 2^41 past it for derived write-offs (no payment export comes near 2^40 rows).
with exported as (
    select
        source_rowid + 1 as pay_key,
        payment_id,
        customer_id,
        invoice_id,
        payment_date,
        amount,
        currency,
        method,
        is_write_off,
        false as is_derived
    from stg_payments
),

-- Settlements an invoices-only export carries on its invoices: cash, a write-off, or both.
settled_on_invoices as (
    select * from int_payments_derived_from_invoices
),

derived as (
    select
        (1::bigint << 40) + doc_key as pay_key,
        'derived-' || invoice_id as payment_id,
        customer_id,
        invoice_id,
        paid_date as payment_date,
        paid_amount as amount,
        currency,
        'derived:' || paid_date_source as method,
        false as is_write_off,
        true as is_derived
    from settled_on_invoices
    where paid_amount > 0
    union all
    select
        (2::bigint << 40) + doc_key as pay_key,
        'derived-write-off-' || invoice_id as payment_id,
        customer_id,
        invoice_id,
        written_off_date as payment_date,
        written_off_amount as amount,
        currency,
        'derived:written_off_status' as method,
        true as is_write_off,
        true as is_derived
    from settled_on_invoices
    where written_off_amount > 0
),

unioned as (
    select * from exported
    union all by name
    select * from derived
),

documents as (
    select doc_key, invoice_id, currency, fx_factor from int_invoices_enriched
),

fx as (
    select * from int_fx_factors_daily
),

options as (
    select * from build_options
),

-- A payment whose invoice is unknown stays unapplied: it becomes its own negative open item.
matched as (
    select
        unioned.* exclude (currency),
        documents.invoice_id as applied_invoice_id,
        documents.doc_key as applied_doc_key,
        -- Applied cash leaves the receivable at the document's own rate.
        documents.fx_factor as applied_doc_fx_factor,
        documents.currency as applied_doc_currency,
        -- An unapplied payment without a currency is taken to be in the reporting currency.
        coalesce(unioned.currency, documents.currency, options.reporting_currency) as currency
    from unioned
    cross join options
    left join documents on documents.invoice_id = unioned.invoice_id
),

converted as (
    select
        matched.*,
        fx_factor_checked(matched.currency, matched.payment_date, fx.factor, fx.missing_currency, options.reporting_currency, options.as_of) as fx_factor,
        case when matched.applied_doc_currency <> matched.currency then
            fx_factor_checked(matched.applied_doc_currency, matched.payment_date, doc_fx.factor, doc_fx.missing_currency, options.reporting_currency, options.as_of)
        end as applied_doc_factor_on_payment_date
    from matched
    cross join options
    left join fx on fx.currency = matched.currency and fx.day = matched.payment_date
    -- Only cash in another currency than its document looks up the document currency's rate. The
    -- test sits inside the key (NULL never matches): as a separate ON condition it made DuckDB give
    -- up the hash join for a nested loop (4 s at the demo's 200k payments).
    left join fx as doc_fx
        on doc_fx.currency = case when matched.applied_doc_currency <> matched.currency then matched.applied_doc_currency end
        and doc_fx.day = matched.payment_date
),

final as (
    select
        pay_key,
        payment_id,
        customer_id,
        invoice_id,
        applied_invoice_id,
        applied_doc_key,
        applied_doc_fx_factor::decimal(18, 10) as applied_doc_fx_factor,
        payment_date,
        amount::decimal(18, 2) as amount,
        (case
            when applied_doc_key is null or applied_doc_currency = currency then amount
            -- After the as-of a missing rate is not an error (nothing there is reported): the amount is taken as it is.
            else coalesce(round(amount * fx_factor / applied_doc_factor_on_payment_date, 2), amount)
        end)::decimal(18, 2) as applied_amount,
        currency,
        fx_factor::decimal(18, 10) as fx_factor,
        to_reporting(amount, fx_factor) as amount_reporting,
        method,
        is_write_off,
        is_derived
    from converted
)

select * from final

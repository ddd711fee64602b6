-- One row per document issued after the build's as-of (usually none): the documents fct_invoices leaves out, for a model that must know every document's currency (fct_promises: a promise can name an invoice issued later).
-- A table of its own: a records build then reads fct_invoices and these few rows, where int_invoices_enriched (a view
-- once published) would compute staging again over every exported invoice (0.8 s of a promise's publication at 1M invoices).
with options as (
    select * from build_options
),

final as (
    select invoice_id, customer_id, invoice_date, currency
    from int_invoices_enriched
    -- The complement of fct_invoices' filter (invoice_date <= as_of), so no document falls between the two.
    where not coalesce(invoice_date <= (select as_of from options), false)
)

select * from final

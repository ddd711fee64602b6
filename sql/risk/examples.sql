-- one row per training or test example: an invoice whose outcome was known by $known_by, with the date its features are taken (its issue date) and its label (1 = late)
-- Parameters: $late_days, $issued_from, $issued_before, $known_by. Late = not settled within $late_days days of the due date.
with

invoices as (
    select invoice_id, invoice_date, due_date, settled_date, status
    from risk_src_invoices
    where invoice_date >= $issued_from::date and invoice_date < $issued_before::date
),

final as (
    select
        invoice_id,
        invoice_date as as_of,
        (not coalesce(settled_date <= due_date + $late_days::int and settled_date <= $known_by::date, false))::int as label
    from invoices
    -- Known: the late line has passed. An invoice settled on time is known earlier, but taking those
    -- would over-represent punctual payers among recent invoices (their late twins are not known yet).
    where due_date + $late_days::int < $known_by::date
)

select * from final

-- One row per payment-complement (REP) finding as of the build's as-of; money in the invoice's currency.
-- Two findings, for the SAT's rule that every payment of a PPD invoice gets a payment complement by the 5th day of the month after it:
--   paid_without_complement  a PPD CFDI invoice whose cash received by the as-of (CFDI complements, ERP or bank payments, or what an
--                            invoices-only export says was paid) exceeds what its complements issued by the as-of cover; amount = the
--                            difference; payment_date = its last cash no such complement reports; deadline = the 5th of the month
--                            after that; days_late = as_of - deadline when past it, else 0.
--   late_complement          a complement line issued by the as-of after the deadline of its payment date; amount = what it paid;
--                            days_late = issued_date - deadline.
-- The rule is computed by the macro rep_compliance_at (sql/macros), here at the build's as-of; the CFO page calls it at its
--   own as-of: one rule, at any date (the formula is in this model's .yml).
with options as (
    select as_of from build_options
),

findings as (
    select * from rep_compliance_at((select as_of from options))
),

final as (
    select * from findings
)

select * from final

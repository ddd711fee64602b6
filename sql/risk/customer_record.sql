-- one row per invoice of temp table risk_record_rows (every customer's, or a few customers': those a feature as of the record's first date can see), with what that customer's record shows once its outcome is in, and what was paid on it in all (temp table risk_invoice_paid)
-- Final outcomes, not outcomes as of any date: features.sql counts a row only once its outcome was known on the
-- target's as_of, so one record serves every as_of from $from (training's issue dates, a score's date, a backtest's month-ends).
-- The record orders outcomes by when they entered it (known, and the invoice issued), latest last; of those entered the
-- same day, the lowest invoice id last. record_order numbers that order with no gap, so features.sql finds the outcomes
-- before one by their numbers; those entered in its lookback are all here (an invoice closed within the lookback of $from is kept).
-- A temp table (risk_customer_record, src/risk/customer-record.ts): made once for an operation that builds features
-- several times (training then scoring, a backtest), it is read by each rather than sorted again.
select
    r.*,
    ip.paid_total, ip.n_payments_total, ip.first_paid_on, ip.last_paid_on,
    row_number() over (partition by r.customer_id order by r.entered_on, r.invoice_id desc) as record_order
from risk_record_rows as r
left join risk_invoice_paid as ip using (customer_id, invoice_id)

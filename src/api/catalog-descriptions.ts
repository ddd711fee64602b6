/**
 * What each mart means, for analysts browsing `/api/catalog`, where its model's `.yml` does not
 * define it (a `.yml` definition wins). Relations and columns not described anywhere still appear
 * in the catalog, without a description.
 */
export interface RelationDoc {
  description: string;
  columns?: Record<string, string>;
}

const MONEY_REPORTING = 'in the reporting currency of the build (DECIMAL)';

export const CATALOG_DESCRIPTIONS: Record<string, RelationDoc> = {
  fct_invoices: {
    description: 'One row per invoice (and credit note) with its settlement state at the build as-of date.',
    columns: {
      invoice_id: 'document number as the ERP issued it',
      customer_id: 'customer key (dim_customers.customer_id)',
      document_type: 'invoice, credit_note, ...',
      amount: 'document amount in its own currency (DECIMAL)',
      currency: 'ISO 4217 code of amount',
      amount_reporting: `amount ${MONEY_REPORTING}`,
      paid_amount: 'amount settled so far, own currency',
      outstanding: 'amount still open, own currency',
      outstanding_reporting: `amount still open, ${MONEY_REPORTING}`,
      days_to_pay: 'days from invoice date to full payment (paid invoices)',
      days_late: 'days paid after the due date (paid invoices)',
      days_past_due: 'days past the due date at as-of (open invoices)',
      bucket: "aging bucket label, e.g. 'current', '1-30', '120+'",
      bucket_order: 'sort order of bucket',
      disputed: 'true while a dispute is open',
      status: 'open, paid, ...',
    },
  },
  fct_payments: {
    description: 'One row per payment (or its application to one invoice).',
    columns: { amount: 'payment amount, own currency (DECIMAL)', amount_reporting: `payment ${MONEY_REPORTING}`, method: 'transfer, check, card, ...' },
  },
  fct_promises: { description: 'One row per promise to pay, with whether it was kept.' },
  fct_activities: { description: 'One row per collection activity (call, email, letter, visit).' },
  fct_disputes: { description: 'One row per dispute, with its reason and resolution.' },
  dim_customers: {
    description: 'One row per customer, with balances at as-of and the segments the models assign.',
    columns: {
      credit_limit: 'credit limit (DECIMAL)',
      open_balance: `open receivables, ${MONEY_REPORTING}`,
      overdue_balance: `past-due receivables, ${MONEY_REPORTING}`,
      behaviour_segment: 'how the customer pays (e.g. on time, late payer, chronic)',
      value_tier: 'value to the business by sales volume',
      portfolio_stage: 'where the account is in its life: new, active, at risk, ...',
    },
  },
  ar_aging: { description: 'Open receivables at the build as-of date, one row per open invoice with its aging bucket.' },
  aging_at: { description: 'Table macro: aging_at(as_of DATE) — open items at any date with the default buckets.' },
  aging_with: {
    description: "Table macro: aging_with(as_of DATE, basis VARCHAR ('due'|'invoice'), bounds INTEGER[]) — open items bucketed by any bounds.",
  },
  // kpi_monthly and its per-dimension tables are defined in their models' .yml (src/models/definitions.ts).
  kpi_monthly_by_segment: { description: 'kpi_monthly per customer segment.' },
  kpi_monthly_by_collector: { description: 'kpi_monthly per collector.' },
  kpi_monthly_by_country: { description: 'kpi_monthly per country.' },
  kpi_collectors: { description: 'One row per collector: portfolio, activity and results.' },
  agg_recovery: { description: 'Recovery curves: how much of each cohort of invoices was collected after n months.' },
  agg_roll_rates: { description: 'Roll rates: share of each bucket that moved to each other bucket from one month to the next.' },
  agg_cash_forecast: { description: 'Expected collections per future period, from due dates and payment behaviour.' },
  agg_disputes: { description: 'Disputes per reason and period: counts, amounts, days to resolve.' },
  agg_promises: { description: 'Promises to pay per period: made, kept, broken.' },
  risk_scores: {
    description: 'One row per open invoice per scoring date: probability of paying late and why.',
    columns: { probability: 'probability of becoming seriously late (0-1)', risk_band: 'low, medium or high', reasons: 'main reasons, most important first' },
  },
  risk_models: { description: 'One row per trained risk model: training window, parameters, metrics.' },
  call_list: { description: 'One row per customer to contact, ranked: balances, risk, reasons (es/en) and the suggested action.' },
  builds: { description: 'One row per successful build: as-of date and options.' },
};

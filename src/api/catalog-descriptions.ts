/**
 * What each mart means, for analysts browsing `/api/catalog`. Relations and columns not listed
 * still appear in the catalog, without a description.
 */
export interface RelationDoc {
  description: string;
  columns?: Record<string, string>;
}

const MONEY_REPORTING = 'in the reporting currency of the build (DECIMAL)';

const KPI_COLUMNS: Record<string, string> = {
  month: 'first day of the month',
  credit_sales: `invoices issued in the month, ${MONEY_REPORTING}`,
  collections: `cash applied in the month, ${MONEY_REPORTING}`,
  credit_notes: `credit notes issued in the month, ${MONEY_REPORTING}`,
  write_offs: `amounts written off in the month, ${MONEY_REPORTING}`,
  ar_begin: `receivables open at the start of the month, ${MONEY_REPORTING}`,
  ar_end: `receivables open at month end, ${MONEY_REPORTING}`,
  ar_current_end: `month-end receivables not yet due, ${MONEY_REPORTING}`,
  ar_overdue_end: `month-end receivables past due, ${MONEY_REPORTING}`,
  overdue_pct: 'share of month-end receivables past due, percent',
  dso_standard: 'days sales outstanding: ar_end / credit sales of the period x days',
  dso_countback: 'DSO by the count-back method: days of most recent sales that add up to ar_end',
  best_possible_dso: 'DSO if only current (not yet due) receivables were open',
  add_days: 'average days delinquent: dso_standard - best_possible_dso',
  cei_pct: 'collection effectiveness index, percent: what was collected of what could be',
  bad_debt_ratio_pct: 'write-offs over credit sales, percent',
  avg_days_to_pay: 'average days from invoice to payment of invoices paid in the month',
  on_time_pct: 'share of invoices paid in the month that were paid by their due date, percent',
};

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
  kpi_monthly: { description: 'One row per month: receivables KPIs for the whole book.', columns: KPI_COLUMNS },
  kpi_monthly_by_segment: { description: 'kpi_monthly per customer segment.', columns: KPI_COLUMNS },
  kpi_monthly_by_collector: { description: 'kpi_monthly per collector.', columns: KPI_COLUMNS },
  kpi_monthly_by_country: { description: 'kpi_monthly per country.', columns: KPI_COLUMNS },
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

import type { Warehouse } from '../db/warehouse.ts';

/**
 * The marts the risk model reads, each with the columns it needs. Only `fct_invoices` must
 * hold rows: an invoices-only export leaves the others empty or absent, and the model must
 * still run, so an absent mart is replaced by an empty table of the same shape.
 */
const SOURCES: Record<string, { mart: string; columns: [string, string][] }> = {
  risk_src_payments: {
    mart: 'fct_payments',
    columns: [['payment_id', 'varchar'], ['customer_id', 'varchar'], ['invoice_id', 'varchar'], ['payment_date', 'date'], ['amount_reporting', 'decimal(18,2)'], ['is_write_off', 'boolean']],
  },
  risk_src_disputes: {
    mart: 'fct_disputes',
    columns: [['dispute_id', 'varchar'], ['invoice_id', 'varchar'], ['customer_id', 'varchar'], ['opened_date', 'date'], ['resolved_date', 'date'], ['amount', 'decimal(18,2)'], ['status', 'varchar']],
  },
  risk_src_promises: {
    mart: 'fct_promises',
    columns: [['promise_id', 'varchar'], ['customer_id', 'varchar'], ['invoice_id', 'varchar'], ['promise_date', 'date'], ['promised_date', 'date'], ['amount', 'decimal(18,2)'], ['currency', 'varchar'], ['amount_reporting', 'decimal(18,2)'], ['status', 'varchar']],
  },
  risk_src_activities: {
    mart: 'fct_activities',
    columns: [['activity_id', 'varchar'], ['customer_id', 'varchar'], ['invoice_id', 'varchar'], ['activity_date', 'date'], ['channel', 'varchar'], ['outcome', 'varchar']],
  },
  risk_src_attributes: {
    mart: 'dim_attributes',
    columns: [['entity', 'varchar'], ['entity_id', 'varchar'], ['attribute', 'varchar'], ['value', 'varchar'], ['dated', 'boolean']],
  },
  risk_src_customers: {
    mart: 'dim_customers',
    columns: [['customer_id', 'varchar'], ['name', 'varchar'], ['email', 'varchar'], ['phone', 'varchar'], ['collector', 'varchar'], ['credit_limit', 'decimal(18,2)']],
  },
};

/**
 * Creates temp views `risk_src_*` over the marts (or empty stand-ins when a mart is absent),
 * so the risk SQL can always name them. Call once per connection before running risk SQL.
 */
export async function prepareSources(wh: Warehouse): Promise<void> {
  if (!(await wh.tableExists('fct_invoices'))) {
    throw new Error('risk: fct_invoices is missing; run `cartera build` first');
  }
  for (const [name, { mart, columns }] of Object.entries(SOURCES)) {
    // Names come from the constant above, never from input.
    const body = (await wh.tableExists(mart))
      ? `select ${columns.map(([c, t]) => `"${c}"::${t} as "${c}"`).join(', ')} from ${mart}`
      : `select ${columns.map(([c, t]) => `null::${t} as "${c}"`).join(', ')} where false`;
    await wh.run(`create or replace temp view ${name} as ${body}`);
  }
  await wh.run(`create or replace temp view risk_src_invoices as ${INVOICES}`);
}

/**
 * Receivable documents the model learns from and scores (credit notes are not debts), with
 * the settlement date made explicit: a settled invoice without one still tells when it
 * settled through days_to_pay; a 'paid' one with neither counts as settled on its due date.
 */
const INVOICES = `
  select
    invoice_id, customer_id, customer_name, invoice_date,
    coalesce(due_date, invoice_date + coalesce(payment_terms_days, 30)::int) as due_date,
    coalesce(amount_reporting, amount) as amount,
    coalesce(outstanding_reporting, outstanding) as outstanding_now,
    coalesce(currency, '') as currency,
    coalesce(document_type, 'invoice') as document_type,
    coalesce(payment_terms_days, coalesce(due_date, invoice_date) - invoice_date) as terms_days,
    coalesce(paid_date,
      case when status = 'paid' and days_to_pay is not null then invoice_date + days_to_pay::int end,
      case when status = 'paid' then coalesce(due_date, invoice_date) end) as settled_date,
    coalesce(disputed, false) as disputed_flag,
    coalesce(status, 'open') as status,
    collector,
    coalesce(segment, '') as segment
  from fct_invoices
  where coalesce(document_type, 'invoice') <> 'credit_note'`;

/** What the sources are made of (marts, columns, the invoices' rules): a feature computed on other sources is another feature. */
export const SOURCES_DEFINITION = JSON.stringify({ SOURCES, INVOICES });

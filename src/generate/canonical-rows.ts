/**
 * Rows in the canonical format: UTF-8, comma separated, ISO dates, dot decimals, credit notes
 * as negative amounts. Headers are the canonical field names of src/ingest/entities.ts.
 */
import type { Customer } from './customers.ts';
import type { DayFormats } from './days.ts';
import type { FxRate } from './fx-rates.ts';
import type { ActivityRow, DisputeRow, DocumentRow, PaymentRow, PromiseRow } from './ledger-types.ts';
import { centsCanonical } from './money.ts';

export const HEADERS = {
  invoices: 'invoice_id,customer_id,invoice_date,due_date,amount,currency,document_type,status,disputed,reference,description',
  payments: 'payment_id,customer_id,invoice_id,payment_date,amount,currency,method,reference',
  customers:
    'customer_id,name,tax_id,country,segment,industry,credit_limit,payment_terms_days,collector,email,phone,customer_since',
  disputes: 'dispute_id,invoice_id,customer_id,opened_date,resolved_date,amount,reason,status',
  promises: 'promise_id,customer_id,invoice_id,promise_date,promised_date,amount,status,collector',
  activities: 'activity_id,customer_id,invoice_id,activity_date,channel,outcome,collector,notes',
  fx: 'rate_date,currency,rate,base_currency',
} as const;

/** Quotes a field only when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function invoiceCsv(customerId: string, d: DocumentRow, days: DayFormats): string {
  const cents = d.kind === 'credit_note' ? -d.cents : d.cents;
  return `${d.id},${customerId},${days.isoText(d.date)},${days.isoText(d.due)},${centsCanonical(cents)},${d.currency},${d.kind},${d.status},${d.disputed},${d.reference},${csvField(d.description)}\n`;
}

export function paymentCsv(customerId: string, p: PaymentRow, days: DayFormats): string {
  return `${p.id},${customerId},${p.invoiceId},${days.isoText(p.date)},${centsCanonical(p.cents)},${p.currency},${p.method},${csvField(p.reference)}\n`;
}

export function customerCsv(c: Customer, days: DayFormats): string {
  return [
    c.id,
    csvField(c.name),
    c.taxId,
    c.country,
    c.segment,
    csvField(c.industry),
    centsCanonical(c.creditLimitCents),
    c.termsDays,
    csvField(c.collector),
    c.email,
    c.phone,
    days.isoText(c.sinceDay),
  ].join(',') + '\n';
}

export function disputeCsv(customerId: string, d: DisputeRow, days: DayFormats): string {
  const resolved = d.resolved === null ? '' : days.isoText(d.resolved);
  return `${d.id},${d.invoiceId},${customerId},${days.isoText(d.opened)},${resolved},${centsCanonical(d.cents)},${csvField(d.reason)},${d.status}\n`;
}

export function promiseCsv(c: Customer, p: PromiseRow, days: DayFormats): string {
  return `${p.id},${c.id},${p.invoiceId},${days.isoText(p.made)},${days.isoText(p.promised)},${centsCanonical(p.cents)},${p.status},${csvField(c.collector)}\n`;
}

/** One NDJSON line; money as a JSON number with at most two decimals. */
export function promiseJson(c: Customer, p: PromiseRow, days: DayFormats): string {
  return `{"promise_id":"${p.id}","customer_id":"${c.id}","invoice_id":"${p.invoiceId}","promise_date":"${days.isoText(p.made)}","promised_date":"${days.isoText(p.promised)}","amount":${centsCanonical(p.cents)},"status":"${p.status}","collector":${JSON.stringify(c.collector)}}\n`;
}

export function activityCsv(c: Customer, a: ActivityRow, days: DayFormats): string {
  return `${a.id},${c.id},${a.invoiceId},${days.isoText(a.date)},${a.channel},${a.outcome},${csvField(c.collector)},${csvField(a.notes)}\n`;
}

/** One element of the JSON array (no separator: the caller writes commas). */
export function activityJson(c: Customer, a: ActivityRow, days: DayFormats): string {
  return `{"activity_id":"${a.id}","customer_id":"${c.id}","invoice_id":"${a.invoiceId}","activity_date":"${days.isoText(a.date)}","channel":"${a.channel}","outcome":"${a.outcome}","collector":${JSON.stringify(c.collector)},"notes":${JSON.stringify(a.notes)}}`;
}

export function fxCsv(r: FxRate, days: DayFormats): string {
  return `${days.isoText(r.day)},${r.currency},${r.rate},USD\n`;
}

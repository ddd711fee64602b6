/**
 * Warnings about what a loaded batch means, where its values are valid but easy to read wrong:
 * an open-items report whose due date stands in for the issue date, and cash dated before the
 * invoice it settles (a prepayment). Nothing is rejected: the rows load, and `ingest_rejects`
 * says what the models will make of them.
 */
import type { EntitySpec } from '../canonical/entities.ts';
import type { Warehouse } from '../db/warehouse.ts';
import type { ColumnMapping } from './mapping.ts';
import { ISSUE_DATE_STAND_IN, standInsOf } from './stand-ins.ts';

export const PAYMENT_BEFORE_INVOICE =
  'payment dated before its invoice (a prepayment): unapplied credit until the invoice date, then it settles the invoice';
export const PAID_BEFORE_INVOICE =
  'paid before its invoice date (a prepayment): unapplied credit until the invoice date, then it settles the invoice';

/** One batch just loaded: its id, the file label the rejects name, and how its columns map. */
export interface LoadedBatch {
  batchId: number;
  where: string;
  entity: EntitySpec;
  mapping: ColumnMapping;
}

/** Records the warnings of a loaded batch in `ingest_rejects`, and flags a batch with stand-ins. */
export async function warnOfMeanings(wh: Warehouse, batch: LoadedBatch): Promise<void> {
  const standIns = standInsOf(batch.entity, batch.mapping);
  if (Object.keys(standIns).length) await warnOfStandIns(wh, batch, standIns);
  else if (batch.entity.name === 'invoices') await warnOfInvoicesPaidEarly(wh, batch);
  else if (batch.entity.name === 'payments') await warnOfPaymentsBeforeInvoices(wh, batch);
}

/**
 * One warning for the file (not a line: its layout is the reason), and the stand-ins kept in the
 * batch's `mapping` (`{"stand_ins": {"invoice_date": "due_date"}}`), where staging reads them.
 * Rows paid before their due date are not prepayments there, so they get no warning of their own.
 */
async function warnOfStandIns(wh: Warehouse, batch: LoadedBatch, standIns: Record<string, string>): Promise<void> {
  await wh.run(
    `insert into ingest_rejects (batch_id, file, line, column_name, value, reason, severity) values ($1, $2, null, $3, null, $4, 'warning')`,
    [batch.batchId, batch.where, batch.mapping.due_date, ISSUE_DATE_STAND_IN],
  );
  await wh.run(`update ingest_batches set mapping = json_merge_patch(mapping, $2::json) where batch_id = $1`, [
    batch.batchId,
    JSON.stringify({ stand_ins: standIns }),
  ]);
}

/** Invoices whose paid date, or negative days to pay, falls before their invoice date. */
async function warnOfInvoicesPaidEarly(wh: Warehouse, batch: LoadedBatch): Promise<void> {
  const { paid_date: paidDate, days_to_pay: daysToPay } = batch.mapping;
  if (!paidDate && !daysToPay) return;
  await wh.run(
    `insert into ingest_rejects (batch_id, file, line, column_name, value, reason, severity)
     select $1, $2, source_line,
            case when paid_date < invoice_date then $3 else $4 end,
            case when paid_date < invoice_date then paid_date::varchar else days_to_pay::varchar end,
            $5, 'warning'
       from raw_invoices
      where batch_id = $1 and not rejected and (paid_date < invoice_date or days_to_pay < 0)`,
    [batch.batchId, batch.where, paidDate ?? null, daysToPay ?? null, PAID_BEFORE_INVOICE],
  );
}

/** Payments dated before the invoice they name, among the invoices of this load and earlier ones. */
async function warnOfPaymentsBeforeInvoices(wh: Warehouse, batch: LoadedBatch): Promise<void> {
  await wh.run(
    `insert into ingest_rejects (batch_id, file, line, column_name, value, reason, severity)
     select $1, $2, p.source_line, $3, p.payment_date::varchar, $4, 'warning'
       from raw_payments p
      where p.batch_id = $1 and not p.rejected and p.invoice_id is not null
        and exists (select 1 from raw_invoices i where i.invoice_id = p.invoice_id and not i.rejected and p.payment_date < i.invoice_date)`,
    [batch.batchId, batch.where, batch.mapping.payment_date, PAYMENT_BEFORE_INVOICE],
  );
}

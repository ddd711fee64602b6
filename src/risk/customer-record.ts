import type { Warehouse } from '../db/warehouse.ts';
import { prepareSources } from './sources.ts';
import { riskSql } from './sql.ts';

const INVOICE_PAID_SQL = riskSql('invoice_paid.sql');
const PARTS_PAYMENTS_SQL = riskSql('parts_payments.sql');
const CUSTOMER_RECORD_SQL = riskSql('customer_record.sql');

/** The late-days rule of the whole-portfolio record an operation holds open on a connection (`withCustomerRecord`). */
const shared = new WeakMap<Warehouse, number>();

/** A source's rows of the customers in temp table risk_record_customers. */
const ofRecordCustomers = (source: string) => `select * from ${source} where customer_id in (select customer_id from risk_record_customers)`;

/**
 * Makes temp tables `risk_customer_record` (every invoice of the chosen customers in their record's
 * order, with what was paid on each in all) and `risk_parts_payments` (the payments of invoices paid in
 * several): what `features.sql` reads of the customers' records. `customersSql` selects the customers
 * (column customer_id); null takes every customer. Sources must be prepared.
 */
async function makeRecord(wh: Warehouse, lateDays: number, customersSql: string | null): Promise<void> {
  // A few customers (a contact's re-scoring) read their own invoices and payments only, not the history's.
  if (customersSql) await wh.run(`create or replace temp table risk_record_customers as select distinct customer_id from (${customersSql})`);
  for (const [view, source] of [['risk_record_invoices', 'risk_src_invoices'], ['risk_record_payments', 'risk_src_payments']]) {
    await wh.run(`create or replace temp view ${view} as ${customersSql ? ofRecordCustomers(source) : `select * from ${source}`}`);
  }
  // Per-invoice payment totals first, as tables: the planner then knows how few invoices were paid in parts.
  await wh.run(`create or replace temp table risk_invoice_paid as ${INVOICE_PAID_SQL}`);
  await wh.run(`create or replace temp table risk_parts_payments as ${PARTS_PAYMENTS_SQL}`);
  await wh.run(`create or replace temp table risk_customer_record as ${CUSTOMER_RECORD_SQL}`, { late_days: lateDays });
  await wh.run(`drop table temp.risk_invoice_paid; drop view temp.risk_record_invoices; drop view temp.risk_record_payments;
    drop table if exists temp.risk_record_customers`);
}

async function dropRecord(wh: Warehouse): Promise<void> {
  await wh.run('drop table if exists temp.risk_customer_record; drop table if exists temp.risk_parts_payments');
}

/**
 * Runs `fn`, then drops the record. When `fn` fails, its error is the one thrown: inside a transaction it
 * failed, the drop fails too (the transaction is aborted), and the rollback takes the record away anyway.
 */
async function thenDrop<T>(wh: Warehouse, fn: () => Promise<T>): Promise<T> {
  let out: T;
  try {
    out = await fn();
  } catch (err) {
    await dropRecord(wh).catch(() => undefined);
    throw err;
  }
  await dropRecord(wh);
  return out;
}

/**
 * Runs `fn` with the record of every customer made once, so each feature build inside it (a training's
 * examples, then the scores; a backtest's models and test sets) reads it instead of sorting the same
 * history again; drops it afterwards. The marts must not change while `fn` runs: nothing inside a
 * scoring or a backtest writes them.
 *
 * @example
 *   await withCustomerRecord(wh, 30, async () => { const m = await trainModel(wh, opts); ... });
 */
export async function withCustomerRecord<T>(wh: Warehouse, lateDays: number, fn: () => Promise<T>): Promise<T> {
  const open = shared.get(wh);
  if (open !== undefined) {
    if (open !== lateDays) throw new Error(`risk: a record for ${open} late days is already open`);
    return fn();
  }
  await prepareSources(wh);
  await makeRecord(wh, lateDays, null);
  shared.set(wh, lateDays);
  return thenDrop(wh, () => fn().finally(() => shared.delete(wh)));
}

/**
 * Calls `fn` with the records of the targets' customers (temp table risk_targets) in place: the open
 * whole-portfolio one when `withCustomerRecord` holds one for `lateDays`, else one made for these
 * customers and dropped afterwards. Sources must be prepared.
 */
export async function withTargetsRecord<T>(wh: Warehouse, lateDays: number, fn: () => Promise<T>): Promise<T> {
  const open = shared.get(wh);
  if (open === lateDays) return fn();
  // Making another would replace the open one under its operation.
  if (open !== undefined) throw new Error(`risk: a record for ${open} late days is open; features for ${lateDays} cannot be built inside it`);
  await makeRecord(wh, lateDays, 'select i.customer_id from risk_targets as t join risk_src_invoices as i using (invoice_id)');
  return thenDrop(wh, fn);
}

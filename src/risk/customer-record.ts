import type { Warehouse } from '../db/warehouse.ts';
import { prepareSources } from './sources.ts';
import { riskSql } from './sql.ts';

const RECORD_ROWS_SQL = riskSql('record_rows.sql');
const CUSTOMER_BASE_SQL = riskSql('customer_base.sql');
const INVOICE_PAID_SQL = riskSql('invoice_paid.sql');
const PARTS_PAYMENTS_SQL = riskSql('parts_payments.sql');
const CUSTOMER_RECORD_SQL = riskSql('customer_record.sql');

/**
 * How many days back a customer's record reaches on a date (features.sql's `$history_days`): its invoices still
 * open, and those closed (settled, and their outcome in) within this many days. Promises' outcomes, the last
 * payment and the last contact look back as far; the prior outcomes' counts and days late add per-customer totals
 * of the older ones (customer_base.sql). Training and scoring then sort the history's last two years, however long
 * the history. Two, not one: in one run of the backtests a one-year lookback cost the model 0.006-0.009 AUC in
 * three of six, and two years lost none (src/risk/README.md).
 */
export const HISTORY_DAYS = 730;

/** The whole-portfolio record an operation holds open on a connection (`withCustomerRecord`): its late-days rule, and the first as_of it serves (null until a feature build needs it). */
const shared = new WeakMap<Warehouse, { lateDays: number; from: string | null }>();

/** Wall milliseconds spent making records in the current or last operation on a connection (`recordSeconds`). */
const spent = new WeakMap<Warehouse, number>();

/** A source's rows of the customers in temp table risk_record_customers. */
const ofRecordCustomers = (source: string) => `select * from ${source} where customer_id in (select customer_id from risk_record_customers)`;

/**
 * Makes temp tables `risk_customer_record` (the invoices of the chosen customers open on `from` or closed within
 * HISTORY_DAYS before it, in their record's order, with what was paid on each in all), `risk_customer_base` (per
 * customer, the totals of the invoices closed before that) and `risk_parts_payments` (the payments of the record's
 * invoices paid in several): what `features.sql` reads of the customers' records. `customersSql` selects the
 * customers (column customer_id); null takes every customer. Sources must be prepared.
 */
async function makeRecord(wh: Warehouse, lateDays: number, from: string, customersSql: string | null): Promise<void> {
  const t = Date.now();
  // A few customers (a contact's re-scoring) read their own invoices and payments only, not the history's.
  if (customersSql) await wh.run(`create or replace temp table risk_record_customers as select distinct customer_id from (${customersSql})`);
  for (const [view, source] of [['risk_record_invoices', 'risk_src_invoices'], ['risk_record_payments', 'risk_src_payments']]) {
    await wh.run(`create or replace temp view ${view} as ${customersSql ? ofRecordCustomers(source) : `select * from ${source}`}`);
  }
  const params = { late_days: lateDays, from, history_days: HISTORY_DAYS };
  await wh.run(`create or replace temp table risk_record_rows as ${RECORD_ROWS_SQL}`, params);
  await wh.run(`create or replace temp table risk_customer_base as ${CUSTOMER_BASE_SQL}`, params);
  // Per-invoice payment totals first, as tables: the planner then knows how few invoices were paid in parts.
  await wh.run(`create or replace temp table risk_invoice_paid as ${INVOICE_PAID_SQL}`);
  await wh.run(`create or replace temp table risk_parts_payments as ${PARTS_PAYMENTS_SQL}`);
  await wh.run(`create or replace temp table risk_customer_record as ${CUSTOMER_RECORD_SQL}`);
  await wh.run(`drop table temp.risk_invoice_paid; drop table temp.risk_record_rows; drop view temp.risk_record_invoices;
    drop view temp.risk_record_payments; drop table if exists temp.risk_record_customers`);
  spent.set(wh, (spent.get(wh) ?? 0) + Date.now() - t);
}

async function dropRecord(wh: Warehouse): Promise<void> {
  await wh.run(`drop table if exists temp.risk_customer_record; drop table if exists temp.risk_parts_payments;
    drop table if exists temp.risk_customer_base`);
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

/** The first as_of of temp table risk_targets (ISO date); with no target, a date past any history (the record then holds the open invoices only). */
async function firstTargetDate(wh: Warehouse): Promise<string> {
  const d = await wh.scalar<string | null>('select min(as_of)::date::varchar from risk_targets');
  return d ?? '9999-12-31';
}

/**
 * Runs `fn` with one record of every customer for the feature builds inside it (a training's examples, then
 * the scores; a backtest's models and test sets), so each reads it instead of sorting the same history again;
 * drops it afterwards. The record is made by the first build and again only when a later one needs an earlier
 * date. The marts must not change while `fn` runs: nothing inside a scoring or a backtest writes them.
 *
 * @example
 *   await withCustomerRecord(wh, 30, async () => { const m = await trainModel(wh, opts); ... });
 */
export async function withCustomerRecord<T>(wh: Warehouse, lateDays: number, fn: () => Promise<T>): Promise<T> {
  const open = shared.get(wh);
  if (open !== undefined) {
    if (open.lateDays !== lateDays) throw new Error(`risk: a record for ${open.lateDays} late days is already open`);
    return fn();
  }
  await prepareSources(wh);
  spent.set(wh, 0);
  shared.set(wh, { lateDays, from: null });
  return thenDrop(wh, () => fn().finally(() => shared.delete(wh)));
}

/**
 * Calls `fn` with the records of the targets' customers (temp table risk_targets) in place: the open
 * whole-portfolio one when `withCustomerRecord` holds one for `lateDays` (made or made again from the targets'
 * first date when it does not reach that far back), else one made for these customers and dropped afterwards.
 * Sources must be prepared.
 */
export async function withTargetsRecord<T>(wh: Warehouse, lateDays: number, fn: () => Promise<T>): Promise<T> {
  const open = shared.get(wh);
  // Making another would replace the open one under its operation.
  if (open !== undefined && open.lateDays !== lateDays) {
    throw new Error(`risk: a record for ${open.lateDays} late days is open; features for ${lateDays} cannot be built inside it`);
  }
  const first = await firstTargetDate(wh);
  if (open !== undefined) {
    if (open.from === null || first < open.from) {
      await makeRecord(wh, lateDays, first, null);
      open.from = first;
    }
    return fn();
  }
  spent.set(wh, 0);
  await makeRecord(wh, lateDays, first, 'select i.customer_id from risk_targets as t join risk_src_invoices as i using (invoice_id)');
  return thenDrop(wh, fn);
}

/** Seconds spent making customers' records in the current or last operation on `wh` (the bench reports them apart). */
export function recordSeconds(wh: Warehouse): number {
  return (spent.get(wh) ?? 0) / 1000;
}

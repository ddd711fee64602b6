import type { Warehouse } from '../db/warehouse.ts';
import { writeRecord } from './record-build.ts';
import { openStoredRecord, type RecordUse } from './record-store.ts';
import { prepareSources } from './sources.ts';

/** The late-days rule of the whole-portfolio record an operation holds open on a connection (`withCustomerRecord`). */
const shared = new WeakMap<Warehouse, number>();

/**
 * Makes temp tables `risk_customer_record` (every invoice of the chosen customers in their record's
 * order, with what was paid on each in all) and `risk_parts_payments` (the payments of invoices paid in
 * several): what `features.sql` reads of the customers' records. `customersSql` selects the customers
 * (column customer_id); null takes every customer. Sources must be prepared.
 */
async function makeRecord(wh: Warehouse, lateDays: number, customersSql: string | null): Promise<void> {
  await writeRecord(wh, lateDays, customersSql, {
    record: 'create or replace temp table risk_customer_record as',
    parts: 'create or replace temp table risk_parts_payments as',
  });
}

/** Drops the record: temp tables, or (`openStoredRecord`) temp views over the record store. */
async function dropRecord(wh: Warehouse): Promise<void> {
  const view = await wh.scalar<boolean>(`select count(*) > 0 from duckdb_views() where temporary and view_name = 'risk_customer_record'`);
  const kind = view ? 'view' : 'table';
  await wh.run(`drop ${kind} if exists temp.risk_customer_record; drop ${kind} if exists temp.risk_parts_payments`);
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

/** How `withCustomerRecord` makes the record. */
export interface RecordOptions {
  /**
   * Read it from the record store (`src/risk/record-store.ts`), making again only the records of customers whose
   * invoices or payments changed, as the warehouse's own model trains and scores; 'in-transaction' inside a
   * caller's open transaction. Otherwise it is made whole, and nothing is kept.
   */
  store?: boolean | 'in-transaction';
  /** Told how many customers' records were kept and how many made again, when `store`. */
  used?: (use: RecordUse) => void;
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
export async function withCustomerRecord<T>(wh: Warehouse, lateDays: number, fn: () => Promise<T>, opts: RecordOptions = {}): Promise<T> {
  const open = shared.get(wh);
  if (open !== undefined) {
    if (open !== lateDays) throw new Error(`risk: a record for ${open} late days is already open`);
    return fn();
  }
  await prepareSources(wh);
  if (opts.store) {
    const use = await openStoredRecord(wh, lateDays, opts.store === 'in-transaction');
    opts.used?.(use);
  } else {
    await makeRecord(wh, lateDays, null);
  }
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

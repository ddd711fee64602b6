import { createHash } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
import { atomically } from './atomically.ts';
import { RECORD_SQL_FILES, writeRecord } from './record-build.ts';
import { SOURCES_DEFINITION } from './sources.ts';
import { riskSql } from './sql.ts';

/**
 * The customers' record (`sql/risk/customer_record.sql`) kept from one operation to the next, for one late-days
 * rule (tables in `main`, which no analyst reads). The record holds final outcomes, whatever the date features are
 * taken on, and making it sorts every invoice of the history: the part of a training and its scoring that grows
 * with the history (10 s at 10M invoices). A refresh changes the records of the customers who had an invoice, a
 * payment or a settlement since; only theirs are made again.
 *
 * - `risk_record_store`: the record's rows, as customer_record.sql makes them.
 * - `risk_record_store_parts`: the payments of invoices paid in several, as parts_payments.sql makes them.
 * - `risk_record_store_customers`: per customer, the count and hash of what its rows were made from
 *   (`sql/risk/record_inputs.sql`: the invoices' columns the record reads, and the payments applied to them).
 * - `risk_record_store_context`: the SQL and sources that make the record, DuckDB's version and the late-days
 *   rule. Another context makes every customer's record again.
 */

const INPUTS_SQL = riskSql('record_inputs.sql');

/** The code every stored row was made by. */
const CODE = createHash('sha256')
  .update(JSON.stringify({ SOURCES_DEFINITION, sql: [...RECORD_SQL_FILES, 'record_inputs.sql'].map(riskSql) }))
  .digest('hex');

/** What every stored row depends on, as one string. */
async function context(wh: Warehouse, lateDays: number): Promise<string> {
  return JSON.stringify({ code: CODE, duckdb: await wh.scalar<string>('select version()'), late_days: lateDays });
}

async function storedContext(wh: Warehouse): Promise<string | undefined> {
  if (!(await wh.tableExists('risk_record_store_context'))) return undefined;
  return wh.scalar<string>('select context from main.risk_record_store_context');
}

/** Temp table `risk_record_changed` (customer_id): the customers whose inputs (temp table `risk_record_inputs_now`) differ from those stored. */
async function markChanged(wh: Warehouse): Promise<number> {
  await wh.run(`create or replace temp table risk_record_changed as
    select coalesce(now.customer_id, old.customer_id) as customer_id
    from risk_record_inputs_now as now
    full join main.risk_record_store_customers as old on old.customer_id is not distinct from now.customer_id
    where old.n is distinct from now.n or old.h is distinct from now.h`);
  return Number(await wh.scalar('select count(*) from risk_record_changed'));
}

/** Makes every customer's record again into the store. */
async function fill(wh: Warehouse, lateDays: number): Promise<void> {
  await writeRecord(wh, lateDays, null, {
    record: 'create or replace table main.risk_record_store as',
    parts: 'create or replace table main.risk_record_store_parts as',
  });
}

/** Makes again the records of the customers in `risk_record_changed`, the others' kept. */
async function update(wh: Warehouse, lateDays: number): Promise<void> {
  for (const table of ['risk_record_store', 'risk_record_store_parts']) {
    await wh.run(`delete from main.${table} where customer_id in (select customer_id from risk_record_changed)`);
  }
  await writeRecord(wh, lateDays, 'select customer_id from risk_record_changed', {
    record: 'insert into main.risk_record_store',
    parts: 'insert into main.risk_record_store_parts',
  });
}

/** How many customers' records an operation read from the store, and how many it made again. */
export interface RecordUse {
  kept: number;
  made: number;
}

/**
 * Brings the store up to today's marts (the records of customers whose invoices or payments changed made again, in one
 * transaction: the caller's when `inTransaction`), then makes temp views `risk_customer_record` and `risk_parts_payments`
 * over it, in place of the temp tables `writeRecord` makes for an operation. Sources must be prepared.
 */
export async function openStoredRecord(wh: Warehouse, lateDays: number, inTransaction: boolean): Promise<RecordUse> {
  const ctx = await context(wh, lateDays);
  // Invoices without a customer (the marts forbid them) would match no list of customers: every record is made again.
  const whole =
    (await storedContext(wh)) !== ctx ||
    !(await wh.tableExists('risk_record_store')) ||
    !(await wh.tableExists('risk_record_store_parts')) ||
    (await wh.scalar<boolean>('select count(*) > 0 from risk_src_invoices where customer_id is null')) === true;
  await wh.run(`create or replace temp table risk_record_inputs_now as ${INPUTS_SQL}`);
  const customers = Number(await wh.scalar('select count(*) from risk_record_inputs_now'));
  let made = customers;
  await atomically(wh, inTransaction, async () => {
    if (whole) await fill(wh, lateDays);
    else if ((made = await markChanged(wh)) > 0) await update(wh, lateDays);
    await wh.run('create or replace table main.risk_record_store_customers as select * from risk_record_inputs_now');
    await wh.run('create or replace table main.risk_record_store_context as select $context::varchar as context', { context: ctx });
  });
  await wh.run('drop table temp.risk_record_inputs_now; drop table if exists temp.risk_record_changed');
  await wh.run('create or replace temp view risk_customer_record as select * from main.risk_record_store');
  await wh.run('create or replace temp view risk_parts_payments as select * from main.risk_record_store_parts');
  return { kept: customers - made, made };
}

import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { HISTORY_DAYS, withCustomerRecord } from '../../src/risk/customer-record.ts';
import { buildFeatures } from '../../src/risk/features.ts';
import { AS_OF, tempWarehouse } from './fixture.ts';
import { createSyntheticHistory } from './synthetic-history.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Invoices issued in the last year, each as of its issue date (a training's examples), and the invoices open on AS_OF (a scoring's). */
const EXAMPLES = `select invoice_id, invoice_date as as_of from fct_invoices where invoice_date >= date '${AS_OF}' - 365`;
const OPEN = `select invoice_id, date '${AS_OF}' as as_of from fct_invoices where status = 'open'`;

/**
 * 6,000 invoices of 120 customers over four years, with attributes; one invoice in seven was paid in two halves, the first
 * 20 days before the second, so some are part-paid on the dates the features are taken.
 */
async function history(): Promise<Warehouse> {
  const t = await tempWarehouse();
  cleanup = t.done;
  // Four years: longer than the lookback (HISTORY_DAYS) from the examples' first date, so every record leaves some out.
  await createSyntheticHistory(t.wh, 6_000, AS_OF, { open: 300, attributes: true, days: 1_500 });
  await t.wh.run(`create or replace table fct_payments as
    select payment_id, customer_id, invoice_id, payment_date, amount, currency, amount_reporting, method, is_write_off, is_derived
    from fct_payments where hash(invoice_id) % 7 <> 0
    union all
    select payment_id || h, customer_id, invoice_id, payment_date - (h * 20), amount / 2, currency, amount_reporting / 2, method, is_write_off, is_derived
    from fct_payments, (values (0), (1)) as halves(h) where hash(invoice_id) % 7 = 0`);
  return t.wh;
}

async function features(wh: Warehouse, targets: string): Promise<Record<string, unknown>[]> {
  await buildFeatures(wh, targets, {}, 30);
  return wh.all('select * from risk_features order by rn');
}

const recordExists = (wh: Warehouse) =>
  wh.scalar<boolean>(`select count(*) > 0 from duckdb_tables() where temporary and table_name = 'risk_customer_record'`);

describe('the customers record, made once for an operation', () => {
  it('gives every feature the record made for the targets alone gives', async () => {
    const wh = await history();
    const own = { examples: await features(wh, EXAMPLES), open: await features(wh, OPEN) };
    const shared = await withCustomerRecord(wh, 30, async () => ({ examples: await features(wh, EXAMPLES), open: await features(wh, OPEN) }));
    expect(own.examples.length).toBeGreaterThan(1_000);
    expect(own.open.length).toBeGreaterThan(100);
    // Part-paid invoices and long records are in there: the features are not all alike.
    expect(new Set(own.examples.map((r) => r.partial_payment_rate)).size).toBeGreaterThan(10);
    expect(new Set(own.open.map((r) => r.last5_late_share)).size).toBeGreaterThan(3);
    expect(shared).toEqual(own);
  });

  it('is made by the first feature build inside the operation, again only for an earlier date, and dropped after it', async () => {
    const wh = await history();
    const made = () => wh.scalar<number>(`select table_oid::int from duckdb_tables() where temporary and table_name = 'risk_customer_record'`);
    const held = async () => Number(await wh.scalar<number>('select count(*)::int from risk_customer_record'));
    // What a lookback from `back` days before AS_OF must hold at least: every invoice open then, or settled within HISTORY_DAYS before.
    const due = async (back: number) =>
      Number(await wh.scalar<number>(`select count(*)::int from fct_invoices where paid_date is null or paid_date > date '${AS_OF}' - ${back + HISTORY_DAYS}`));
    await withCustomerRecord(wh, 30, async () => {
      expect(await recordExists(wh)).toBe(false);
      await features(wh, OPEN);
      const scoring = { oid: await made(), rows: await held() };
      // Every customer's invoices in view from AS_OF, not the whole history: the older ones closed before the lookback.
      expect(scoring.rows).toBeGreaterThanOrEqual(await due(0));
      expect(scoring.rows).toBeLessThan(6_000);
      // The examples reach a year further back: made again, holding more.
      await features(wh, EXAMPLES);
      const training = { oid: await made(), rows: await held() };
      expect(training.oid).not.toBe(scoring.oid);
      expect(training.rows).toBeGreaterThanOrEqual(await due(365));
      expect(training.rows).toBeGreaterThan(scoring.rows);
      // A later date is served by the record in place.
      await features(wh, OPEN);
      expect(await made()).toBe(training.oid);
    });
    expect(await recordExists(wh)).toBe(false);
    // A build of its own makes the targets' customers' record and drops it.
    await features(wh, OPEN);
    expect(await recordExists(wh)).toBe(false);
  });

  it('refuses features of another late-days rule inside, and is dropped when the operation fails', async () => {
    const wh = await history();
    await expect(withCustomerRecord(wh, 30, () => buildFeatures(wh, OPEN, {}, 15))).rejects.toThrow(/record for 30 late days is open/);
    expect(await recordExists(wh)).toBe(false);
    // Nothing is left open: the other rule now makes its own record.
    expect(await buildFeatures(wh, OPEN, {}, 15)).toBeGreaterThan(100);
    await expect(withCustomerRecord(wh, 15, () => withCustomerRecord(wh, 30, async () => 0))).rejects.toThrow(/record for 15 late days is already open/);
  });

  it('lets a failure inside a transaction surface as itself, not as the cleanup after it', async () => {
    const wh = await history();
    // A statement failing inside a transaction leaves it aborted: dropping the record then fails too, and must not hide why.
    const fail = () => wh.run(`select error('the operation failed')`);
    await expect(wh.transaction(() => withCustomerRecord(wh, 30, fail))).rejects.toThrow(/the operation failed/);
    // The contacts the features read fail as they are read: after the record was made for the targets.
    await wh.run(`drop table fct_activities; create view fct_activities as
      select 'A1' as activity_id, customer_id, invoice_id, error('the features failed')::date as activity_date, 'call' as channel, 'reached' as outcome
      from fct_invoices limit 1`);
    await expect(wh.transaction(() => buildFeatures(wh, OPEN, {}, 30))).rejects.toThrow(/the features failed/);
    await wh.run('drop view fct_activities');
    // Nothing was left: the transaction rolled the record back, and the next operation makes its own.
    expect(await recordExists(wh)).toBe(false);
    expect(await withCustomerRecord(wh, 30, () => buildFeatures(wh, OPEN, {}, 30))).toBeGreaterThan(100);
  });
});


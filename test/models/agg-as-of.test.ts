import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';
import { loadMixedPortfolio, MIXED_AS_OF } from './mixed-fixture.ts';

const MARTS: Record<string, string> = {
  agg_recovery: 'kind, cohort_month',
  agg_roll_rates: 'month, from_order, to_order',
  agg_cash_forecast: 'horizon, week_number',
  agg_disputes: 'month, reason',
  agg_promises: 'month, collector',
  kpi_collectors: 'month, collector',
};

async function snapshot(wh: Warehouse): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [t, key] of Object.entries(MARTS)) out[t] = await wh.all(`select * from ${t} order by ${key}`);
  return out;
}

let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await loadMixedPortfolio(wh);
});
afterAll(() => close());

describe('the remaining marts as of a past date', () => {
  it('do not change when data dated after the as-of arrives', async () => {
    await runBuild(wh, { asOf: MIXED_AS_OF });
    const before = await snapshot(wh);
    for (const rows of Object.values(before)) expect(rows.length).toBeGreaterThan(0);

    // Later: a new customer currency, collections on old and new documents, a write-off, promises, disputes, contacts.
    await insertRaw(wh, 'fx_rates', [{ rate_date: '2024-06-01', currency: 'EUR', rate: 19, base_currency: 'MXN' }], 3);
    await insertRaw(wh, 'invoices', [
      { invoice_id: 'L1', customer_id: 'C1', invoice_date: '2024-06-01', due_date: '2024-06-30', amount: 900, currency: 'EUR' },
      { invoice_id: 'L2', customer_id: 'C1', invoice_date: '2024-06-02', due_date: '2024-07-02', amount: 800, currency: 'EUR' },
      { invoice_id: 'L3', customer_id: 'C3', invoice_date: '2024-06-03', due_date: '2024-07-03', amount: 400, currency: 'MXN' },
      // Enough EUR documents that C1's most frequent currency is EUR from June on (its promise PR3 names no invoice).
      ...[4, 5, 6, 7, 8].map((n) => ({
        invoice_id: `L${n}`, customer_id: 'C1', invoice_date: `2024-06-1${n}`, due_date: '2024-08-01', amount: 100, currency: 'EUR',
      })),
    ], 3);
    await insertRaw(wh, 'payments', [
      { payment_id: 'L-P1', customer_id: 'C1', invoice_id: 'A3', payment_date: '2024-05-25', amount: 3800, currency: 'MXN' },
      { payment_id: 'L-P2', customer_id: 'C2', invoice_id: 'B1', payment_date: '2024-06-05', amount: 2000, currency: 'USD' },
      { payment_id: 'L-W1', customer_id: 'C3', invoice_id: 'D1', payment_date: '2024-06-30', amount: 1500, currency: 'MXN', method: 'castigo' },
      { payment_id: 'L-P3', customer_id: 'C1', invoice_id: 'L1', payment_date: '2024-07-01', amount: 900, currency: 'EUR' },
    ], 3);
    await insertRaw(wh, 'promises_to_pay', [
      { promise_id: 'L-PR1', customer_id: 'C1', promise_date: '2024-05-21', promised_date: '2024-05-31', amount: 500 },
      { promise_id: 'L-PR2', customer_id: 'C2', invoice_id: 'B1', promise_date: '2024-06-01', promised_date: '2024-06-05', amount: 2000 },
    ], 3);
    await insertRaw(wh, 'disputes', [
      { dispute_id: 'L-DS1', invoice_id: 'A4', opened_date: '2024-05-21', reason: 'price' },
      { dispute_id: 'L-DS2', invoice_id: 'L3', opened_date: '2024-06-10', resolved_date: '2024-06-20', reason: 'delivery' },
    ], 3);
    await insertRaw(wh, 'collection_activities', [
      { activity_id: 'L-AC1', customer_id: 'C1', activity_date: '2024-05-21', channel: 'call' },
    ], 3);
    await runBuild(wh, { asOf: MIXED_AS_OF });
    expect(await snapshot(wh)).toEqual(before);

    // A later as-of does see it: the check above could fail.
    await runBuild(wh, { asOf: '2024-07-31' });
    expect(await snapshot(wh)).not.toEqual(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

const MARTS = ['fct_invoices', 'fct_payments', 'ar_aging', 'kpi_monthly', 'kpi_monthly_by_segment', 'dim_customers'];
const KEYS: Record<string, string> = {
  fct_invoices: 'invoice_id',
  fct_payments: 'payment_id',
  ar_aging: 'invoice_id, payment_id',
  kpi_monthly: 'month',
  kpi_monthly_by_segment: 'segment, month',
  dim_customers: 'customer_id',
};

async function snapshot(wh: Warehouse): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of MARTS) out[t] = await wh.all(`select * from ${t} order by ${KEYS[t]}`);
  return out;
}

let wh: Warehouse;
let close: () => void;
let before: Record<string, unknown[]>;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await insertRaw(wh, 'customers', [
    { customer_id: 'C1', name: 'Acme', segment: 'retail', collector: 'ana', credit_limit: 5000 },
    { customer_id: 'C2', name: 'Bolt', segment: 'wholesale', collector: 'beto' },
  ]);
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'I1', customer_id: 'C1', invoice_date: '2023-04-03', due_date: '2023-05-03', amount: 1200 },
    { invoice_id: 'I2', customer_id: 'C1', invoice_date: '2023-05-10', due_date: '2023-06-09', amount: 800 },
    { invoice_id: 'I3', customer_id: 'C2', invoice_date: '2023-06-01', due_date: '2023-07-01', amount: 2500 },
  ]);
  await insertRaw(wh, 'payments', [
    { payment_id: 'P1', customer_id: 'C1', invoice_id: 'I1', payment_date: '2023-05-20', amount: 1200 },
    { payment_id: 'P2', customer_id: 'C1', invoice_id: 'I2', payment_date: '2023-06-15', amount: 300 },
  ]);
  await runBuild(wh, { asOf: '2023-06-30' });
  before = await snapshot(wh);
  // Later news: payments and an invoice after the as-of, and a newer export that marks I3 paid in July.
  await insertRaw(wh, 'payments', [
    { payment_id: 'P3', customer_id: 'C1', invoice_id: 'I2', payment_date: '2023-07-05', amount: 500 },
    { payment_id: 'P4', customer_id: 'C2', payment_date: '2023-07-20', amount: 100 },
  ], 2);
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'I3', customer_id: 'C2', invoice_date: '2023-06-01', due_date: '2023-07-01', amount: 2500, paid_date: '2023-07-25', status: 'paid' },
    { invoice_id: 'I4', customer_id: 'C2', invoice_date: '2023-07-02', due_date: '2023-08-01', amount: 900 },
  ], 3);
});
afterAll(() => close());

describe('as-of safety', () => {
  it('rebuilding as of the same past date after later data changes nothing', async () => {
    await runBuild(wh, { asOf: '2023-06-30' });
    expect(await snapshot(wh)).toEqual(before);
  });

  it('aging_at a past date after a later build equals the aging of the past build', async () => {
    await runBuild(wh, { asOf: '2023-07-31' });
    expect(await wh.scalar('select sum(outstanding) from ar_aging')).toBe('800.00'); // I4's 900 open, less 100 of unapplied cash
    const past = await wh.all(`select * from aging_at('2023-06-30') order by invoice_id, payment_id`);
    expect(past).toEqual(before.ar_aging);
  });

  it('reads the newest export of a document', async () => {
    expect(await wh.one(`select paid_date, days_to_pay, status from fct_invoices where invoice_id = 'I3'`)).toEqual({
      paid_date: '2023-07-25',
      days_to_pay: 54,
      status: 'paid',
    });
  });
});

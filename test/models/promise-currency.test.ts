import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRecordedTables } from '../../src/canonical/recorded-events.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { buildCallList } from '../../src/risk/call-list.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

// Built at 2024-04-30 in MXN. Rates to MXN: COP 0.005 from January, 0.0045 from 04-15; USD 17, then 16.5 from 04-15.
// A promise is in its invoice's currency when it names one, else the customer's (its most frequent document currency),
// and is converted at the rate of its promise date, as agg_promises always did:
//   PK1 K1 (Colombia) on CO1 (COP), made 04-20, 20,000,000 COP x 0.0045 = 90,000.00 MXN
//   PK2 K1 no invoice, made 04-10:              1,000,000 COP x 0.005  =  5,000.00 MXN
//   PU1 K2 on US1 (USD), made 04-20:                1,000 USD x 16.5   = 16,500.00 MXN
//   PM1 K3 no invoice, made 04-20:                  3,000 MXN x 1      =  3,000.00 MXN
//   RK1 recorded in Cartera for K1 in COP, 04-25:   2,000,000 COP x 0.0045 = 9,000.00 MXN
//   PK4 K4 on CO4 (COP), made 04-20 for 04-28:    2,000,000 COP x 0.0045 = 9,000.00 MXN; kept: the 9,000 MXN paid on
//       04-25 took 2,000,000 COP off CO4 (9,000 / 0.0045). Counted as 9,000 it would read broken.
//   PU9 K2 on CO9 (COP), issued 05-05, after the as-of; made 04-28: 4,000,000 COP x 0.0045 = 18,000.00 MXN. The invoice is
//       not in fct_invoices yet, and K2's documents are in USD: the promise is still in its invoice's currency.
// Before this test, every one of them was summed and shown as if it were MXN already.
let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await insertRaw(wh, 'customers', [
    { customer_id: 'K1', name: 'Café Bogotá SAS', country: 'CO', collector: 'ana' },
    { customer_id: 'K2', name: 'Bolt Inc', country: 'US', collector: 'ana' },
    { customer_id: 'K3', name: 'Cima SA', country: 'MX', collector: 'ana' },
    { customer_id: 'K4', name: 'Cuatro SAS', country: 'CO', collector: 'ana' },
  ]);
  await insertRaw(wh, 'fx_rates', [
    { rate_date: '2024-01-01', currency: 'COP', rate: 0.005, base_currency: 'MXN' },
    { rate_date: '2024-04-15', currency: 'COP', rate: 0.0045, base_currency: 'MXN' },
    { rate_date: '2024-01-01', currency: 'USD', rate: 17, base_currency: 'MXN' },
    { rate_date: '2024-04-15', currency: 'USD', rate: 16.5, base_currency: 'MXN' },
  ]);
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'CO1', customer_id: 'K1', invoice_date: '2024-03-01', due_date: '2024-03-31', amount: 20000000, currency: 'COP' },
    { invoice_id: 'CO2', customer_id: 'K1', invoice_date: '2024-04-01', due_date: '2024-05-01', amount: 5000000, currency: 'COP' },
    { invoice_id: 'US1', customer_id: 'K2', invoice_date: '2024-03-10', due_date: '2024-04-09', amount: 1000, currency: 'USD' },
    { invoice_id: 'MX1', customer_id: 'K3', invoice_date: '2024-03-20', due_date: '2024-04-19', amount: 3000, currency: 'MXN' },
    { invoice_id: 'CO4', customer_id: 'K4', invoice_date: '2024-03-01', due_date: '2024-03-31', amount: 2000000, currency: 'COP' },
    { invoice_id: 'CO9', customer_id: 'K2', invoice_date: '2024-05-05', due_date: '2024-06-04', amount: 4000000, currency: 'COP' },
  ]);
  await insertRaw(wh, 'payments', [
    { payment_id: 'PAY4', customer_id: 'K4', invoice_id: 'CO4', payment_date: '2024-04-25', amount: 9000, currency: 'MXN' },
  ]);
  await insertRaw(wh, 'promises_to_pay', [
    { promise_id: 'PK1', customer_id: 'K1', invoice_id: 'CO1', promise_date: '2024-04-20', promised_date: '2024-05-10', amount: 20000000 },
    { promise_id: 'PK2', customer_id: 'K1', promise_date: '2024-04-10', promised_date: '2024-05-15', amount: 1000000 },
    { promise_id: 'PU1', customer_id: 'K2', invoice_id: 'US1', promise_date: '2024-04-20', promised_date: '2024-05-12', amount: 1000 },
    { promise_id: 'PM1', customer_id: 'K3', promise_date: '2024-04-20', promised_date: '2024-05-20', amount: 3000 },
    { promise_id: 'PK4', customer_id: 'K4', invoice_id: 'CO4', promise_date: '2024-04-20', promised_date: '2024-04-28', amount: 2000000 },
    { promise_id: 'PU9', customer_id: 'K2', invoice_id: 'CO9', promise_date: '2024-04-28', promised_date: '2024-05-30', amount: 4000000 },
  ]);
  await ensureRecordedTables(wh);
  await wh.run(`insert into recorded_promises (promise_id, customer_id, invoice_id, promise_date, promised_date, amount, currency, note, collector, recorded_by, recorded_by_subject, recorded_at) values
    ('RK1', 'K1', null, '2024-04-25', '2024-05-10', 2000000, 'COP', null, 'ana', 'own', 'key:t1', timestamp '2024-04-25 10:00:00')`);
  await runBuild(wh, { asOf: '2024-04-30', currency: 'MXN' });
});
afterAll(() => close());

describe('promise amounts in the reporting currency', () => {
  it('fct_promises gives each promise its currency and converts it at the rate of its promise date', async () => {
    expect(await wh.all(`select promise_id, amount, currency, fx_factor, amount_reporting from fct_promises order by promise_id`)).toEqual([
      { promise_id: 'PK1', amount: '20000000.00', currency: 'COP', fx_factor: '0.0045000000', amount_reporting: '90000.00' },
      { promise_id: 'PK2', amount: '1000000.00', currency: 'COP', fx_factor: '0.0050000000', amount_reporting: '5000.00' },
      { promise_id: 'PK4', amount: '2000000.00', currency: 'COP', fx_factor: '0.0045000000', amount_reporting: '9000.00' },
      { promise_id: 'PM1', amount: '3000.00', currency: 'MXN', fx_factor: '1.0000000000', amount_reporting: '3000.00' },
      { promise_id: 'PU1', amount: '1000.00', currency: 'USD', fx_factor: '16.5000000000', amount_reporting: '16500.00' },
      { promise_id: 'PU9', amount: '4000000.00', currency: 'COP', fx_factor: '0.0045000000', amount_reporting: '18000.00' },
      { promise_id: 'RK1', amount: '2000000.00', currency: 'COP', fx_factor: '0.0045000000', amount_reporting: '9000.00' },
    ]);
  });

  it('agg_promises sums the converted amounts of fct_promises', async () => {
    // 90,000 + 5,000 + 16,500 + 3,000 + 9,000 + 9,000 + 18,000 (PU9).
    expect(await wh.scalar(`select sum(amount_promised) from agg_promises`)).toBe('150500.00');
  });

  it('a promise is kept by what the cash took off its invoice, in the invoice\'s currency', async () => {
    expect(await wh.one(`select paid_in_window, status from fct_promises where promise_id = 'PK4'`)).toEqual({ paid_in_window: '2000000.00', status: 'kept' });
  });

  it('the call list shows the open promise in the reporting currency, never above the balance it pays', async () => {
    await wh.run(`create or replace table risk_scores (invoice_id varchar, customer_id varchar, as_of date, probability double,
      risk_band varchar, reasons varchar, reason_values double[], model_version varchar)`);
    await wh.run(`insert into risk_scores select invoice_id, customer_id, date '2024-04-30', 0.5, 'C', 'disputed', [1], 'test'
      from fct_invoices where outstanding > 0`);
    await buildCallList(wh, { asOf: '2024-04-30' });
    const rows = await wh.all(`select customer_id, open_balance, open_promise_date, open_promise_amount from call_list order by customer_id`);
    // K1 owes 20,000,000 COP at 0.005 + 5,000,000 COP at 0.005 (invoice-date rates) = 125,000 MXN; its earliest open
    // promise date (05-10) holds PK1 and RK1: 90,000 + 9,000 MXN, not 22,000,000.
    expect(rows).toEqual([
      { customer_id: 'K1', open_balance: '125000.00', open_promise_date: '2024-05-10', open_promise_amount: '99000.00' },
      { customer_id: 'K2', open_balance: '17000.00', open_promise_date: '2024-05-12', open_promise_amount: '16500.00' },
      { customer_id: 'K3', open_balance: '3000.00', open_promise_date: '2024-05-20', open_promise_amount: '3000.00' },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

// Built at 2024-03-31, reporting in MXN. Customers: C1 -> ana, C2 -> beto.
//   I1 C1 1,000 MXN due 02-15, paid 02-25.   I2 C2 2,000 MXN due 02-20, 500 paid 03-05.   I3 C2 100 USD (x 17) due 03-01.
// Promises (status as of the build, see fct_promises):
//   PR1 C1 on I1, made 02-16 for 02-28, 1,000: paid in the window -> kept          (ana, Feb)
//   PR2 C2 on I2, made 02-21 for 03-01, 2,000: nothing by 03-01 -> broken          (carla, the promise's own collector, Feb)
//   PR3 C2 on I2, made 03-02 for 03-10, 500: paid 03-05 -> kept                     (beto, Mar)
//   PR4 C2 on I3, made 03-20 for 04-05, 100 USD = 1,700: pending                    (beto, Mar)
//   PR5 C1, no invoice, made 03-25 for 03-29, 300, exported as broken               (ana, Mar)
// Contacts: Feb ana call, carla email; Mar beto visit and WhatsApp (other), ana letter.
// Collector KPIs (from the roll-forward of each portfolio):
// CEI = (ar_begin + credit_sales - ar_end) / (ar_begin + credit_sales - ar_current_end) x 100, NULL when nothing was collectable:
//   ana  Feb: collected 1,000, CEI (1,000 + 0 - 0) / (1,000 + 0 - 0) = 100%; Jan (all current) and Mar (nothing owed): NULL
//   beto Jan: open 3,700 (2,000 + 1,700), all current; Feb: overdue 2,000 (I2), CEI (3,700 - 3,700) / (3,700 - 1,700) = 0%;
//        Mar: collected 500, open 3,200 all overdue, CEI (3,700 - 3,200) / (3,700 - 0) = 13.51%
let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await insertRaw(wh, 'customers', [
    { customer_id: 'C1', name: 'Acme', collector: 'ana' },
    { customer_id: 'C2', name: 'Bolt', collector: 'beto' },
  ]);
  await insertRaw(wh, 'fx_rates', [{ rate_date: '2024-01-01', currency: 'USD', rate: 17, base_currency: 'MXN' }]);
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-01-16', due_date: '2024-02-15', amount: 1000, currency: 'MXN' },
    { invoice_id: 'I2', customer_id: 'C2', invoice_date: '2024-01-21', due_date: '2024-02-20', amount: 2000, currency: 'MXN' },
    { invoice_id: 'I3', customer_id: 'C2', invoice_date: '2024-01-31', due_date: '2024-03-01', amount: 100, currency: 'USD' },
  ]);
  await insertRaw(wh, 'payments', [
    { payment_id: 'P1', customer_id: 'C1', invoice_id: 'I1', payment_date: '2024-02-25', amount: 1000, currency: 'MXN' },
    { payment_id: 'P2', customer_id: 'C2', invoice_id: 'I2', payment_date: '2024-03-05', amount: 500, currency: 'MXN' },
  ]);
  await insertRaw(wh, 'promises_to_pay', [
    { promise_id: 'PR1', customer_id: 'C1', invoice_id: 'I1', promise_date: '2024-02-16', promised_date: '2024-02-28', amount: 1000 },
    { promise_id: 'PR2', customer_id: 'C2', invoice_id: 'I2', promise_date: '2024-02-21', promised_date: '2024-03-01', amount: 2000, collector: 'carla' },
    { promise_id: 'PR3', customer_id: 'C2', invoice_id: 'I2', promise_date: '2024-03-02', promised_date: '2024-03-10', amount: 500 },
    { promise_id: 'PR4', customer_id: 'C2', invoice_id: 'I3', promise_date: '2024-03-20', promised_date: '2024-04-05', amount: 100 },
    { promise_id: 'PR5', customer_id: 'C1', promise_date: '2024-03-25', promised_date: '2024-03-29', amount: 300, status: 'incumplida' },
  ]);
  await insertRaw(wh, 'collection_activities', [
    { activity_id: 'A1', customer_id: 'C1', activity_date: '2024-02-16', channel: 'Llamada' },
    { activity_id: 'A2', customer_id: 'C2', activity_date: '2024-02-21', channel: 'email', collector: 'carla' },
    { activity_id: 'A3', customer_id: 'C2', activity_date: '2024-03-02', channel: 'Visita' },
    { activity_id: 'A4', customer_id: 'C2', activity_date: '2024-03-20', channel: 'WhatsApp' },
    { activity_id: 'A5', customer_id: 'C1', activity_date: '2024-03-25', channel: 'carta' },
    // After the as-of: not counted.
    { activity_id: 'A6', customer_id: 'C1', activity_date: '2024-04-02', channel: 'call' },
  ]);
  await runBuild(wh, { asOf: '2024-03-31' });
});
afterAll(() => close());

describe('agg_promises', () => {
  it('counts promises made each month by collector, kept, broken and pending as of the build', async () => {
    const p = (month: string, collector: string, made: number, kept: number, broken: number, pending: number, rate: string | null, promised: string, keptAmount: string) => ({
      month, collector, made: String(made), kept: String(kept), broken: String(broken), pending: String(pending),
      kept_rate_pct: rate, amount_promised: promised, amount_kept: keptAmount,
    });
    expect(await wh.all('select * from agg_promises order by month, collector')).toEqual([
      p('2024-02-01', 'ana', 1, 1, 0, 0, '100.00', '1000.00', '1000.00'),
      p('2024-02-01', 'beto', 0, 0, 0, 0, null, '0.00', '0.00'),
      p('2024-02-01', 'carla', 1, 0, 1, 0, '0.00', '2000.00', '0.00'),
      p('2024-03-01', 'ana', 1, 0, 1, 0, '0.00', '300.00', '0.00'),
      p('2024-03-01', 'beto', 2, 1, 0, 1, '100.00', '2200.00', '500.00'),
      p('2024-03-01', 'carla', 0, 0, 0, 0, null, '0.00', '0.00'),
    ]);
  });
});

describe('kpi_collectors', () => {
  it('gives each collector their collections, CEI, balances, contacts by channel and promises per month', async () => {
    const rows = await wh.all(
      `select month, collector, collected_amount, cei_pct, open_balance, overdue_balance, activities, calls, emails, visits,
              letters, other_contacts, promises_made, promises_kept, promises_broken, promises_kept_rate_pct
       from kpi_collectors order by month, collector`,
    );
    const k = (month: string, collector: string, money: [string, string | null, string, string], contacts: number[], promises: [number, number, number, string | null]) => ({
      month, collector,
      collected_amount: money[0], cei_pct: money[1], open_balance: money[2], overdue_balance: money[3],
      activities: String(contacts[0]), calls: String(contacts[1]), emails: String(contacts[2]), visits: String(contacts[3]),
      letters: String(contacts[4]), other_contacts: String(contacts[5]),
      promises_made: String(promises[0]), promises_kept: String(promises[1]), promises_broken: String(promises[2]),
      promises_kept_rate_pct: promises[3],
    });
    const none: [number, number, number, null] = [0, 0, 0, null];
    const quiet = [0, 0, 0, 0, 0, 0];
    expect(rows).toEqual([
      k('2024-01-01', 'ana', ['0.00', null, '1000.00', '0.00'], quiet, none),
      k('2024-01-01', 'beto', ['0.00', null, '3700.00', '0.00'], quiet, none),
      k('2024-01-01', 'carla', ['0.00', null, '0.00', '0.00'], quiet, none),
      k('2024-02-01', 'ana', ['1000.00', '100.00', '0.00', '0.00'], [1, 1, 0, 0, 0, 0], [1, 1, 0, '100.00']),
      k('2024-02-01', 'beto', ['0.00', '0.00', '3700.00', '2000.00'], quiet, none),
      k('2024-02-01', 'carla', ['0.00', null, '0.00', '0.00'], [1, 0, 1, 0, 0, 0], [1, 0, 1, '0.00']),
      k('2024-03-01', 'ana', ['0.00', null, '0.00', '0.00'], [1, 0, 0, 0, 1, 0], [1, 0, 1, '0.00']),
      k('2024-03-01', 'beto', ['500.00', '13.51', '3200.00', '3200.00'], [2, 0, 0, 1, 0, 1], [2, 1, 0, '100.00']),
      k('2024-03-01', 'carla', ['0.00', null, '0.00', '0.00'], quiet, none),
    ]);
  });
});

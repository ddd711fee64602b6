import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { loadDashboards } from '../../src/dashboards/definition.ts';
import { runPanel } from '../../src/dashboards/run.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

// Built at 2024-06-30; week n runs from 06-30 + 7n - 6 to 06-30 + 7n.
// History (paid_date - due_date of documents paid in full): C1 paid 2, 5, 10 and 20 days late; C2 once, 40 days late;
// the portfolio: 2, 5, 10, 20, 40. C3 has none.
// Open items (waited = as-of - due date; median = lower middle of the history paid later than that):
//   O1 C1 750 open (1,000 less 250), due 07-10, waited -10: C1's 2,5,10,20 -> 5  -> 07-15, day 15 -> week 3
//   O2 C1 500, due 06-27, waited 3:  C1's 5,10,20 -> 10                          -> 07-07, day 7  -> week 1
//   O3 C1 300, due 06-20, waited 10: C1 has only 20 (< 3): portfolio 20,40 -> 20 -> 07-10, day 10 -> week 2
//   O4 C2 200, due 07-31, waited -31: one of C2's own: portfolio all -> 10        -> 08-10, day 41 -> week 6
//   O5 C2 400, due 03-01, waited 121: nobody ever paid that late                   -> never
//   O6 C3 600, due 09-15: portfolio -> 10                                          -> 09-25, day 87 -> week 13
//   O7 C3 700, due 10-01: portfolio -> 10                                          -> 10-11, day 103 -> later
// C1's 100 on account (unapplied) is not an expected collection.
// Segments and countries (customer master): C1 retail MX, C2 wholesale CO, C3 retail CO, C4 government MX (no documents).
let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  const paidLate = (id: string, customer: string, due: string, paid: string) => ({
    invoice: { invoice_id: id, customer_id: customer, invoice_date: '2024-01-01', due_date: due, amount: 100 },
    payment: { payment_id: `P-${id}`, customer_id: customer, invoice_id: id, payment_date: paid, amount: 100 },
  });
  const history = [
    paidLate('H1', 'C1', '2024-01-31', '2024-02-02'),
    paidLate('H2', 'C1', '2024-02-29', '2024-03-05'),
    paidLate('H3', 'C1', '2024-03-31', '2024-04-10'),
    paidLate('H4', 'C1', '2024-04-30', '2024-05-20'),
    paidLate('H5', 'C2', '2024-01-31', '2024-03-11'),
  ];
  await insertRaw(wh, 'customers', [
    { customer_id: 'C1', name: 'Uno', segment: 'retail', country: 'MX' },
    { customer_id: 'C2', name: 'Dos', segment: 'wholesale', country: 'CO' },
    { customer_id: 'C3', name: 'Tres', segment: 'retail', country: 'CO' },
    { customer_id: 'C4', name: 'Cuatro', segment: 'government', country: 'MX' },
  ]);
  await insertRaw(wh, 'invoices', [
    ...history.map((h) => h.invoice),
    { invoice_id: 'O1', customer_id: 'C1', invoice_date: '2024-06-10', due_date: '2024-07-10', amount: 1000 },
    { invoice_id: 'O2', customer_id: 'C1', invoice_date: '2024-05-28', due_date: '2024-06-27', amount: 500 },
    { invoice_id: 'O3', customer_id: 'C1', invoice_date: '2024-05-21', due_date: '2024-06-20', amount: 300 },
    { invoice_id: 'O4', customer_id: 'C2', invoice_date: '2024-06-28', due_date: '2024-07-31', amount: 200 },
    { invoice_id: 'O5', customer_id: 'C2', invoice_date: '2024-01-31', due_date: '2024-03-01', amount: 400 },
    { invoice_id: 'O6', customer_id: 'C3', invoice_date: '2024-06-15', due_date: '2024-09-15', amount: 600 },
    { invoice_id: 'O7', customer_id: 'C3', invoice_date: '2024-06-20', due_date: '2024-10-01', amount: 700 },
  ]);
  await insertRaw(wh, 'payments', [
    ...history.map((h) => h.payment),
    { payment_id: 'P-O1', customer_id: 'C1', invoice_id: 'O1', payment_date: '2024-06-20', amount: 250 },
    { payment_id: 'P-ACCOUNT', customer_id: 'C1', payment_date: '2024-06-25', amount: 100 },
  ]);
  await runBuild(wh, { asOf: '2024-06-30' });
});
afterAll(() => close());

describe('agg_cash_forecast', () => {
  it('expects each open item on its due date plus the median lateness of documents paid later than it has waited', async () => {
    const rows = await wh.all(
      `select horizon, week_number, week_start, week_end, expected_amount, invoices from agg_cash_forecast
       where expected_amount <> 0 or horizon <> 'week' order by horizon = 'never', horizon = 'later', week_number`,
    );
    expect(rows).toEqual([
      { horizon: 'week', week_number: 1, week_start: '2024-07-01', week_end: '2024-07-07', expected_amount: '500.00', invoices: '1' },
      { horizon: 'week', week_number: 2, week_start: '2024-07-08', week_end: '2024-07-14', expected_amount: '300.00', invoices: '1' },
      { horizon: 'week', week_number: 3, week_start: '2024-07-15', week_end: '2024-07-21', expected_amount: '750.00', invoices: '1' },
      { horizon: 'week', week_number: 6, week_start: '2024-08-05', week_end: '2024-08-11', expected_amount: '200.00', invoices: '1' },
      { horizon: 'week', week_number: 13, week_start: '2024-09-23', week_end: '2024-09-29', expected_amount: '600.00', invoices: '1' },
      { horizon: 'later', week_number: null, week_start: null, week_end: null, expected_amount: '700.00', invoices: '1' },
      { horizon: 'never', week_number: null, week_start: null, week_end: null, expected_amount: '400.00', invoices: '1' },
    ]);
  });

  it('keeps all thirteen weeks, empty ones at zero', async () => {
    const weeks = await wh.all<{ week_number: number; expected_amount: string }>(
      `select week_number, expected_amount from agg_cash_forecast where horizon = 'week' order by week_number`,
    );
    expect(weeks.map((w) => w.week_number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(weeks.filter((w) => w.expected_amount === '0.00').map((w) => w.week_number)).toEqual([4, 5, 7, 8, 9, 10, 11, 12]);
    expect(await wh.scalar('select sum(expected_amount) from agg_cash_forecast')).toBe('3450.00');
  });
});

describe('the CFO page\'s cash forecast', () => {
  const panel = loadDashboards().get('cfo')!.panels.find((p) => p.id === 'cash_forecast')!;
  // The fixture's documents name no currency: the page shows them in the build's own reporting currency.
  const run = async (filters: { as_of: string; segment?: string; country?: string }) =>
    runPanel(panel, (sql, params) => wh.result(sql, params), {
      currency: String(await wh.scalar('select reporting_currency from build_options')), segment: null, country: null, ...filters,
    });
  const weeks = async (filters: { as_of: string; segment?: string; country?: string }) => {
    const { rows } = await run(filters);
    return Object.fromEntries(rows.filter((r) => r.expected_amount !== 0).map((r) => [r.week_number, r.expected_amount]));
  };

  it('at the build\'s as-of with no filter is the mart', async () => {
    expect(await weeks({ as_of: '2024-06-30' })).toEqual({ 1: 500, 2: 300, 3: 750, 6: 200, 13: 600 });
  });

  it('follows the segment and the country', async () => {
    expect(await weeks({ as_of: '2024-06-30', segment: 'wholesale' })).toEqual({ 6: 200 });
    expect(await weeks({ as_of: '2024-06-30', segment: 'retail' })).toEqual({ 1: 500, 2: 300, 3: 750, 13: 600 });
    expect(await weeks({ as_of: '2024-06-30', country: 'CO' })).toEqual({ 6: 200, 13: 600 });
    expect(await weeks({ as_of: '2024-06-30', segment: 'retail', country: 'CO' })).toEqual({ 13: 600 });
  });

  // At 06-15: O4 and O7 are not issued yet, nothing of O1 is paid; the history is the same five documents.
  //   O1 C1 1,000 due 07-10, waited -25: C1's 2,5,10,20 -> 5 -> 07-15, day 30 -> week 5
  //   O2 C1   500 due 06-27, waited -12: C1's 2,5,10,20 -> 5 -> 07-02, day 17 -> week 3
  //   O3 C1   300 due 06-20, waited -5:  C1's 2,5,10,20 -> 5 -> 06-25, day 10 -> week 2
  //   O5 C2 400 never; O6 C3 600 -> 09-25, day 102 -> later
  it('is computed as of the chosen date, with weeks counted from it', async () => {
    const { rows } = await run({ as_of: '2024-06-15' });
    expect(rows).toHaveLength(13);
    expect(rows[0]).toMatchObject({ week_number: 1, week_start: '2024-06-16', week_end: '2024-06-22' });
    expect(await weeks({ as_of: '2024-06-15' })).toEqual({ 2: 300, 3: 500, 5: 1000 });
  });

  it('is empty, like the other panels, when nothing is open under the filters or the as-of is after the data', async () => {
    expect(await weeks({ as_of: '2023-12-31' })).toEqual({});
    for (const filters of [{ as_of: '2023-12-31' }, { as_of: '2024-06-30', segment: 'government' }, { as_of: '2024-08-31' }]) {
      const { rows } = await run(filters);
      expect({ filters, rows }).toEqual({ filters, rows: [] });
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';
import { ROLL_INVOICES, ROLL_PAYMENTS } from './roll-fixture.ts';

// Built at 2024-04-30 with the default buckets (current, 1-30, 31-60, 61-90, 91-120, 120+), aged by due date.
// Bucket at each month end (days past due):
//        Nov-30    Dec-31     Jan-31       Feb-29             Mar-31        Apr-30
//   E    cur (0)   31-60(31)  61-90 (62)   91-120 (91)        120+ (122)    120+      200, never paid
//   C              cur (0)    31-60 (31)   31-60 (60), 300    91-120 (91)   120+      800 due 12-31, 300 written off 02-15
//                                          written off
//   A                         cur (0)      1-30 (29)          31-60 (60)    61-90     1,000 due 01-31, 400 paid 03-10
//   B                         cur (-14)    paid                                       500 due 02-14, paid 02-10
//   D                                      cur (-6)           1-30 (25)     31-60     300 due 03-06
//   F                                                         cur (-19)     1-30      1,000 due 04-19
// The March -> April move is the last: May 31 is after the as-of.
// Links k -> k+1 by month (from balance that moved one bucket on / from balance):
//   current->1-30: Nov 0/200, Dec 0/800, Jan 1,000/1,500, Feb 300/300, Mar 1,000/1,000
//   1-30->31-60:   Feb 600/1,000, Mar 300/300
//   31-60->61-90:  Dec 200/200, Jan 0/800, Feb 0/500, Mar 600/600
//   61-90->91-120: Jan 200/200;  91-120->120+: Feb 200/200, Mar 500/500
// Loss projection at Mar (6-month averages: 8/15, 0.8, 1/2, 1, 1) = 0.213333; x current 1,000 = 213.33.
// At Feb (5/12, 0.6, 1/3, 1, 1) = 1/12 = 0.083333; x current 300 = 25.00. Before Feb, 1-30 -> 31-60 has no history: NULL.
let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await insertRaw(wh, 'invoices', [
    ...ROLL_INVOICES,
  ]);
  await insertRaw(wh, 'payments', [
    ...ROLL_PAYMENTS,
    // After the as-of: must not show.
    { payment_id: 'PF', customer_id: 'C1', invoice_id: 'F', payment_date: '2024-05-05', amount: 1000 },
  ]);
  await runBuild(wh, { asOf: '2024-04-30' });
});
afterAll(() => close());

type Row = { month_end: string; from_bucket: string; to_bucket: string; balance: string | null; rate: string | null };
const row = (month_end: string, from_bucket: string, to_bucket: string, balance: string | null, rate: string | null): Row => ({
  month_end,
  from_bucket,
  to_bucket,
  balance,
  rate,
});

describe('agg_roll_rates', () => {
  it('moves each month-end balance to the bucket it is in a month later, or to paid or written off', async () => {
    const rows = await wh.all<Row>(
      `select month_end, from_bucket, to_bucket, balance, rate from agg_roll_rates where to_bucket <> 'loss' order by month_end, from_order, to_order`,
    );
    expect(rows).toEqual([
      row('2023-11-30', 'current', '31-60', '200.00', '1.000000'),
      row('2023-12-31', 'current', '31-60', '800.00', '1.000000'),
      row('2023-12-31', '31-60', '61-90', '200.00', '1.000000'),
      row('2024-01-31', 'current', '1-30', '1000.00', '0.666667'),
      row('2024-01-31', 'current', 'paid', '500.00', '0.333333'),
      row('2024-01-31', '31-60', '31-60', '500.00', '0.625000'),
      row('2024-01-31', '31-60', 'written_off', '300.00', '0.375000'),
      row('2024-01-31', '61-90', '91-120', '200.00', '1.000000'),
      row('2024-02-29', 'current', '1-30', '300.00', '1.000000'),
      row('2024-02-29', '1-30', '31-60', '600.00', '0.600000'),
      row('2024-02-29', '1-30', 'paid', '400.00', '0.400000'),
      row('2024-02-29', '31-60', '91-120', '500.00', '1.000000'),
      row('2024-02-29', '91-120', '120+', '200.00', '1.000000'),
      row('2024-03-31', 'current', '1-30', '1000.00', '1.000000'),
      row('2024-03-31', '1-30', '31-60', '300.00', '1.000000'),
      row('2024-03-31', '31-60', '61-90', '600.00', '1.000000'),
      row('2024-03-31', '91-120', '120+', '500.00', '1.000000'),
      row('2024-03-31', '120+', '120+', '200.00', '1.000000'),
    ]);
  });

  it('chains the 6-month average roll rates from current to 120+ into a loss projection', async () => {
    const rows = await wh.all<Row>(
      `select month_end, from_bucket, to_bucket, balance, rate from agg_roll_rates where to_bucket = 'loss' order by month_end`,
    );
    expect(rows).toEqual([
      row('2023-11-30', 'current', 'loss', null, null),
      row('2023-12-31', 'current', 'loss', null, null),
      row('2024-01-31', 'current', 'loss', null, null),
      row('2024-02-29', 'current', 'loss', '25.00', '0.083333'),
      row('2024-03-31', 'current', 'loss', '213.33', '0.213333'),
    ]);
  });

  it('labels months by their first day and orders buckets by aging order, then paid, written off and loss', async () => {
    const orders = await wh.all(
      `select distinct to_bucket, to_order from agg_roll_rates order by to_order`,
    );
    expect(orders).toEqual([
      { to_bucket: '1-30', to_order: 1 },
      { to_bucket: '31-60', to_order: 2 },
      { to_bucket: '61-90', to_order: 3 },
      { to_bucket: '91-120', to_order: 4 },
      { to_bucket: '120+', to_order: 5 },
      { to_bucket: 'paid', to_order: 6 },
      { to_bucket: 'written_off', to_order: 7 },
      { to_bucket: 'loss', to_order: 8 },
    ]);
    expect(await wh.scalar(`select string_agg(distinct month::varchar, ',' order by month::varchar) from agg_roll_rates`)).toBe(
      '2023-11-01,2023-12-01,2024-01-01,2024-02-01,2024-03-01',
    );
  });
});

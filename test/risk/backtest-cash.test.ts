import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/cli/dispatch.ts';
import { withOutput } from '../../src/cli/output.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { backtestCash } from '../../src/risk/backtest-cash.ts';
import { cashReport } from '../../src/risk/backtest-cash-report.ts';
import { forecastCashByModel } from '../../src/risk/cash-forecast.ts';
import { DEFAULT_FOREST_PARAMS } from '../../src/risk/forest.ts';
import { scoreWarehouse } from '../../src/risk/score.ts';
import { prepareSources } from '../../src/risk/sources.ts';
import { insertRaw, tempWarehouse, type Value } from '../models/fixtures.ts';

const SMALL = { ...DEFAULT_FOREST_PARAMS, nTrees: 6, treesPerGroup: 3, maxDepth: 6 };

let close: (() => void) | undefined;
let dir = '';
afterEach(() => close?.());

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * A hand-made export built with the real pipeline as of 2024-06-30; late = more than 30 days after due.
 * History: 40 invoices T0..T39 of customers A-D (T_i: customer chr(65 + i % 4), issued 2023-01-01 + 7i, due 30 days
 * later), each paid in full 45 days after due when i % 3 = 0 (14 of them), else 5 days before (26); and U1 (D, due
 * 2023-12-01, 900) never paid. Only one month-end from the cut-off 2024-03-01 has its next 13 weeks (91 days) seen by
 * 2024-06-30: 2024-03-31. Weeks after it: 1 = 04-01..04-07, 2 = 04-08..04-14, ..., 13 = 06-24..06-30.
 *
 *   O1 A due 03-31 1,000: 400 on 04-03 (week 1), 600 on 04-20 (week 3)
 *   O2 B due 03-16 2,000: 2,000 on 05-01 (week 5)
 *   O3 C due 04-19 500: never paid
 *   O4 A due 04-09 800: 300 on 03-25 (before the as-of: 500 open), 500 on 06-29 (week 13)
 *   O5 A due 04-30 700: paid in full on 03-31, the as-of (not open)
 *   O6 C due 04-04 300: written off on 03-20 (open by the decision backtest's rule, which ignores write-offs;
 *      not in the aging then: left out of both forecasts and the actuals)
 *
 * Actual collections: week 1 400, week 3 600, week 5 2,000, week 13 500 (3,500 in all).
 * History-only forecast at 03-31 (due + the median days late of documents paid later than the item has waited):
 *   O1 waited 0: A's 45, 45, 45, 45 -> 45 -> 05-15, week 7; O2 waited 15: B's three 45s -> 04-30, week 5;
 *   O3 waited -19: C's ten (-5 x7, 45 x3), lower middle -5 -> 04-14, week 2; O4 waited -9: A's ten (-5 x6, 45 x4) -> -5 -> 04-04, week 1;
 *   U1 waited 121: nobody paid that late -> never.
 *   So week 1 500, week 2 500, week 5 2,000, week 7 1,000: |error| 100 + 500 + 600 + 0 + 1,000 + 500 (week 13) = 2,700
 *   over 13 weeks: MAE 207.69, WAPE 2,700 / 3,500, bias (4,000 - 3,500) / 13 = 38.46.
 */
async function handExport(): Promise<Warehouse> {
  const t = await tempWarehouse();
  close = t.close;
  dir = t.dir;
  const wh = t.wh;
  await insertRaw(wh, 'customers', ['A', 'B', 'C', 'D'].map((c) => ({ customer_id: c, name: `Cliente ${c}`, segment: 'retail', country: 'MX' })));
  const invoices: Record<string, Value>[] = [];
  const payments: Record<string, Value>[] = [];
  for (let i = 0; i < 40; i++) {
    const issued = addDays('2023-01-01', 7 * i);
    const due = addDays(issued, 30);
    const amount = 100 + 10 * i;
    invoices.push({ invoice_id: `T${i}`, customer_id: String.fromCharCode(65 + (i % 4)), invoice_date: issued, due_date: due, amount });
    payments.push({ payment_id: `P-T${i}`, customer_id: String.fromCharCode(65 + (i % 4)), invoice_id: `T${i}`, payment_date: addDays(due, i % 3 === 0 ? 45 : -5), amount });
  }
  const open: [string, string, string, string, number, [string, number][]][] = [
    ['U1', 'D', '2023-11-01', '2023-12-01', 900, []],
    ['O1', 'A', '2024-03-01', '2024-03-31', 1000, [['2024-04-03', 400], ['2024-04-20', 600]]],
    ['O2', 'B', '2024-02-15', '2024-03-16', 2000, [['2024-05-01', 2000]]],
    ['O3', 'C', '2024-03-20', '2024-04-19', 500, []],
    ['O4', 'A', '2024-03-10', '2024-04-09', 800, [['2024-03-25', 300], ['2024-06-29', 500]]],
    ['O5', 'A', '2024-03-31', '2024-04-30', 700, [['2024-03-31', 700]]],
    ['O6', 'C', '2024-03-05', '2024-04-04', 300, []],
  ];
  for (const [id, customer, issued, due, amount, paid] of open) {
    invoices.push({ invoice_id: id, customer_id: customer, invoice_date: issued, due_date: due, amount });
    paid.forEach(([date, part], k) => payments.push({ payment_id: `P-${id}-${k}`, customer_id: customer, invoice_id: id, payment_date: date, amount: part }));
  }
  payments.push({ payment_id: 'W-O6', customer_id: 'C', invoice_id: 'O6', payment_date: '2024-03-20', amount: 300, method: 'write_off' });
  await insertRaw(wh, 'invoices', invoices);
  await insertRaw(wh, 'payments', payments);
  await runBuild(wh, { asOf: '2024-06-30' });
  return wh;
}

const weeks = (rows: { week_number: number | null; amount: string }[]) =>
  Object.fromEntries(rows.filter((r) => r.amount !== '0.00').map((r) => [r.week_number ?? 'rest', r.amount]));

describe('cash forecast from the model', () => {
  it('spreads each balance over the weeks by the mixture of on-time and late payment days, worked out by hand', async () => {
    const wh = await handExport();
    await prepareSources(wh);
    // Reference at 03-31: 26 documents paid 5 days early (on time), 14 paid 45 days late and U1 unpaid after 121
    // days (late): Kaplan-Meier keeps 1/15 of the late ones unpaid from day 45 on.
    //   O1 waited 0, p 0.9: unpaid (1 - p) x 0 + p x 1 -> all late: 14/15 x 1,000 = 933.33 in week 7 (day 45), 66.67 later
    //   O2 waited 15, p 0.5: late only: 14/15 x 2,000 = 1,866.67 in week 5 (day 45 - 15 = 30), 133.33 later
    //   O3 waited -19, p 0.2: 0.8 x 500 = 400 on day 14 (week 2); 0.2 x 14/15 x 500 = 93.33 on day 64 (week 10); 6.67 later
    //   O4 waited -9, p 0.6: 0.4 x 500 = 200 on day 4 (week 1); 0.6 x 14/15 x 500 = 280 on day 54 (week 8); 20 later
    //   U1 waited 121, p 0.7: 1/15 of the late ones still unpaid then, none paid after: all 900 later
    await wh.run(`create or replace temp table risk_cash_open as
      select date '2024-03-31' as as_of, invoice_id, due_date, outstanding::decimal(18,2) as outstanding, probability
      from (values ('O1', date '2024-03-31', 1000, 0.9), ('O2', date '2024-03-16', 2000, 0.5), ('O3', date '2024-04-19', 500, 0.2),
                   ('O4', date '2024-04-09', 500, 0.6), ('U1', date '2023-12-01', 900, 0.7)) as t(invoice_id, due_date, outstanding, probability)`);
    await forecastCashByModel(wh, 30);
    const rows = await wh.all<{ week_number: number | null; amount: string }>(
      `select week_number, expected_amount::varchar as amount from risk_cash_model where horizon <> 'never' order by horizon = 'later', week_number`,
    );
    expect(rows).toHaveLength(14);
    expect(weeks(rows)).toEqual({ 1: '200.00', 2: '400.00', 5: '1866.67', 7: '933.33', 8: '280.00', 10: '93.33', rest: '1126.67' });
    expect(await wh.scalar(`select expected_amount::varchar from risk_cash_model where horizon = 'never'`)).toBe('0.00');

    // Nothing after the as-of counts: U1 paid on 04-10 (it would have been a late payment after 131 days) and an
    // invoice issued and paid in April leave the forecast at 03-31 as it was.
    const before = await wh.all('select * from risk_cash_model order by horizon, week_number');
    await insertRaw(wh, 'invoices', [{ invoice_id: 'N1', customer_id: 'B', invoice_date: '2024-04-01', due_date: '2024-04-02', amount: 50 }], 2);
    await insertRaw(wh, 'payments', [
      { payment_id: 'P-U1', customer_id: 'D', invoice_id: 'U1', payment_date: '2024-04-10', amount: 900 },
      { payment_id: 'P-N1', customer_id: 'B', invoice_id: 'N1', payment_date: '2024-04-20', amount: 50 },
    ], 2);
    await runBuild(wh, { asOf: '2024-06-30' });
    await prepareSources(wh);
    await forecastCashByModel(wh, 30);
    expect(await wh.all('select * from risk_cash_model order by horizon, week_number')).toEqual(before);
  });

  it('expects never what no reference document was ever paid that late, as the history-only rule does', async () => {
    const wh = await handExport();
    await prepareSources(wh);
    // At 2023-03-31 the late lines of T0..T4 had passed (due by 02-28): T1, T2, T4 on time; T0 and T3 late, paid 45 days
    // after due (03-17, and 04-07: after the as-of, so T3 is known only unpaid after 38 days). Kaplan-Meier: at day 45 T0 is
    // the only one at risk and pays, so none is left unpaid after it. An item that has waited 60 days: never.
    await wh.run(`create or replace temp table risk_cash_open as
      select date '2023-03-31' as as_of, 'X' as invoice_id, date '2023-01-30' as due_date, 100::decimal(18,2) as outstanding, 0.3 as probability`);
    await forecastCashByModel(wh, 30);
    expect(await wh.scalar(`select expected_amount::varchar from risk_cash_model where horizon = 'never'`)).toBe('100.00');
    expect(await wh.scalar(`select sum(expected_amount)::varchar from risk_cash_model where horizon <> 'never'`)).toBe('0.00');
  });
});

describe('cash forecast written by scoring', () => {
  it('places the balances open at the data date (U1 900, O3 500) in 13 weeks, later and never, beside risk_scores', async () => {
    const wh = await handExport();
    await scoreWarehouse(wh, { lateDays: 30, params: SMALL, callList: false });
    const rows = await wh.all<{ horizon: string; week_number: number | null; week_start: string | null; expected_amount: string }>(
      'select horizon, week_number, week_start::varchar as week_start, expected_amount::varchar as expected_amount from risk_cash_forecast',
    );
    expect(rows.map((r) => r.week_number ?? r.horizon)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 'later', 'never']);
    expect(rows[0].week_start).toBe('2024-07-01');
    // Rounded per row: within a cent a row of the 1,400 open.
    expect(Math.abs(rows.reduce((s, r) => s + Number(r.expected_amount), 0) - 1400)).toBeLessThanOrEqual(0.15);
    expect(Number(await wh.scalar('select count(distinct model_version) from risk_cash_forecast'))).toBe(1);
  });
});

describe('cash forecast backtest', () => {
  it('compares both forecasts with the collections per week worked out by hand', async () => {
    const wh = await handExport();
    const r = await backtestCash(wh, { trainUntil: '2024-03-01', lateDays: 30, params: SMALL });
    expect(r.knownBy).toBe('2024-06-30');
    expect(r.monthEnds).toEqual(['2024-03-31']);
    expect([r.nOpen, r.nCompared]).toEqual([6, 5]);
    const cells = await wh.all<{ week_number: number; actual: string; history: string; model: string }>(
      `select week_number, actual_amount::varchar as actual, history_amount::varchar as history, model_amount::varchar as model
       from risk_backtest_cash order by week_number`,
    );
    expect(cells.map((c) => c.week_number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(weeks(cells.map((c) => ({ week_number: c.week_number, amount: c.actual })))).toEqual({ 1: '400.00', 3: '600.00', 5: '2000.00', 13: '500.00' });
    expect(weeks(cells.map((c) => ({ week_number: c.week_number, amount: c.history })))).toEqual({ 1: '500.00', 2: '500.00', 5: '2000.00', 7: '1000.00' });
    const all = (f: string) => r.errors.find((e) => e.forecast === f && e.week_number === null)!;
    expect(all('history')).toMatchObject({ cells: 13, actual_amount: '3500.00', forecast_amount: '4000.00', mae: '207.69', bias: '38.46' });
    expect(all('history').wape).toBeCloseTo(2700 / 3500, 12);
    const week5 = r.errors.find((e) => e.forecast === 'history' && e.week_number === 5)!;
    expect([week5.mae, week5.wape, week5.bias]).toEqual(['0.00', 0, '0.00']);
    // The model's forecast places the same balances: what it leaves to later weeks is the rest of the 4,400 open (with U1).
    const modelWeeks = cells.reduce((s, c) => s + Number(c.model), 0);
    expect(modelWeeks).toBeGreaterThan(0);
    expect(modelWeeks).toBeLessThanOrEqual(4400);
    expect(Number(all('model').forecast_amount)).toBeCloseTo(modelWeeks, 2);
    expect(r.errors).toHaveLength(28);
    const text = cashReport(r);
    expect(text).toContain('forecast at 1 month-ends (2024-03-31 to 2024-03-31), the next 13 weeks of each seen by 2024-06-30; 6 open invoice-month-ends, 5 of them open in the aging too');
  });
});

describe('cartera backtest --at cash', () => {
  it('prints the per-week table from the command line, and names the three choices on a wrong --at', async () => {
    const wh = await handExport();
    wh.close();
    const folder = dir;
    close = () => rmSync(folder, { recursive: true, force: true });
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await withOutput({ write: (c) => (out += String(c)) }, { write: (c) => (err += String(c)) }, () => dispatch(argv));
      return { code, out, err };
    };
    const db = join(folder, 'wh.duckdb');
    const ok = await run('backtest', '--db', db, '--train-until', '2024-03-01', '--at', 'cash');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/\n\s*all\s+3500\.00\s+\S+\s+\S+\s+\S+\s+\S+\s+4000\.00\s+207\.69\s+77\.1%\s+38\.46/);
    const wrong = await run('backtest', '--db', db, '--train-until', '2024-03-01', '--at', 'weekly');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("--at must be issue, decision or cash (got 'weekly')");
  });
});

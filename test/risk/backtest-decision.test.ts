import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { backtest } from '../../src/risk/backtest.ts';
import { backtestDecision } from '../../src/risk/backtest-decision.ts';
import { callListCoverage } from '../../src/risk/backtest-decision-calls.ts';
import { decisionReport } from '../../src/risk/backtest-decision-report.ts';
import { buildFeatures, readFeatures } from '../../src/risk/features.ts';
import { DEFAULT_FOREST_PARAMS } from '../../src/risk/forest.ts';
import { predictLate, trainModel } from '../../src/risk/train.ts';
import { createInvoicesTable, createPaymentsTable, invoiceRow, tempWarehouse } from './fixture.ts';
import { createEmptyMarts } from './synthetic-history.ts';

const SMALL = { ...DEFAULT_FOREST_PARAMS, nTrees: 6, treesPerGroup: 3, maxDepth: 6 };
const TRAIN_UNTIL = '2024-01-15';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** An invoice due 30 days after its issue date. */
const inv = (id: string, cust: string, issued: string, amount: number, paid: string | null) =>
  invoiceRow(id, cust, issued, new Date(Date.parse(`${issued}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10), amount, paid);

/**
 * A hand-made history (late = more than 30 days after due). Training: 40 invoices of customers
 * A-D issued in 2023, all settled by mid-December (every third one 45 days late). Data as of
 * 2024-04-30 (Z1's payment), so the month-ends from the cut-off whose next 30 days are seen are
 * 2024-01-31, 2024-02-29 and 2024-03-31.
 *
 *   A1 A  issued 01-10 due 02-09 1,000: 400 paid 01-20, 600 on 03-05 (line 03-10: on time)
 *   B1 B  issued 2023-12-01 due 12-31 2,000, never paid (line 01-30: already late at every month-end)
 *   B2 B  issued 01-05 due 02-04 500, paid 03-20 (line 03-05: becomes late within 30 days of 02-29)
 *   C1 C  issued 02-15 due 03-16 3,000, never paid (line 04-15: becomes late within 30 days of 03-31)
 *   D1 D  issued 03-20 due 04-19 800, never paid (line 05-19: after the data's date, outcome unknown)
 *   F1 A  issued 01-02, paid 01-31 (settled on the month-end: not open then)
 *   Z1 A  issued 04-01, paid 04-30 (open at no eligible month-end)
 */
async function handHistory(): Promise<Warehouse> {
  const t = await tempWarehouse();
  cleanup = t.done;
  const wh = t.wh;
  await createInvoicesTable(wh);
  await createEmptyMarts(wh);
  await createPaymentsTable(wh);
  await wh.run(`insert into fct_invoices
    select 'T' || i, chr(65 + (i % 4)::int), null, 'invoice', date '2023-01-01' + (i * 7)::int, date '2023-01-31' + (i * 7)::int,
      100 + i * 10, 'EUR', 100 + i * 10, null, null, null,
      date '2023-01-31' + (i * 7)::int + (case when i % 3 = 0 then 45 else -5 end),
      null, null, null, null, false, 'paid', 'Ana', 'retail', 'ES', 30
    from range(40) as t(i)`);
  await wh.run(`insert into fct_invoices values
    ${inv('A1', 'A', '2024-01-10', 1000, '2024-03-05')}, ${inv('B1', 'B', '2023-12-01', 2000, null)},
    ${inv('B2', 'B', '2024-01-05', 500, '2024-03-20')}, ${inv('C1', 'C', '2024-02-15', 3000, null)},
    ${inv('D1', 'D', '2024-03-20', 800, null)}, ${inv('F1', 'A', '2024-01-02', 700, '2024-01-31')},
    ${inv('Z1', 'A', '2024-04-01', 900, '2024-04-30')}`);
  await wh.run(`insert into fct_payments
    select 'P' || invoice_id, customer_id, invoice_id, paid_date, amount, currency, amount_reporting, 'transfer', false, false
      from fct_invoices where paid_date is not null and invoice_id not in ('A1');
    insert into fct_payments values
      ('PA1a', 'A', 'A1', date '2024-01-20', 400, 'EUR', 400, 'transfer', false, false),
      ('PA1b', 'A', 'A1', date '2024-03-05', 600, 'EUR', 600, 'transfer', false, false)`);
  return wh;
}

type Row = Record<string, unknown>;

const OPEN_ROWS = `select invoice_id, as_of, days_past_due, outstanding, late_at_as_of, actual_late, late_within_horizon, collected_later
  from risk_backtest_decision order by as_of, invoice_id`;

describe('backtest at decision dates', () => {
  it('scores the invoices open at each month-end, with labels worked out by hand, and leaves risk_backtest alone', async () => {
    const wh = await handHistory();
    const r = await backtestDecision(wh, { trainUntil: TRAIN_UNTIL, lateDays: 30, params: SMALL });
    expect(r.knownBy).toBe('2024-04-30');
    const row = (invoice_id: string, as_of: string, dpd: number, out: string, lateAt: boolean, late: boolean | null, within: boolean, collected: string) => ({
      invoice_id, as_of, days_past_due: dpd, outstanding: out, late_at_as_of: lateAt, actual_late: late, late_within_horizon: within, collected_later: collected,
    });
    expect(await wh.all(OPEN_ROWS)).toEqual([
      row('A1', '2024-01-31', -9, '600.00', false, false, false, '600.00'),
      row('B1', '2024-01-31', 31, '2000.00', true, true, false, '0.00'),
      row('B2', '2024-01-31', -4, '500.00', false, true, false, '500.00'),
      row('A1', '2024-02-29', 20, '600.00', false, false, false, '600.00'),
      row('B1', '2024-02-29', 60, '2000.00', true, true, false, '0.00'),
      row('B2', '2024-02-29', 25, '500.00', false, true, true, '500.00'),
      row('C1', '2024-02-29', -16, '3000.00', false, true, false, '0.00'),
      row('B1', '2024-03-31', 91, '2000.00', true, true, false, '0.00'),
      row('C1', '2024-03-31', 15, '3000.00', false, true, true, '0.00'),
      row('D1', '2024-03-31', -19, '800.00', false, null, false, '0.00'),
    ]);
    expect([r.nOpen, r.nAlreadyLate, r.nEvaluated]).toEqual([10, 3, 6]);
    // Evaluated: A1 x2 (on time), B2 x2 and C1 x2 (late) = 4 of 6.
    expect(r.pooled.scorers.map((s) => [s.evaluation.n, s.evaluation.late_rate])).toEqual([[6, 4 / 6], [6, 4 / 6], [6, 4 / 6], [6, 4 / 6]]);
    expect(r.byMonthEnd.map((m) => [m.as_of, m.scorers[0].evaluation.n])).toEqual([['2024-01-31', 2], ['2024-02-29', 3], ['2024-03-31', 1]]);
    expect(r.pooled.calibration.reduce((a, c) => a + c.n, 0)).toBe(6);
    // The pooled figures are kept: one row per scorer, one per probability bin.
    expect(Number(await wh.scalar(`select count(*) from risk_backtest_metrics where backtest = 'decision'`))).toBe(4);
    expect(Number(await wh.scalar(`select sum(n) from risk_backtest_reliability where backtest = 'decision'`))).toBe(6);
    expect(await wh.tableExists('risk_backtest')).toBe(false);
    expect(Number(await wh.scalar('select count(distinct model_version) from risk_backtest_decision'))).toBe(1);
  });

  it('replays the call list: the first 20% of calls cover the newly late and later collected amounts worked out by hand', async () => {
    const wh = await handHistory();
    await backtestDecision(wh, { trainUntil: TRAIN_UNTIL, lateDays: 30, params: SMALL });
    // Probabilities set by hand so the model's order is known: expected late amount per customer
    //   01-31: A 600 x 0.9 = 540, B 2000 x 0.1 + 500 x 0.5 = 450           -> A first
    //   02-29: A 540, B 450, C 3000 x 0.2 = 600                             -> C first
    //   03-31: B 200, C 3000 x 0.5 = 1500, D 800 x 0.9 = 720                -> C first
    await wh.run(`update risk_backtest_decision set probability = case
      when invoice_id = 'A1' then 0.9 when invoice_id = 'B1' then 0.1 when invoice_id = 'B2' then 0.5 when invoice_id = 'D1' then 0.9
      when as_of = date '2024-02-29' then 0.2 else 0.5 end`);
    const c = await callListCoverage(wh, 0.2);
    const pick = (rows: typeof c.pooled) => rows.map((x) => [x.as_of, x.ordering, x.calls, x.top_calls, x.newly_late_amount, x.newly_late_covered, x.collected_later, x.collected_covered]);
    // 2, 3 and 3 calls: the first round(20%), at least one, is one call each month.
    // Overdue balance: B (2,000 vs A 0), B (2,500), C (3,000 vs B 2,000). Days past due: B (31), B (60), B (91).
    // Newly late within 30 days: none; B2 500 (B); C1 3,000 (C). Collected later: A 600 + B 500; A 600 + B 500; none.
    expect(pick(c.byMonthEnd)).toEqual([
      ['2024-01-31', 'model', 2, 1, '0.00', '0.00', '1100.00', '600.00'],
      ['2024-01-31', 'overdue_balance', 2, 1, '0.00', '0.00', '1100.00', '500.00'],
      ['2024-01-31', 'days_past_due', 2, 1, '0.00', '0.00', '1100.00', '500.00'],
      ['2024-02-29', 'model', 3, 1, '500.00', '0.00', '1100.00', '0.00'],
      ['2024-02-29', 'overdue_balance', 3, 1, '500.00', '500.00', '1100.00', '500.00'],
      ['2024-02-29', 'days_past_due', 3, 1, '500.00', '500.00', '1100.00', '500.00'],
      ['2024-03-31', 'model', 3, 1, '3000.00', '3000.00', '0.00', '0.00'],
      ['2024-03-31', 'overdue_balance', 3, 1, '3000.00', '3000.00', '0.00', '0.00'],
      ['2024-03-31', 'days_past_due', 3, 1, '3000.00', '0.00', '0.00', '0.00'],
    ]);
    expect(c.pooled.map((x) => [x.ordering, x.newly_late_share, x.collected_share])).toEqual([
      ['model', 3000 / 3500, 600 / 2200],
      ['overdue_balance', 1, 1000 / 2200],
      ['days_past_due', 500 / 3500, 1000 / 2200],
    ]);
    expect(c.byMonthEnd[0].newly_late_share).toBeNull();
  });

  it('prints the figures per month-end, pooled, and the call list coverage', async () => {
    const wh = await handHistory();
    const text = decisionReport(await backtestDecision(wh, { trainUntil: TRAIN_UNTIL, lateDays: 30, params: SMALL }));
    expect(text).toContain('evaluated at 3 month-ends (2024-01-31 to 2024-03-31), outcomes known by 2024-04-30; late = more than 30 days after due');
    expect(text).toContain('10 open invoice-month-ends; 3 already past the late line (decided, left out); 6 evaluated');
    expect(text).toMatch(/pooled\s+days_past_due\s+8\s+3\s+3500\.00\s+500\.00\s+14\.3%\s+2200\.00\s+1000\.00\s+45\.5%/);
    // Lift in the first tenth for every scorer: its precision there over the late rate.
    for (const name of ['model (random forest)', 'baseline: prior late share', 'baseline: avg days late']) {
      const row = text.split('\n').find((l) => l.startsWith(name))!.slice(name.length).trim().split(/\s+/).map(Number);
      const [n, lateRate, , prec10, , lift10] = row;
      expect(n).toBe(6);
      expect(lift10).toBeCloseTo(prec10 / lateRate, 2);
    }
  });
});

describe('backtests with and without undated attributes', () => {
  /** The hand history, with a snapshot flag (no date of its own) on 30 of the 40 training invoices: a category the model learns from. */
  async function withUndatedFlag(): Promise<Warehouse> {
    const wh = await handHistory();
    await wh.run(`create table dim_attributes as select 'invoice' as entity, 'T' || i as entity_id, 'paperless' as attribute, 'yes' as value, false as dated
      from range(40) as t(i) where i % 4 <> 0`);
    return wh;
  }

  it('at decision dates, score the same open invoices by a model trained without them, as that model scores them', async () => {
    const wh = await withUndatedFlag();
    const r = await backtestDecision(wh, { trainUntil: TRAIN_UNTIL, lateDays: 30, params: SMALL });
    expect(r.model.attributes.map((a) => [a.name, a.dated])).toEqual([['attr:invoice.paperless', false]]);
    expect(r.pooled.scorers.map((s) => s.name)).toContain('model without undated attributes');
    const dated = r.pooled.scorers.find((s) => s.name === 'model without undated attributes')!.evaluation;
    expect([dated.n, dated.late_rate]).toEqual([6, 4 / 6]);
    // Every open invoice carries the other model's probability, in its own row (not shifted by the join).
    const model = await trainModel(wh, { lateDays: 30, trainUntil: TRAIN_UNTIL, skipHoldout: true, params: SMALL, undated: false });
    expect(model.attributes).toEqual([]);
    await buildFeatures(wh, 'select invoice_id, as_of from risk_backtest_decision order by as_of, invoice_id', {}, 30);
    const m = await readFeatures(wh, true);
    const p = predictLate(model, m.X, m.n);
    const want = m.invoiceIds.map((id, i) => [id, p[i]]);
    const got = await wh.all<{ invoice_id: string; p: number }>('select invoice_id, probability_without_undated as p from risk_backtest_decision order by as_of, invoice_id');
    expect(got.map((g) => [g.invoice_id, g.p])).toEqual(want);
  });

  it('at issue dates too; and with no undated attribute neither backtest adds the row', async () => {
    const wh = await withUndatedFlag();
    const r = await backtest(wh, { trainUntil: TRAIN_UNTIL, lateDays: 30, params: SMALL });
    expect(r.scorers.map((s) => s.name)).toContain('model without undated attributes');
    const plain = await handHistory();
    expect((await backtest(plain, { trainUntil: TRAIN_UNTIL, lateDays: 30, params: SMALL })).scorers.map((s) => s.name)).not.toContain('model without undated attributes');
    const d = await backtestDecision(plain, { trainUntil: TRAIN_UNTIL, lateDays: 30, params: SMALL });
    expect(d.pooled.scorers.map((s) => s.name)).not.toContain('model without undated attributes');
    expect(Number(await plain.scalar('select count(probability_without_undated) from risk_backtest_decision'))).toBe(0);
  });
});

describe('backtest at decision dates, leakage', () => {
  const AT_JAN = `select invoice_id, customer_id, as_of, due_date, days_past_due, outstanding, late_at_as_of, probability,
    baseline_prior_late_share, baseline_avg_days_late from risk_backtest_decision where as_of = date '2024-01-31' order by invoice_id`;

  async function janRows(wh: Warehouse): Promise<Row[]> {
    await backtestDecision(wh, { trainUntil: TRAIN_UNTIL, lateDays: 30, params: SMALL });
    return wh.all(AT_JAN);
  }

  it('events after a month-end never change who is open then, nor their features and scores', async () => {
    const wh = await handHistory();
    const before = await janRows(wh);
    expect(before.map((r) => r.invoice_id)).toEqual(['A1', 'B1', 'B2']);
    await wh.run(`
      insert into fct_payments values ('PL1', 'B', 'B1', date '2024-02-10', 1500, 'EUR', 1500, 'transfer', false, false),
        ('PL2', 'A', null, date '2024-02-11', 100, 'EUR', 100, 'transfer', false, false);
      insert into fct_invoices values ${inv('N1', 'B', '2024-02-01', 4000, null)}, ${inv('N2', 'A', '2024-02-02', 50, '2024-02-03')};
      insert into fct_disputes values ('DL', 'A1', 'A', date '2024-02-01', null, 600, 'price', 'open');
      insert into fct_promises values ('PRL', 'B', 'B2', date '2024-02-01', date '2024-02-05', 500, 'broken');
      insert into fct_activities values ('ACL', 'B', 'B1', date '2024-02-01', 'phone', 'reached', 'Ana', null);
      update fct_invoices set status = 'written_off' where invoice_id = 'B1';
      update fct_invoices set paid_date = date '2024-02-01', status = 'paid' where invoice_id = 'B2';`);
    expect(await janRows(wh)).toEqual(before);
  });

  it('an event dated on the month-end does change them (the check above can fail)', async () => {
    const wh = await handHistory();
    const before = await janRows(wh);
    await wh.run(`insert into fct_payments values ('PE', 'B', 'B1', date '2024-01-31', 1500, 'EUR', 1500, 'transfer', false, false);
      update fct_invoices set paid_date = date '2024-01-31', status = 'paid' where invoice_id = 'B2';`);
    const after = await janRows(wh);
    expect(after.map((r) => [r.invoice_id, r.outstanding])).toEqual([['A1', '600.00'], ['B1', '500.00']]);
    expect(before.map((r) => [r.invoice_id, r.outstanding])).toEqual([['A1', '600.00'], ['B1', '2000.00'], ['B2', '500.00']]);
  });
});

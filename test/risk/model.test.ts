import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { DEFAULT_FOREST_PARAMS, evaluator, trainForest } from '../../src/risk/forest.ts';
import { binFeatures, featureCuts, growTree, type TreeArrays } from '../../src/risk/histogram.ts';
import { riskBand } from '../../src/risk/bands.ts';
import { backtest } from '../../src/risk/backtest.ts';
import { scoreWarehouse } from '../../src/risk/score.ts';
import { trainModel } from '../../src/risk/train.ts';
import { tempWarehouse } from './fixture.ts';
import { createSyntheticHistory } from './synthetic-history.ts';

const SMALL = { ...DEFAULT_FOREST_PARAMS, nTrees: 10, treesPerGroup: 5, maxDepth: 6 };

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function history(n = 4000): Promise<Warehouse> {
  const t = await tempWarehouse();
  cleanup = t.done;
  await createSyntheticHistory(t.wh, n, '2024-06-30');
  return t.wh;
}

describe('histogram split search', () => {
  it('bins each feature once: a bin per distinct value when few, cut half-way', () => {
    expect(Array.from(featureCuts(Float64Array.from([0, 0, 1, 3])))).toEqual([0.5, 2]);
    // Eight distinct values into four bins: cuts at the 1/4, 2/4 and 3/4 quantiles (x < cut goes left).
    expect(Array.from(featureCuts(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 4))).toEqual([3, 5, 7]);
    const b = binFeatures(Float64Array.from([0, 5, 0, 5, 1, 5, 3, 5]), 4, 2);
    expect(Array.from(b.bins[0])).toEqual([0, 0, 1, 2]);
    expect(b.cuts[1].length).toBe(0);
    expect(Array.from(b.bins[1])).toEqual([0, 0, 0, 0]);
  });

  it('finds the split a hand computation finds', () => {
    // x = 1..7, late = 0 0 1 0 1 1 1 (4 of 7). Variance gain G_L²/n_L + G_R²/n_R − G²/n of each cut:
    // after 1: 0 + 16/6 − 16/7 = 0.381; after 2: 16/5 − 16/7 = 0.914; after 3: 1/3 + 9/4 − 16/7 = 0.298;
    // after 4: 1/4 + 9/3 − 16/7 = 0.964 (best); after 5: 4/5 + 4/2 − 16/7 = 0.514; after 6: 9/6 + 1 − 16/7 = 0.214.
    const y = [0, 0, 1, 0, 1, 1, 1];
    const data = binFeatures(Float64Array.from([1, 2, 3, 4, 5, 6, 7]), 7, 1);
    const out: TreeArrays = { feature: [], threshold: [], left: [], right: [], vote: [], value: [] };
    const root = growTree(data, Float64Array.from(y), new Float64Array(7).fill(1), Uint32Array.from([0, 1, 2, 3, 4, 5, 6]),
      { maxDepth: 1, minNumSamples: 2, minLeaf: 1, featuresPerTree: 1, lambda: 0 }, () => 0, out);
    expect(root).toBe(0);
    expect(out.feature).toEqual([0, -1, -1]);
    expect(out.threshold[0]).toBe(4.5);
    expect(out.vote).toEqual([4 / 7, 1 / 4, 1]);
    // Four rows a side at least: seven rows cannot be split.
    const out2: TreeArrays = { feature: [], threshold: [], left: [], right: [], vote: [], value: [] };
    growTree(data, Float64Array.from(y), new Float64Array(7).fill(1), Uint32Array.from([0, 1, 2, 3, 4, 5, 6]),
      { maxDepth: 1, minNumSamples: 2, minLeaf: 4, featuresPerTree: 1, lambda: 0 }, () => 0, out2);
    expect(out2.feature).toEqual([-1]);
  });
});

describe('random forest', () => {
  it('is deterministic for a seed and learns a clear rule', () => {
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const a = (i * 37) % 100;
      const b = (i * 53) % 100;
      X.push([a, b]);
      y.push(a > 60 ? 1 : 0);
    }
    const params = { ...SMALL, maxFeatures: 1 };
    const data = { X: Float64Array.from(X.flat()), nFeatures: 2, y };
    const f1 = trainForest(data, params).forest;
    expect(trainForest(data, params).forest).toEqual(f1);
    expect(trainForest(data, { ...params, seed: 7 }).forest).not.toEqual(f1);
    const ev = evaluator(f1);
    expect(ev.predictRow(Float64Array.from([90, 10]), 0)).toBeGreaterThan(0.9);
    expect(ev.predictRow(Float64Array.from([10, 90]), 0)).toBeLessThan(0.1);
    const c = new Float64Array(2);
    ev.contributions(Float64Array.from([90, 10]), 0, c);
    expect(c[0]).toBeGreaterThan(0.3);
    expect(Math.abs(c[1])).toBeLessThan(c[0]);

    const boosted = evaluator(trainForest(data, { ...params, learner: 'boosting', nTrees: 40, maxDepth: 3, rowShare: 1, lambda: 1, learningRate: 0.3 }).forest);
    expect(boosted.predictRow(Float64Array.from([90, 10]), 0)).toBeGreaterThan(0.9);
    expect(boosted.predictRow(Float64Array.from([10, 90]), 0)).toBeLessThan(0.1);
  });

  it("scores out of bag only the rows asked for, each as the same mean of the trees that did not draw it", () => {
    const n = 600;
    const X = Float64Array.from({ length: 2 * n }, (_, k) => ((k * 7919) % 1000) / 10);
    const y = Array.from({ length: n }, (_, i) => (X[2 * i] + X[2 * i + 1] > 100 ? 1 : 0));
    const data = { X, nFeatures: 2, y };
    const whole = trainForest(data, SMALL);
    const asked = [5, 17, 300, 599];
    const some = trainForest({ ...data, oobRows: asked }, SMALL);
    expect(some.forest).toEqual(whole.forest);
    const oob = Array.from(some.oob!);
    expect(oob.filter((v) => !Number.isNaN(v)).length).toBeGreaterThan(0);
    oob.forEach((v, i) => (asked.includes(i) ? expect(v).toBe(whole.oob![i]) : expect(v).toBeNaN()));
    // Each tree's own vote for a row, from the evaluator's walk on the raw values: the out-of-bag score is a mean of some of them.
    const votes = (i: number) => whole.forest.roots.map((r) => evaluator({ ...whole.forest, roots: [r] }).predictRow(X, 2 * i));
    for (let i = 0; i < n; i++) {
      const o = whole.oob![i];
      if (Number.isNaN(o)) continue;
      const v = votes(i);
      expect(o).toBeGreaterThanOrEqual(Math.min(...v) - 1e-12);
      expect(o).toBeLessThanOrEqual(Math.max(...v) + 1e-12);
    }
  });
});

describe('scoring', () => {
  it('trains when no model exists, scores open invoices, then reuses the model unless told to retrain', async () => {
    const wh = await history();
    const first = await scoreWarehouse(wh, { params: SMALL });
    expect(first.trained).toBe(true);
    expect(first.asOf).toBe('2024-06-30');
    const open = Number(await wh.scalar(`select count(*) from fct_invoices where paid_date is null`));
    expect(first.scored).toBe(open);
    const rows = await wh.all<{ probability: number; risk_band: string; reasons: string; reason_values: number[] }>(
      `select * from risk_scores where as_of = '2024-06-30'`,
    );
    expect(rows).toHaveLength(open);
    for (const r of rows) {
      expect(r.probability).toBeGreaterThanOrEqual(0);
      expect(r.probability).toBeLessThanOrEqual(1);
      expect(r.risk_band).toBe(riskBand(r.probability));
    }
    const risky = rows.filter((r) => r.probability >= 0.25);
    expect(risky.length).toBeGreaterThan(0);
    // Codes with one value each (or a verdict with none): the words come at read time, in the reader's locale.
    for (const r of risky) {
      expect(r.reasons).not.toBe('low_risk');
      expect(r.reason_values).toHaveLength(r.reasons === 'usual_risk' ? 0 : r.reasons.split(',').length);
    }
    expect(rows.filter((r) => r.probability < 0.1).every((r) => r.reasons === 'low_risk')).toBe(true);

    const stored = await wh.one<{ n: number; late_days: number }>(`select count(*)::int as n, any_value(late_days) as late_days from risk_models`);
    expect(stored).toEqual({ n: 1, late_days: 30 });

    const again = await scoreWarehouse(wh, { params: SMALL });
    expect(again.trained).toBe(false);
    expect(again.modelVersion).toBe(first.modelVersion);
    expect(Number(await wh.scalar(`select count(*) from risk_scores`))).toBe(open);

    const other = await scoreWarehouse(wh, { params: SMALL, lateDays: 0 });
    expect(other.trained).toBe(true);
  });

  it('works on an invoices-only warehouse (no other marts), inside a caller\'s transaction', async () => {
    const wh = await history(2000);
    await wh.run('drop table fct_payments; drop table fct_promises; drop table fct_activities; drop table fct_disputes; drop table dim_customers');
    await wh.run('begin transaction');
    const s = await scoreWarehouse(wh, { params: SMALL, inTransaction: true });
    await wh.run('commit');
    expect(s.scored).toBeGreaterThan(0);
    expect(s.callListRows).toBeGreaterThan(0);
    expect(Number(await wh.scalar('select count(*) from call_list'))).toBe(s.callListRows);
  });

  it('learns customer lateness: the holdout AUC is well above chance', async () => {
    const wh = await history(6000);
    const m = await trainModel(wh, { lateDays: 30, trainUntil: '2024-06-30', params: SMALL });
    expect(m.metrics!.auc).toBeGreaterThan(0.65);
    expect(Object.keys(m.feature_importance)).toContain('prior_late_share');
  });
});

describe('backtest', () => {
  it('tests on invoices issued after the cut-off only, beside both baselines', async () => {
    const wh = await history(4000);
    const r = await backtest(wh, { trainUntil: '2024-01-01', params: SMALL });
    expect(r.scorers.map((s) => s.name)).toEqual(['model (random forest)', 'baseline: prior late share', 'baseline: avg days late', 'model before calibration']);
    // Calibrated on a later slice than the model learnt from: Brier no worse than the raw score's by more than noise.
    const [model, , , raw] = r.scorers.map((s) => s.evaluation);
    expect(model.brier).toBeLessThan(raw.brier + 0.01);
    expect(r.model.calibration).not.toBeNull();
    const stored = await wh.all<{ scorer: string; brier: number | null }>(`select scorer, brier from risk_backtest_metrics where backtest = 'issue' order by scorer`);
    expect(stored.map((s) => s.scorer).sort()).toEqual(r.scorers.map((s) => s.name).sort());
    expect(stored.find((s) => s.scorer === 'model (random forest)')!.brier).toBeCloseTo(model.brier, 10);
    expect(Number(await wh.scalar(`select sum(n) from risk_backtest_reliability where backtest = 'issue'`))).toBe(r.nTest);
    const first = await wh.scalar<string>(`select min(as_of)::varchar from risk_backtest`);
    expect(first! >= '2024-01-01').toBe(true);
    expect(r.model.train_until).toBe('2024-01-01');
    expect(r.calibration.reduce((a, c) => a + c.n, 0)).toBe(r.nTest);
    expect(r.lift).toHaveLength(10);
  });
});

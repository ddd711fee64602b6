import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { DEFAULT_FOREST_PARAMS, evaluator, trainForest } from '../../src/risk/forest.ts';
import { riskBand } from '../../src/risk/bands.ts';
import { backtest } from '../../src/risk/backtest.ts';
import { scoreWarehouse } from '../../src/risk/score.ts';
import { trainModel } from '../../src/risk/train.ts';
import { tempWarehouse } from './fixture.ts';
import { createSyntheticHistory } from './synthetic-history.ts';

const SMALL = { ...DEFAULT_FOREST_PARAMS, nTrees: 10, treesPerGroup: 5, rowsPerTree: 300 };

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function history(n = 4000): Promise<Warehouse> {
  const t = await tempWarehouse();
  cleanup = t.done;
  await createSyntheticHistory(t.wh, n, '2024-06-30');
  return t.wh;
}

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
    const f1 = trainForest(X, y, params);
    expect(trainForest(X, y, params)).toEqual(f1);
    expect(trainForest(X, y, { ...params, seed: 7 })).not.toEqual(f1);
    const ev = evaluator(f1);
    expect(ev.predictRow(Float64Array.from([90, 10]), 0)).toBeGreaterThan(0.9);
    expect(ev.predictRow(Float64Array.from([10, 90]), 0)).toBeLessThan(0.1);
    const c = new Float64Array(2);
    ev.contributions(Float64Array.from([90, 10]), 0, c);
    expect(c[0]).toBeGreaterThan(0.3);
    expect(Math.abs(c[1])).toBeLessThan(c[0]);
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
    const rows = await wh.all<{ probability: number; risk_band: string; reasons_es: string; reasons_en: string }>(
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
    expect(risky.every((r) => r.reasons_es.length > 0 && r.reasons_en.length > 0)).toBe(true);

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
    expect(r.scorers.map((s) => s.name)).toHaveLength(3);
    const first = await wh.scalar<string>(`select min(as_of)::varchar from risk_backtest`);
    expect(first! >= '2024-01-01').toBe(true);
    expect(r.model.train_until).toBe('2024-01-01');
    expect(r.calibration.reduce((a, c) => a + c.n, 0)).toBe(r.nTest);
    expect(r.lift).toHaveLength(10);
  });
});

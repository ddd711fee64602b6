import type { Warehouse } from '../db/warehouse.ts';
import type { CalibrationBin, Evaluation } from './metrics.ts';

/** Which backtest wrote a row: at each invoice's issue date, or pooled over the month-ends where the collector decides. */
export type BacktestKind = 'issue' | 'decision';

export interface BacktestFigures {
  kind: BacktestKind;
  modelVersion: string;
  trainUntil: string;
  lateDays: number;
  scorers: { name: string; evaluation: Evaluation }[];
  /** The (calibrated) model's reliability table. */
  calibration: CalibrationBin[];
}

/**
 * Keeps a backtest's headline figures beside its per-invoice rows, so they can be read back
 * without recomputing: `risk_backtest_metrics` (one row per backtest kind and scorer: AUC,
 * Brier, precision and recall at the top) and `risk_backtest_reliability` (one row per backtest
 * kind and probability bin). A new run replaces the rows of its kind only.
 */
export async function storeBacktestFigures(wh: Warehouse, f: BacktestFigures): Promise<void> {
  await wh.run(`create table if not exists risk_backtest_metrics (
    backtest varchar, scorer varchar, n integer, late_rate double, auc double, brier double,
    precision_top10 double, recall_top10 double, precision_top20 double, recall_top20 double,
    model_version varchar, train_until date, late_days integer)`);
  await wh.run(`create table if not exists risk_backtest_reliability (
    backtest varchar, bin varchar, n integer, mean_predicted double, observed_late double,
    model_version varchar, train_until date, late_days integer)`);
  await wh.run('delete from risk_backtest_metrics where backtest = $1', [f.kind]);
  await wh.run('delete from risk_backtest_reliability where backtest = $1', [f.kind]);
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  for (const { name, evaluation: e } of f.scorers) {
    await wh.run(
      'insert into risk_backtest_metrics values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::date, $13)',
      [f.kind, name, e.n, finite(e.late_rate), finite(e.auc), finite(e.brier), finite(e.precision_top10), finite(e.recall_top10), finite(e.precision_top20), finite(e.recall_top20), f.modelVersion, f.trainUntil, f.lateDays],
    );
  }
  for (const c of f.calibration) {
    await wh.run('insert into risk_backtest_reliability values ($1, $2, $3, $4, $5, $6, $7::date, $8)', [
      f.kind, c.bin, c.n, finite(c.mean_predicted), finite(c.observed_late), f.modelVersion, f.trainUntil, f.lateDays,
    ]);
  }
}

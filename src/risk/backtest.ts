import type { Warehouse } from '../db/warehouse.ts';
import { dataAsOf } from './as-of.ts';
import { withCustomerRecord } from './customer-record.ts';
import { FEATURES } from './features.ts';
import { storeBacktestFigures } from './backtest-figures.ts';
import { evaluator, type ForestParams } from './forest.ts';
import { calibration, evaluate, liftByDecile, type CalibrationBin, type Evaluation, type LiftRow } from './metrics.ts';
import { learnedFromUndated, loadExamples, predictLate, trainModel, type RiskModel } from './train.ts';

export interface BacktestOptions {
  /** Train on outcomes known before this date; test on invoices issued on or after it. */
  trainUntil: string;
  lateDays?: number;
  /** Most test invoices evaluated (the newest are kept); default 200,000. */
  maxTest?: number;
  /** Forest parameters (tests use small forests). */
  params?: ForestParams;
  /** Stops the backtest between its steps (a server closing: the demo runs one in the background). */
  signal?: AbortSignal;
  /** Train on a worker thread, leaving this one free (a server answering meanwhile). */
  offThread?: boolean;
  /** Also measure a model trained without the attributes that have no date of their own (default true, when there are any). */
  withoutUndated?: boolean;
}

export interface BacktestResult {
  trainUntil: string;
  knownBy: string;
  lateDays: number;
  model: RiskModel;
  nTest: number;
  /** model, the two one-feature baselines, the model's raw score before calibration, then (when the model learned from undated attributes or master fields: `learnedFromUndated`) the model trained without them. */
  scorers: { name: string; evaluation: Evaluation }[];
  calibration: CalibrationBin[];
  lift: LiftRow[];
}

const LATE_SHARE = FEATURES.indexOf('prior_late_share');
const AVG_DAYS_LATE = FEATURES.indexOf('avg_days_late');

/**
 * An honest out-of-time test: trains on what was known before `trainUntil`, then predicts every
 * invoice issued on or after it whose outcome is known by the data's date, each with features
 * as of its issue date. Writes `risk_backtest` (and the figures: `backtest-figures.ts`) and returns the figures beside two baselines:
 * the customer's prior late share alone, and the customer's average days late alone.
 */
export async function backtest(wh: Warehouse, opts: BacktestOptions): Promise<BacktestResult> {
  const lateDays = opts.lateDays ?? 30;
  const knownBy = await dataAsOf(wh);
  if (opts.trainUntil >= knownBy) throw new Error(`backtest: --train-until must be before the data's date ${knownBy}`);
  // Its models and test sets all read the customers' records: made once for the whole backtest.
  return withCustomerRecord(wh, lateDays, async () => {
    const model = await trainModel(wh, { lateDays, trainUntil: opts.trainUntil, skipHoldout: true, params: opts.params, signal: opts.signal, offThread: opts.offThread });
    opts.signal?.throwIfAborted();
    const testWindow = {
      lateDays,
      issuedFrom: opts.trainUntil,
      issuedBefore: '9999-12-31',
      knownBy,
      sample: { recent: opts.maxTest ?? 200_000, cap: opts.maxTest ?? 200_000 },
    };
    const { m, y } = await loadExamples(wh, { ...testWindow, attributes: model.attributes });
    if (m.n === 0) throw new Error(`backtest: no invoice issued on or after ${opts.trainUntil} has a known outcome by ${knownBy}`);
    const nf = m.nFeatures;
    const p = predictLate(model, m.X, m.n);
    const raw = evaluator(model.forest).predict(m.X, m.n);
    const share = new Float64Array(m.n);
    const days = new Float64Array(m.n);
    for (let i = 0; i < m.n; i++) {
      share[i] = m.X[i * nf + LATE_SHARE];
      days[i] = m.X[i * nf + AVG_DAYS_LATE];
    }
    // A customer with no history gets the training sample's late rate as its share.
    const shareProb = share.map((v) => (v < 0 ? model.train_late_rate : v));
    opts.signal?.throwIfAborted();

    await wh.run(`create or replace table risk_backtest (
      invoice_id varchar, as_of date, probability double, actual_late boolean,
      baseline_prior_late_share double, baseline_avg_days_late double,
      model_version varchar, train_until date, late_days integer)`);
    await wh.run(`create or replace temp table risk_backtest_scored (rn integer, probability double, actual_late boolean, share double, days double)`);
    const app = await wh.conn.createAppender('risk_backtest_scored', 'main', 'temp');
    for (let i = 0; i < m.n; i++) {
      app.appendInteger(i + 1);
      app.appendDouble(p[i]);
      app.appendBoolean(y[i] === 1);
      app.appendDouble(share[i]);
      app.appendDouble(days[i]);
      app.endRow();
    }
    app.closeSync();
    await wh.run(
      `insert into risk_backtest
       select f.invoice_id, f.as_of, s.probability, s.actual_late, s.share, s.days, $1, $2::date, $3
       from risk_features f join risk_backtest_scored s using (rn) order by f.as_of, f.invoice_id`,
      [model.version, opts.trainUntil, lateDays],
    );

    const modelEval = evaluate(p, y);
    const shareEval = evaluate(shareProb, y);
    const daysEval = { ...evaluate(days, y), brier: NaN };
    const scorers = [
      { name: 'model (random forest)', evaluation: modelEval },
      { name: 'baseline: prior late share', evaluation: shareEval },
      { name: 'baseline: avg days late', evaluation: daysEval },
      { name: 'model before calibration', evaluation: evaluate(raw, y) },
    ];
    if (opts.withoutUndated !== false && (await learnedFromUndated(wh, model))) {
      // The same test invoices, scored by a model that never saw an undated attribute: what the export's snapshot values add.
      const dated = await trainModel(wh, { lateDays, trainUntil: opts.trainUntil, skipHoldout: true, params: opts.params, signal: opts.signal, offThread: opts.offThread, undated: false });
      const t = await loadExamples(wh, { ...testWindow, attributes: dated.attributes });
      scorers.push({ name: 'model without undated attributes', evaluation: evaluate(predictLate(dated, t.m.X, t.m.n), t.y) });
    }
    const reliability = calibration(p, y);
    await storeBacktestFigures(wh, { kind: 'issue', modelVersion: model.version, trainUntil: opts.trainUntil, lateDays, scorers, calibration: reliability });
    return {
      trainUntil: opts.trainUntil,
      knownBy,
      lateDays,
      model,
      nTest: m.n,
      scorers,
      calibration: reliability,
      lift: liftByDecile(p, y),
    };
  });
}

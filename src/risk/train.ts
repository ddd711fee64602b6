import { quickselect } from 'simple-statistics';
import type { Warehouse } from '../db/warehouse.ts';
import { selectAttributes, type AttributeFeature } from './attributes.ts';
import { buildFeatures, FEATURES, readFeatures, undatedFeatures, type FeatureMatrix, type FeatureName } from './features.ts';
import { calibrateAll, fitCalibration, type Calibration } from './calibration.ts';
import { DEFAULT_FOREST_PARAMS, evaluator, featureImportance, trainForestOffThread, trainForestYielding, type CompactForest, type ForestParams, type TrainingSet } from './forest.ts';
import { buildExampleFeaturesStored, type StoreUse } from './feature-store.ts';
import { evaluate, type Evaluation } from './metrics.ts';
import { prepareSources } from './sources.ts';
import { riskSql } from './sql.ts';

export const MODEL_FORMAT = 'cartera-risk-hist/5';

/**
 * How many of the most recent known examples are eligible, and how many are taken from them:
 * all of them, since the histogram split search makes a tree linear in its rows.
 */
export const SAMPLE = { recent: 200_000, cap: 200_000 };

/** From this many examples, the holdout and final models grow at once, on two threads (below it a worker's start costs more than it saves). */
const PARALLEL_MIN_EXAMPLES = 20_000;

/** Share of the (newest) examples held out to measure the model and fit its calibration. */
const HOLDOUT_SHARE = 0.2;

/** The trained model as stored in risk_models.artefact. */
export interface RiskModel {
  format: string;
  version: string;
  trained_at: string;
  train_from: string | null;
  train_until: string;
  late_days: number;
  n_train: number;
  /** Share of training examples that were late. */
  train_late_rate: number;
  /** FEATURES, then the names of `attributes`. */
  features: string[];
  /** The export's attributes the model learned from (chosen per warehouse), in feature order after FEATURES. */
  attributes: AttributeFeature[];
  params: ForestParams & { sample_recent: number; sample_cap: number };
  /** Honest figures: a model fitted on the older 80% of the examples, scored (raw) on the newer 20%; null when skipped. */
  metrics: Evaluation | null;
  /** Raw score -> probability, fitted on that newer 20% (`fitCalibration`); null without both outcomes there. */
  calibration: Calibration | null;
  feature_importance: Record<string, number>;
  /** Median of each feature in the training sample: the neutral value reasons compare against. */
  medians: number[];
  forest: CompactForest;
  /** Where training's time went: building the examples' features, then growing both models. */
  train_seconds?: { examples: number; learn: number };
  /** With the feature store: how many examples' features it kept from the training before, and how many were computed. */
  feature_store?: StoreUse;
}

const EXAMPLES_SQL = riskSql('examples.sql');

export interface ExampleWindow {
  lateDays: number;
  issuedFrom?: string;
  issuedBefore: string;
  knownBy: string;
  /** Cap on examples (sampled deterministically from the most recent); undefined = all. */
  sample?: { recent: number; cap: number };
  /** The model's attribute features (default none). */
  attributes?: AttributeFeature[];
}

/**
 * Temp table `risk_examples` (invoice_id, as_of = issue date, label 1 = late): the examples of a
 * window, at most `sample.cap` of its `sample.recent` most recent (sampled deterministically).
 */
export async function collectExamples(wh: Warehouse, w: ExampleWindow): Promise<void> {
  // The most recent by a top-N (order by ... limit), not a window numbering every example of the history.
  const sampled = w.sample
    ? `select invoice_id, as_of, label from (select * from (${EXAMPLES_SQL}) order by as_of desc, invoice_id limit $recent)
       order by hash(invoice_id) limit $cap`
    : EXAMPLES_SQL;
  const params = {
    late_days: w.lateDays,
    issued_from: w.issuedFrom ?? '0001-01-01',
    issued_before: w.issuedBefore,
    known_by: w.knownBy,
    ...(w.sample ? { recent: w.sample.recent, cap: w.sample.cap } : {}),
  };
  await prepareSources(wh);
  await wh.run(`create or replace temp table risk_examples as ${sampled}`, params);
}

/**
 * Features (as of each example's issue date, with the attribute features `attrs`) and labels of
 * the examples `collectExamples` left in `risk_examples`: the matrix in rn order, labels aligned, and the issue dates.
 * With `store`, the features the feature store keeps are read and the rest computed and stored (`src/risk/feature-store.ts`;
 * `'in-transaction'` inside a caller's open transaction).
 */
export async function readExamples(
  wh: Warehouse,
  lateDays: number,
  attrs: AttributeFeature[] = [],
  store: boolean | 'in-transaction' = false,
): Promise<{ m: FeatureMatrix; y: Int8Array; issued: string[]; from: string | null; stored?: StoreUse }> {
  let stored: StoreUse | undefined;
  if (store) stored = await buildExampleFeaturesStored(wh, lateDays, attrs, store === 'in-transaction');
  else await buildFeatures(wh, 'select invoice_id, as_of from risk_examples', {}, lateDays, attrs);
  const m = await readFeatures(wh, true, attrs.length);
  const rows = await wh.all<{ label: number; as_of: string }>(
    `select e.label, e.as_of from risk_features f join risk_examples e using (invoice_id, as_of) order by f.rn`,
  );
  const y = Int8Array.from(rows.map((r) => r.label));
  const issued = rows.map((r) => r.as_of);
  const from = issued.length ? issued.reduce((a, b) => (a < b ? a : b)) : null;
  return { m, y, issued, from, stored };
}

/** Collects the examples of a window and reads their features and labels (`collectExamples`, then `readExamples`). */
export async function loadExamples(wh: Warehouse, w: ExampleWindow): Promise<{ m: FeatureMatrix; y: Int8Array; issued: string[]; from: string | null }> {
  await collectExamples(wh, w);
  return readExamples(wh, w.lateDays, w.attributes);
}

/** Sets `features` to -1 in every row: a column with one value has one bin, so no tree can split on it. */
function holdConstant(m: FeatureMatrix, features: readonly FeatureName[]): void {
  for (const f of features) {
    const j = FEATURES.indexOf(f);
    for (let i = 0; i < m.n; i++) m.X[i * m.nFeatures + j] = -1;
  }
}

/**
 * Whether a model learned from anything with no date of its own (an undated attribute, or a
 * customer master's field through `undatedFeatures`): then backtests also measure it without them.
 */
export async function learnedFromUndated(wh: Warehouse, model: RiskModel): Promise<boolean> {
  if (model.attributes.some((a) => !a.dated)) return true;
  // From the trees, not the stored importances: those are rounded, and one split is enough.
  const imp = featureImportance(model.forest);
  return (await undatedFeatures(wh)).some((f) => imp[FEATURES.indexOf(f)] > 0);
}

/** The rows `idx` of a feature matrix, with their labels, as a training set. */
function subset(m: FeatureMatrix, y: Int8Array, idx: number[]): TrainingSet {
  const nf = m.nFeatures;
  const X = new Float64Array(idx.length * nf);
  idx.forEach((i, r) => X.set(m.X.subarray(i * nf, (i + 1) * nf), r * nf));
  return { X, nFeatures: nf, y: Int8Array.from(idx, (i) => y[i]) };
}

function medians(m: FeatureMatrix): number[] {
  const nf = m.nFeatures;
  const mid = Math.floor(m.n / 2);
  const v: number[] = new Array<number>(m.n);
  return Array.from({ length: nf }, (_, j) => {
    for (let i = 0; i < m.n; i++) v[i] = m.X[i * nf + j];
    // The value a sort would put in the middle, by selection (simple-statistics' Floyd-Rivest): 0.3 s for 33
    // features of 200,000 rows, where sorting each took 4 s.
    if (m.n) quickselect(v, mid);
    return m.n ? v[mid] : 0;
  });
}

export interface TrainOptions {
  lateDays: number;
  /** Training cut-off: only outcomes known by this date, features as of each issue date. */
  trainUntil: string;
  params?: ForestParams;
  /** Skip the holdout model and its metrics (backtests evaluate separately); calibration does not need it. */
  skipHoldout?: boolean;
  /** Stops training (a server closing). */
  signal?: AbortSignal;
  /** Grow the trees on a worker thread, leaving this one free (a server training in the background). */
  offThread?: boolean;
  /** Learn from attributes and master fields with no date of their own too (default true; backtests also measure without). */
  undated?: boolean;
  /**
   * Keep the examples' features in the warehouse's feature store and read those still right from the training
   * before (`src/risk/feature-store.ts`): the warehouse's own model does; a backtest, training at past cut-offs, does not.
   * `'in-transaction'`: the caller holds a transaction open, which the store's writes join.
   */
  featureStore?: boolean | 'in-transaction';
}

/**
 * Trains the delinquency model on what was known by `trainUntil`: every known example up to the
 * 200,000 most recent. A first model learns from the older 80% and is scored on the newer 20%:
 * the honest metrics. The final model learns from all examples and is calibrated on the newer
 * 20% by its own out-of-bag scores (raw score -> late share).
 */
export async function trainModel(wh: Warehouse, opts: TrainOptions): Promise<RiskModel> {
  const params = opts.params ?? DEFAULT_FOREST_PARAMS;
  const grow = opts.offThread ? trainForestOffThread : trainForestYielding;
  const t0 = Date.now();
  await collectExamples(wh, { lateDays: opts.lateDays, issuedBefore: opts.trainUntil, knownBy: opts.trainUntil, sample: SAMPLE });
  const attributes = await selectAttributes(wh, { undated: opts.undated ?? true });
  const { m, y, issued, from, stored } = await readExamples(wh, opts.lateDays, attributes, opts.featureStore ?? false);
  if (opts.undated === false) holdConstant(m, await undatedFeatures(wh));
  if (m.n < 20) throw new Error(`risk: only ${m.n} invoices with a known outcome before ${opts.trainUntil}; need at least 20 to train`);
  const t1 = Date.now();
  const all = Array.from({ length: m.n }, (_, i) => i);
  const byDate = [...all].sort((a, b) => (issued[a] < issued[b] ? -1 : issued[a] > issued[b] ? 1 : a - b));
  const cut = Math.floor(byDate.length * (1 - HOLDOUT_SHARE));
  const fit = byDate.slice(0, cut);
  const test = byDate.slice(cut);
  // The holdout model's scores: the honest metrics, and boosting's calibration (it has no out-of-bag scores).
  // The two models are independent: with enough examples to pay for a worker's start, the holdout
  // model grows on a second thread while the final one grows on this one (the machine's two cores).
  const needHoldout = !opts.skipHoldout || params.learner === 'boosting';
  const growHoldout = m.n >= PARALLEL_MIN_EXAMPLES ? trainForestOffThread : grow;
  // Out-of-bag scores only where the calibration reads them: the final forest's, on the newest slice.
  const holdout = needHoldout ? growHoldout({ ...subset(m, y, fit), oobRows: [] }, params, opts.signal) : null;
  const [held, { forest, oob }] = await Promise.all([holdout, grow({ ...subset(m, y, all), oobRows: test }, params, opts.signal)]);
  let raw: Float64Array | null = null;
  let metrics: Evaluation | null = null;
  if (held) {
    const ev = evaluator(held.forest);
    raw = Float64Array.from(test, (i) => ev.predictRow(m.X, i * m.nFeatures));
    metrics = evaluate(raw, Int8Array.from(test, (i) => y[i]));
  }
  // Calibrated on the newest slice by the final forest's own out-of-bag scores: the model that will
  // score, on examples its voting trees did not see. The holdout model's scores calibrated a
  // different model (trained without the newest examples) and worsened Brier on the real exports.
  // Boosting has no out-of-bag scores: it takes the holdout model's.
  const slice = oob ? test.filter((i) => !Number.isNaN(oob[i])) : test;
  const calibration = fitCalibration(
    oob ? slice.map((i) => oob[i]) : Array.from(raw!),
    slice.map((i) => y[i]),
  );
  const imp = featureImportance(forest);
  const features = [...FEATURES, ...attributes.map((a) => a.name)];
  const trainedAt = new Date().toISOString();
  return {
    format: MODEL_FORMAT,
    version: `${params.learner === 'boosting' ? 'gbt' : 'rf'}-${trainedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-late${opts.lateDays}`,
    trained_at: trainedAt,
    train_from: from,
    train_until: opts.trainUntil,
    late_days: opts.lateDays,
    n_train: m.n,
    train_late_rate: y.reduce((a, b) => a + b, 0) / m.n,
    features,
    attributes,
    params: { ...params, sample_recent: SAMPLE.recent, sample_cap: SAMPLE.cap },
    metrics,
    calibration,
    feature_importance: Object.fromEntries(features.map((f, j) => [f, Number(imp[j].toFixed(4))])),
    medians: medians(m),
    forest,
    train_seconds: { examples: (t1 - t0) / 1000, learn: (Date.now() - t1) / 1000 },
    ...(stored ? { feature_store: stored } : {}),
  };
}

/**
 * The model's calibrated probabilities of late for the `n` rows of `X` (row-major, the model's
 * features): what every score, backtest and call list uses.
 */
export function predictLate(model: RiskModel, X: Float64Array, n: number): Float64Array {
  return calibrateAll(model.calibration, evaluator(model.forest).predict(X, n));
}

import type { Warehouse } from '../db/warehouse.ts';
import { buildFeatures, FEATURES, readFeatures, type FeatureMatrix } from './features.ts';
import { DEFAULT_FOREST_PARAMS, evaluator, featureImportance, trainForestOffThread, trainForestYielding, type CompactForest, type ForestParams } from './forest.ts';
import { evaluate, type Evaluation } from './metrics.ts';
import { prepareSources } from './sources.ts';
import { riskSql } from './sql.ts';

export const MODEL_FORMAT = 'cartera-risk-rf/3';

/** How many of the most recent known examples are eligible, and how many are sampled from them. */
export const SAMPLE = { recent: 20_000, cap: 8_000 };

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
  features: string[];
  params: ForestParams & { sample_recent: number; sample_cap: number };
  /** Honest figures: a model (half the trees) fitted on the older 80% of the sample, scored on the newer 20%. */
  metrics: Evaluation | null;
  feature_importance: Record<string, number>;
  /** Median of each feature in the training sample: the neutral value reasons compare against. */
  medians: number[];
  forest: CompactForest;
}

const EXAMPLES_SQL = riskSql('examples.sql');

export interface ExampleWindow {
  lateDays: number;
  issuedFrom?: string;
  issuedBefore: string;
  knownBy: string;
  /** Cap on examples (sampled deterministically from the most recent); undefined = all. */
  sample?: { recent: number; cap: number };
}

/**
 * Builds features (as of each invoice's issue date) and labels for the examples of a window.
 * Returns the matrix in rn order, labels aligned, and the issue dates.
 */
export async function loadExamples(wh: Warehouse, w: ExampleWindow): Promise<{ m: FeatureMatrix; y: Int8Array; issued: string[]; from: string | null }> {
  const sampled = w.sample
    ? `select invoice_id, as_of, label from (${EXAMPLES_SQL}) qualify row_number() over (order by as_of desc, invoice_id) <= $recent
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
  await buildFeatures(wh, 'select invoice_id, as_of from risk_examples', {}, w.lateDays);
  const m = await readFeatures(wh, true);
  const rows = await wh.all<{ label: number; as_of: string }>(
    `select e.label, e.as_of from risk_features f join risk_examples e using (invoice_id, as_of) order by f.rn`,
  );
  const y = Int8Array.from(rows.map((r) => r.label));
  const issued = rows.map((r) => r.as_of);
  const from = issued.length ? issued.reduce((a, b) => (a < b ? a : b)) : null;
  return { m, y, issued, from };
}

function toRows(m: FeatureMatrix, idx: number[]): number[][] {
  const nf = FEATURES.length;
  return idx.map((i) => Array.from(m.X.subarray(i * nf, (i + 1) * nf)));
}

function medians(m: FeatureMatrix): number[] {
  const nf = FEATURES.length;
  return FEATURES.map((_, j) => {
    const v = Array.from({ length: m.n }, (_, i) => m.X[i * nf + j]).sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)] : 0;
  });
}

export interface TrainOptions {
  lateDays: number;
  /** Training cut-off: only outcomes known by this date, features as of each issue date. */
  trainUntil: string;
  params?: ForestParams;
  /** Skip the holdout model (backtests evaluate separately). */
  skipHoldout?: boolean;
  /** Stops training (a server closing). */
  signal?: AbortSignal;
  /** Grow the forests on a worker thread, leaving this one free (a server training in the background). */
  offThread?: boolean;
}

/**
 * Trains the delinquency model on what was known by `trainUntil`: a deterministic sample of at
 * most 8,000 of the 20,000 most recent examples, a random forest with bounded rows per tree.
 */
export async function trainModel(wh: Warehouse, opts: TrainOptions): Promise<RiskModel> {
  const params = opts.params ?? DEFAULT_FOREST_PARAMS;
  const grow = opts.offThread ? trainForestOffThread : trainForestYielding;
  const { m, y, issued, from } = await loadExamples(wh, {
    lateDays: opts.lateDays,
    issuedBefore: opts.trainUntil,
    knownBy: opts.trainUntil,
    sample: SAMPLE,
  });
  if (m.n < 20) throw new Error(`risk: only ${m.n} invoices with a known outcome before ${opts.trainUntil}; need at least 20 to train`);
  const all = Array.from({ length: m.n }, (_, i) => i);
  let metrics: Evaluation | null = null;
  if (!opts.skipHoldout) {
    const byDate = [...all].sort((a, b) => (issued[a] < issued[b] ? -1 : issued[a] > issued[b] ? 1 : a - b));
    const cut = Math.floor(byDate.length * 0.8);
    const fit = byDate.slice(0, cut);
    const test = byDate.slice(cut);
    // Half the trees: the estimate is a little pessimistic, and training stays within budget.
    const holdout = await grow(toRows(m, fit), fit.map((i) => y[i]), { ...params, nTrees: Math.ceil(params.nTrees / 2) }, opts.signal);
    const ev = evaluator(holdout);
    const p = test.map((i) => ev.predictRow(m.X, i * FEATURES.length));
    metrics = evaluate(p, test.map((i) => y[i]));
  }
  const forest = await grow(toRows(m, all), Array.from(y), params, opts.signal);
  const imp = featureImportance(forest);
  const trainedAt = new Date().toISOString();
  return {
    format: MODEL_FORMAT,
    version: `rf-${trainedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-late${opts.lateDays}`,
    trained_at: trainedAt,
    train_from: from,
    train_until: opts.trainUntil,
    late_days: opts.lateDays,
    n_train: m.n,
    train_late_rate: y.reduce((a, b) => a + b, 0) / m.n,
    features: [...FEATURES],
    params: { ...params, sample_recent: SAMPLE.recent, sample_cap: SAMPLE.cap },
    metrics,
    feature_importance: Object.fromEntries(FEATURES.map((f, j) => [f, Number(imp[j].toFixed(4))])),
    medians: medians(m),
    forest,
  };
}

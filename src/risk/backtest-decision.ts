import type { Warehouse } from '../db/warehouse.ts';
import { dataAsOf } from './as-of.ts';
import { withCustomerRecord } from './customer-record.ts';
import { callListCoverage, type CallListCoverage } from './backtest-decision-calls.ts';
import { summariseDecision, type DecisionScores, type DecisionSummary } from './backtest-decision-metrics.ts';
import { buildFeatures, FEATURES, readFeatures } from './features.ts';
import { storeBacktestFigures } from './backtest-figures.ts';
import { evaluator, type ForestParams } from './forest.ts';
import { prepareSources } from './sources.ts';
import { riskSql } from './sql.ts';
import { learnedFromUndated, predictLate, trainModel, type RiskModel } from './train.ts';

/** Days after each month-end in which newly late amounts count, and that must be observed by the data's date. */
export const DECISION_HORIZON_DAYS = 30;

/** Share of the replayed call list counted as "the first calls". */
export const TOP_CALL_SHARE = 0.2;

export interface DecisionBacktestOptions {
  /** Train on outcomes known before this date; evaluate at every month-end from it. */
  trainUntil: string;
  lateDays?: number;
  /** Forest parameters (tests use small forests). */
  params?: ForestParams;
}

export interface DecisionBacktestResult extends DecisionSummary {
  trainUntil: string;
  knownBy: string;
  lateDays: number;
  model: RiskModel;
  /** Invoices open at the month-ends (one row each in risk_backtest_decision), and those already past the late line. */
  nOpen: number;
  nAlreadyLate: number;
  calls: CallListCoverage;
}

const OPEN_SQL = riskSql('decision_open_invoices.sql');
const LATE_SHARE = FEATURES.indexOf('prior_late_share');
const AVG_DAYS_LATE = FEATURES.indexOf('avg_days_late');

/**
 * The backtest where the collector decides: trains as the issue-date backtest does, then at every
 * month-end from `trainUntil` (whose next 30 days the data has seen) scores the invoices open then,
 * with features as of that month-end. Writes `risk_backtest_decision` (one row per open invoice per
 * month-end) and returns AUC, Brier, reliability and lift beside the same two baselines, per
 * month-end and pooled (the pooled figures also into `risk_backtest_metrics` and `risk_backtest_reliability`),
 * over the invoices whose outcome was still open, plus the replayed call list's coverage.
 *
 * @example
 *   const r = await backtestDecision(wh, { trainUntil: '2025-01-01', lateDays: 30 });
 *   console.log(r.pooled.scorers[0].evaluation.auc, r.calls.pooled);
 */
export async function backtestDecision(wh: Warehouse, opts: DecisionBacktestOptions): Promise<DecisionBacktestResult> {
  const lateDays = opts.lateDays ?? 30;
  const knownBy = await dataAsOf(wh);
  if (opts.trainUntil >= knownBy) throw new Error(`backtest: --train-until must be before the data's date ${knownBy}`);
  // Its models and test sets all read the customers' records: made once for the whole backtest.
  return withCustomerRecord(wh, lateDays, async () => {
    const model = await trainModel(wh, { lateDays, trainUntil: opts.trainUntil, skipHoldout: true, params: opts.params });
    const nOpen = await collectOpenInvoices(wh, opts.trainUntil, knownBy, lateDays, DECISION_HORIZON_DAYS);
    if (nOpen === 0) {
      throw new Error(`backtest: no month-end from ${opts.trainUntil} has open invoices and ${DECISION_HORIZON_DAYS} observed days before ${knownBy}`);
    }
    await scoreOpenInvoices(wh, model, lateDays);
    await writeDecisionTable(wh, model.version, opts.trainUntil, lateDays);
    if (await learnedFromUndated(wh, model)) await scoreWithoutUndated(wh, opts, lateDays);
    const scores = await wh.all<DecisionScores>(
      `select as_of, probability, uncalibrated_probability as raw, actual_late::int as label, baseline_prior_late_share as share, baseline_avg_days_late as days,
         probability_without_undated as dated
       from risk_backtest_decision where not late_at_as_of and actual_late is not null order by as_of, invoice_id`,
    );
    const nAlreadyLate = Number(await wh.scalar('select count(*) from risk_backtest_decision where late_at_as_of'));
    await wh.run('drop table if exists temp.risk_decision_open; drop table if exists temp.risk_decision_scored; drop table if exists temp.risk_decision_dated; drop table if exists temp.risk_features; drop table if exists temp.risk_targets');
    const summary = summariseDecision(scores, model.train_late_rate);
    await storeBacktestFigures(wh, { kind: 'decision', modelVersion: model.version, trainUntil: opts.trainUntil, lateDays, ...summary.pooled });
    return {
      trainUntil: opts.trainUntil,
      knownBy,
      lateDays,
      model,
      nOpen,
      nAlreadyLate,
      ...summary,
      calls: await callListCoverage(wh, TOP_CALL_SHARE),
    };
  });
}

/**
 * Temp table `risk_decision_open`: the invoices open at each month-end from `trainUntil` whose next
 * `horizonDays` days the data has seen, with their outcomes.
 */
export async function collectOpenInvoices(wh: Warehouse, trainUntil: string, knownBy: string, lateDays: number, horizonDays: number): Promise<number> {
  await prepareSources(wh);
  await wh.run(`create or replace temp table risk_decision_open as ${OPEN_SQL}`, {
    train_until: trainUntil,
    known_by: knownBy,
    late_days: lateDays,
    horizon: horizonDays,
  });
  return Number(await wh.scalar('select count(*) from risk_decision_open'));
}

/** Temp table `risk_decision_scored` (rn, probability, uncalibrated_probability, share, days): each open invoice's features as of its month-end, scored. */
export async function scoreOpenInvoices(wh: Warehouse, model: RiskModel, lateDays: number): Promise<void> {
  await buildFeatures(wh, 'select invoice_id, as_of from risk_decision_open order by as_of, invoice_id', {}, lateDays, model.attributes);
  const m = await readFeatures(wh, false, model.attributes.length);
  const p = predictLate(model, m.X, m.n);
  const raw = evaluator(model.forest).predict(m.X, m.n);
  const nf = m.nFeatures;
  await wh.run('create or replace temp table risk_decision_scored (rn integer, probability double, uncalibrated_probability double, share double, days double)');
  const app = await wh.conn.createAppender('risk_decision_scored', 'main', 'temp');
  for (let i = 0; i < m.n; i++) {
    app.appendInteger(i + 1);
    app.appendDouble(p[i]);
    app.appendDouble(raw[i]);
    app.appendDouble(m.X[i * nf + LATE_SHARE]);
    app.appendDouble(m.X[i * nf + AVG_DAYS_LATE]);
    app.endRow();
  }
  app.closeSync();
}

/** Replaces `risk_backtest_decision`, beside `risk_backtest` (which the issue-date backtest keeps). */
async function writeDecisionTable(wh: Warehouse, version: string, trainUntil: string, lateDays: number): Promise<void> {
  await wh.run(
    `create or replace table risk_backtest_decision as
     select o.invoice_id::varchar as invoice_id, o.customer_id::varchar as customer_id, o.as_of, o.due_date, o.days_past_due,
       o.outstanding, s.probability, s.uncalibrated_probability, o.late_at_as_of, o.actual_late,
       s.share as baseline_prior_late_share, s.days as baseline_avg_days_late,
       o.late_within_horizon, o.collected_later,
       -- Filled by scoreWithoutUndated when the model learned from attributes or master fields with no date of their own.
       null::double as probability_without_undated,
       $1::varchar as model_version, $2::date as train_until, $3::integer as late_days
     from risk_decision_open o
     join risk_features f using (invoice_id, as_of)
     join risk_decision_scored s using (rn)
     order by o.as_of, o.invoice_id`,
    [version, trainUntil, lateDays],
  );
}

/**
 * Fills `risk_backtest_decision.probability_without_undated`: the same open invoices scored by a
 * model trained without the attributes that have no date of their own, what the export's snapshot values add.
 */
async function scoreWithoutUndated(wh: Warehouse, opts: DecisionBacktestOptions, lateDays: number): Promise<void> {
  const dated = await trainModel(wh, { lateDays, trainUntil: opts.trainUntil, skipHoldout: true, params: opts.params, undated: false });
  await buildFeatures(wh, 'select invoice_id, as_of from risk_decision_open order by as_of, invoice_id', {}, lateDays, dated.attributes);
  const m = await readFeatures(wh, false, dated.attributes.length);
  const p = predictLate(dated, m.X, m.n);
  await wh.run('create or replace temp table risk_decision_dated (rn integer, probability double)');
  const app = await wh.conn.createAppender('risk_decision_dated', 'main', 'temp');
  for (let i = 0; i < m.n; i++) {
    app.appendInteger(i + 1);
    app.appendDouble(p[i]);
    app.endRow();
  }
  app.closeSync();
  await wh.run(
    `update risk_backtest_decision as d set probability_without_undated = s.probability
     from risk_features as f join risk_decision_dated as s using (rn)
     where d.invoice_id = f.invoice_id and d.as_of = f.as_of`,
  );
}

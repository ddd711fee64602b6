/**
 * Risk model speed: training time for 100k, 1M and 5M-invoice histories (training takes at most the
 * 200,000 most recent known examples, so learning is flat; their features read the customers' record, which
 * the training shares with what follows it and the line times apart) and scoring time for 1,000,000 open
 * invoices, in one run.
 * The histories carry attributes (dim_attributes: two per invoice, one per customer), as a wide export does.
 * Run: `npm run bench -- risk`. Histories are generated in SQL (generate_series) in temp files.
 *
 * Those histories are lean (50 invoices a customer over two years, one payment each, no collection
 * events), so training is also timed on the demo's own shape, 100 invoices a customer over three
 * years with part payments, disputes, promises and about 1.4 contacts per invoice: `cartera generate`
 * (canonical CSV), ingested and built by the real pipeline, at 100k and 1M invoices.
 *
 * Retraining with the feature store is timed a week after a first training: on those histories, whose volume
 * grows with their size (all span two years), and on histories of a million invoices a year (1M, 5M and 10M
 * over 1, 5 and 10 years), where a week adds as many examples whatever the history's length.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linearRegression } from 'simple-statistics';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ingestFiles } from '../../src/ingest/ingest.ts';
import { runBuild } from '../../src/models/index.ts';
import { recordSeconds, withCustomerRecord } from '../../src/risk/customer-record.ts';
import { saveModel } from '../../src/risk/model-store.ts';
import { scoreWarehouse } from '../../src/risk/score.ts';
import { trainModel, type RiskModel } from '../../src/risk/train.ts';
import { createSyntheticHistory } from '../risk/synthetic-history.ts';
import { writeDemoExports } from './demo-shape.ts';

export interface RiskBenchOptions {
  log?: (line: string) => void;
  /** History sizes to train on. */
  trainSizes?: number[];
  /** Open invoices to score. */
  scoreOpen?: number;
  /** Sizes of the histories of a million invoices a year to retrain on a week later. */
  steadySizes?: number[];
  /** Sizes of the demo-shaped histories to train on (generated, ingested and built). */
  demoSizes?: number[];
}

export interface RiskBenchResult {
  /** seconds: the customers' record and the training on it; record: the record alone. */
  train: { invoices: number; seconds: number; record: number; examples: number; auc: number }[];
  /**
   * The same histories a week later, retrained with the feature store a training a week earlier left: seconds in all
   * (the record too), the record's, the examples' features' and the learning's.
   */
  retrain: { invoices: number; seconds: number; record: number; features: number; learn: number; kept: number; computed: number; auc: number }[];
  /** As `retrain`, on histories of a million invoices a year, as many years as millions. */
  steady: RiskBenchResult['retrain'];
  demo: { invoices: number; seconds: number; record: number; examples: number; auc: number }[];
  score: { open: number; seconds: number; cpuSeconds: number; features: number; model: number; write: number; cash: number };
}

const AS_OF = '2024-06-30';

/** CPU seconds (all threads) since `from`: on a shared machine, wall time alone misleads. */
function cpuSeconds(from: NodeJS.CpuUsage): string {
  const d = process.cpuUsage(from);
  return ((d.user + d.system) / 1e6).toFixed(1);
}

async function inTempWarehouse<T>(fn: (wh: Warehouse, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-bench-risk-'));
  const wh = await Warehouse.open(join(dir, 'w.duckdb'));
  try {
    return await fn(wh, dir);
  } finally {
    wh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type TrainFigure = RiskBenchResult['train'][number];
type RetrainFigure = RiskBenchResult['retrain'][number];

/** The line's figures of a model: examples' features (the record they made apart, `record` s) and learning, examples and AUC. */
function trainedLine(m: RiskModel, record: number): string {
  const split = m.train_seconds ? `: examples' features ${(m.train_seconds.examples - record).toFixed(1)} s, learning ${m.train_seconds.learn.toFixed(1)} s` : '';
  return `${split}; ${m.n_train} examples, holdout AUC ${m.metrics?.auc.toFixed(3)}`;
}

interface Timed {
  m: RiskModel;
  /** Wall seconds in all, and the record's part of them. */
  seconds: number;
  record: number;
  cpu: string;
}

/**
 * Trains as a scoring or a backtest does: inside one customers' record, which the examples' features make (from
 * the first example's date) and what follows the training (the scoring, a backtest's test sets) reads;
 * `featureStore` as the warehouse's own model trains. The record's making is timed apart.
 */
async function trainInRecord(wh: Warehouse, trainUntil: string, featureStore: boolean): Promise<Timed> {
  const t = Date.now();
  const cpu = process.cpuUsage();
  const m = await withCustomerRecord(wh, 30, () => trainModel(wh, { lateDays: 30, trainUntil, featureStore }));
  return { m, seconds: (Date.now() - t) / 1000, record: recordSeconds(wh), cpu: cpuSeconds(cpu) };
}

/** One line's figures: wall and CPU seconds, the record apart from the training on it, its split, examples and AUC. */
function timedLine(x: Timed): string {
  const use = x.m.feature_store;
  const counted = use?.attributes_from ? `, attribute outcomes counted from ${use.attributes_from}` : '';
  const store = use ? ` (examples' features: ${use.kept} kept, ${use.computed} computed${counted})` : '';
  return `${x.seconds.toFixed(1)} s wall, ${x.cpu} s CPU (target <= 30 s): the customers' record ${x.record.toFixed(1)} s, training on it ${(x.seconds - x.record).toFixed(1)} s${store}${trainedLine(x.m, x.record)}`;
}

/**
 * Trains on the warehouse `prepare` fills (its time is reported, not counted) inside the customers' record
 * (`trainInRecord`), without the feature store: every example's features computed. With `again`, then trains
 * twice more with the store (`timeUnchangedRetraining`).
 */
async function timeTraining(
  n: number,
  shape: string,
  prepare: (wh: Warehouse, dir: string) => Promise<string>,
  log: (l: string) => void,
  again = false,
): Promise<TrainFigure> {
  return inTempWarehouse(async (wh, dir) => {
    const g = Date.now();
    const asOf = await prepare(wh, dir);
    const made = (Date.now() - g) / 1000;
    const x = await trainInRecord(wh, asOf, false);
    log(`train  ${n.toLocaleString('en-US').padStart(10)} invoices${shape}: ${timedLine(x)}; history made in ${made.toFixed(1)} s`);
    if (again) await timeUnchangedRetraining(wh, n, shape, asOf, log);
    return { invoices: n, seconds: x.seconds, record: x.record, examples: x.m.n_train, auc: x.m.metrics?.auc ?? NaN };
  });
}

/** With the feature store: a training that fills it (untimed), then a retraining on the same history, timed: the store's floor. */
async function timeUnchangedRetraining(wh: Warehouse, n: number, shape: string, asOf: string, log: (l: string) => void): Promise<void> {
  await trainInRecord(wh, asOf, true);
  log(`retrain ${n.toLocaleString('en-US').padStart(9)} invoices${shape}, nothing changed: ${timedLine(await trainInRecord(wh, asOf, true))}`);
}

/** Days between the two trainings of `timeRetraining`: a weekly retraining. */
const WEEK = 7;

/**
 * The history as its exports stood WEEK days before AS_OF: later invoices (with their attributes), payments and
 * settlements taken out, the whole tables kept aside for `weekLater`. Returns that earlier date.
 */
async function weekEarlier(wh: Warehouse): Promise<string> {
  const d = `date '${AS_OF}' - ${WEEK}`;
  await wh.run(`
    create table bench_invoices as select * from fct_invoices;
    create table bench_payments as select * from fct_payments;
    create table bench_attributes as select * from dim_attributes;
    delete from dim_attributes where entity = 'invoice' and entity_id in (select invoice_id from fct_invoices where invoice_date > ${d});
    delete from fct_invoices where invoice_date > ${d};
    update fct_invoices set paid_date = null, status = 'open', outstanding = amount, outstanding_reporting = amount_reporting where paid_date > ${d};
    delete from fct_payments where payment_date > ${d};`);
  return String(await wh.scalar(`select (${d})::varchar`));
}

/** The whole history back: a week's new invoices (with their attributes), payments and settlements. */
async function weekLater(wh: Warehouse): Promise<void> {
  await wh.run(`
    create or replace table fct_invoices as select * from bench_invoices;
    create or replace table fct_payments as select * from bench_payments;
    create or replace table dim_attributes as select * from bench_attributes;
    drop table bench_invoices; drop table bench_payments; drop table bench_attributes;`);
}

/**
 * A weekly retraining with the feature store (`src/risk/feature-store.ts`), as a scoring retrains: on the history as
 * it stood a week earlier (an empty store, which it fills), then on the whole history, which computes the features of
 * the examples the week added and of those after the first day whose facts changed, and reads the rest. Both inside
 * the customers' record (`trainInRecord`), as `cartera score --retrain` runs them.
 */
async function timeRetraining(n: number, log: (l: string) => void, years?: number): Promise<RetrainFigure> {
  return inTempWarehouse(async (wh) => {
    await createSyntheticHistory(wh, n, AS_OF, { attributes: true, ...(years ? { days: Math.round(365 * years) } : {}) });
    const shape = years ? ` over ${years} years` : '';
    const before = await weekEarlier(wh);
    log(`retrain ${n.toLocaleString('en-US').padStart(9)} invoices${shape} a week earlier, empty store: ${timedLine(await trainInRecord(wh, before, true))}`);
    await weekLater(wh);
    const x = await trainInRecord(wh, AS_OF, true);
    log(`retrain ${n.toLocaleString('en-US').padStart(9)} invoices${shape} a week later: ${timedLine(x)}`);
    const use = x.m.feature_store!;
    const { examples, learn } = x.m.train_seconds!;
    return { invoices: n, seconds: x.seconds, record: x.record, features: examples - x.record, learn, kept: use.kept, computed: use.computed, auc: x.m.metrics?.auc ?? NaN };
  });
}

/**
 * How a week-later retraining grows with the history, where a week adds as many examples whatever its length: the
 * least-squares slope of each part's seconds against millions of invoices. Flat is 0.
 */
function growthLine(steady: RetrainFigure[]): string {
  const slope = (y: (f: RetrainFigure) => number) => linearRegression(steady.map((f) => [f.invoices / 1e6, y(f)])).m.toFixed(2);
  const sizes = steady.map((f) => `${f.invoices / 1e6}M`).join(' / ');
  return `growth  a week later over ${sizes} (seconds more per million invoices, least squares): in all ${slope((f) => f.seconds)}, the customers' record ${slope((f) => f.record)}, the examples' features ${slope((f) => f.features)}, learning ${slope((f) => f.learn)}`;
}

/** The bench's lean history, made in SQL. */
async function sqlHistory(wh: Warehouse, n: number): Promise<string> {
  await createSyntheticHistory(wh, n, AS_OF, { attributes: true });
  return AS_OF;
}

/** The demo's shape: `cartera generate` (canonical CSV, 100 invoices a customer), ingested and built. */
async function demoHistory(wh: Warehouse, dir: string, n: number): Promise<string> {
  await ingestFiles(wh, [await writeDemoExports(dir, n)], { strict: false });
  return (await runBuild(wh)).options.asOf;
}

/** Measures training and scoring; prints one line per measure and returns the figures. */
export async function benchRisk(opts: RiskBenchOptions = {}): Promise<RiskBenchResult> {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const open = opts.scoreOpen ?? 1_000_000;
  const sizes = opts.trainSizes ?? [100_000, 1_000_000, 5_000_000];
  const train: TrainFigure[] = [];
  for (const n of sizes) {
    train.push(await timeTraining(n, '', (wh) => sqlHistory(wh, n), log));
  }
  const retrain: RetrainFigure[] = [];
  for (const n of sizes) retrain.push(await timeRetraining(n, log));
  // A business whose volume holds (a million invoices a year) and whose history grows in years: a week adds as many examples.
  const steady: RetrainFigure[] = [];
  for (const n of opts.steadySizes ?? [1_000_000, 5_000_000, 10_000_000]) steady.push(await timeRetraining(n, log, n / 1_000_000));
  if (steady.length > 1) log(growthLine(steady));
  const demo: TrainFigure[] = [];
  for (const n of opts.demoSizes ?? [100_000, 1_000_000]) {
    demo.push(await timeTraining(n, ', demo shape', (wh, dir) => demoHistory(wh, dir, n), log, true));
  }
  const score = await inTempWarehouse(async (wh) => {
    await createSyntheticHistory(wh, 2 * open, AS_OF, { open, attributes: true });
    // Train once outside the timing: the target is scoring alone.
    await saveModel(wh, await trainModel(wh, { lateDays: 30, trainUntil: AS_OF }));
    const cpu = process.cpuUsage();
    const s = await scoreWarehouse(wh, { lateDays: 30 });
    const c = cpuSeconds(cpu);
    const { score: total, features, model, write, cash } = s.seconds;
    log(`score  ${s.scored.toLocaleString('en-US').padStart(10)} open invoices: ${total.toFixed(1)} s wall, ${c} s CPU (target <= 15 s): features ${features.toFixed(1)} s, model + reasons ${model.toFixed(1)} s, writing risk_scores and risk_cash_forecast ${write.toFixed(1)} s (the cash forecast ${cash.toFixed(1)} s)`);
    return { open: s.scored, seconds: total, cpuSeconds: Number(c), features, model, write, cash };
  });
  return { train, retrain, steady, demo, score };
}

import type { Warehouse } from '../db/warehouse.ts';
import { atomically } from './atomically.ts';
import { dataAsOf } from './as-of.ts';
import { buildCallList } from './call-list.ts';
import { writeCashForecast } from './cash-forecast.ts';
import { riskBand } from './bands.ts';
import { withCustomerRecord } from './customer-record.ts';
import { buildFeatures, readFeatures } from './features.ts';
import { evaluator, type ForestParams } from './forest.ts';
import { latestModel, saveModel } from './model-store.ts';
import { REASON_VERDICTS } from '../locale/reasons.ts';
import { REASONS_MIN_PROBABILITY, reasonCodes, topReasons } from './reasons.ts';
import { targetSchema } from './target-schema.ts';
import { predictLate, trainModel, type RiskModel } from './train.ts';

export interface ScoreOptions {
  /** Late = not settled within this many days of the due date (default 30). */
  lateDays?: number;
  /** Train a new model even when a compatible one is stored. */
  retrain?: boolean;
  /** Scoring date; default: the data's as-of date (latest build). */
  asOf?: string;
  /** Forest parameters when training (tests use small forests). */
  params?: ForestParams;
  /** Rebuild `call_list` after scoring (default true), with this many calls per collector per day. */
  callList?: boolean;
  capacity?: number;
  /** The caller holds a transaction open (e.g. the build): write inside it instead of opening one. */
  inTransaction?: boolean;
  /**
   * Schema to write `risk_scores` and `call_list` into (default `main`). The pipeline passes the
   * unpublished schema of the publication being prepared, first on the search path.
   */
  into?: string;
  /** Store a newly trained model in `risk_models` (default true); the pipeline stores it when it publishes. */
  saveModel?: boolean;
  /**
   * Score only these customers' open invoices and keep every other row of the served
   * `main.risk_scores` (after collectors' records, which move only their own customers'
   * features). Everything is scored when the served scores are of another model or date.
   */
  customers?: string[];
}

export interface ScoreSummary {
  asOf: string;
  modelVersion: string;
  trained: boolean;
  /** Open invoices with scores in the new `risk_scores`. */
  scored: number;
  /** Of those, scored now (the rest kept, with `customers`). */
  rescored: number;
  /** Customers on the rebuilt call list (0 when not rebuilt). */
  callListRows: number;
  bands: Record<string, number>;
  /** score = features + model + write (the call list comes after, outside these); write includes cash, the week-by-week `risk_cash_forecast`. */
  seconds: { train: number; score: number; features: number; model: number; write: number; cash: number };
  model: RiskModel;
}

/** The columns of `risk_scores`, in order: kept rows are read by name. */
const SCORE_COLUMNS = 'invoice_id, customer_id, as_of, probability, risk_band, reasons, reason_values, model_version';

/** Invoices open on $as_of: issued by then and not settled by then (written-off debts are not chased). */
const OPEN_TARGETS = `
  select invoice_id, $as_of::date as as_of from risk_src_invoices
  where invoice_date <= $as_of::date and status <> 'written_off'
    and (settled_date is null or settled_date > $as_of::date)`;

/**
 * Scores every open invoice as of the build's date with the active model (training one first
 * when none is stored, or when `retrain`) into a new `risk_scores` (that date's scores only) and
 * their week-by-week cash forecast `risk_cash_forecast`, then rebuilds `call_list`, all in schema `into`. Inside a caller's open transaction, pass
 * `inTransaction: true`.
 *
 * @example
 *   const s = await scoreWarehouse(wh, { lateDays: 30 });
 *   console.log(s.scored, s.bands);
 */
export async function scoreWarehouse(wh: Warehouse, opts: ScoreOptions = {}): Promise<ScoreSummary> {
  const lateDays = opts.lateDays ?? 30;
  const asOf = opts.asOf ?? (await dataAsOf(wh));
  const into = targetSchema(opts.into);
  const t0 = Date.now();
  const stored = opts.retrain ? undefined : await latestModel(wh, lateDays);
  const trained = !stored;
  const modelAndFeatures = async () => {
    const model = stored ?? (await trainModel(wh, { lateDays, trainUntil: asOf, params: opts.params, featureStore: opts.inTransaction ? 'in-transaction' : true }));
    if (trained && opts.saveModel !== false) await saveModel(wh, model);
    const tTrained = Date.now();
    // Kept scores must be the same model's on the same date: the model version names its late-days rule.
    const keep = opts.customers !== undefined && !trained && (await servedScoresAre(wh, model.version, asOf));
    if (keep) await writeCustomerList(wh, opts.customers!);
    await buildFeatures(wh, keep ? `${OPEN_TARGETS} and customer_id in (select customer_id from temp.risk_rescored_customers)` : OPEN_TARGETS, { as_of: asOf }, lateDays, model.attributes);
    return { model, keep, tTrained, m: await readFeatures(wh, false, model.attributes.length) };
  };
  // Training then scoring every open invoice: both read the customers' records, made once for the two.
  const { model, keep, tTrained, m } = trained ? await withCustomerRecord(wh, lateDays, modelAndFeatures) : await modelAndFeatures();
  const trainSeconds = (tTrained - t0) / 1000;
  const tFeatures = Date.now();
  const ev = evaluator(model.forest);
  const p = predictLate(model, m.X, m.n);
  const nf = m.nFeatures;
  const scratch = new Float64Array(nf);

  await wh.run(`create or replace temp table risk_scored (rn integer, probability double, risk_band varchar, reasons varchar, reason_values varchar)`);
  const app = await wh.conn.createAppender('risk_scored', 'main', 'temp');
  const bands: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, E: 0 };
  for (let i = 0; i < m.n; i++) {
    const band = riskBand(p[i]);
    bands[band]++;
    app.appendInteger(i + 1);
    app.appendDouble(p[i]);
    app.appendVarchar(band);
    const r = p[i] >= REASONS_MIN_PROBABILITY ? reasonCodes(topReasons(ev, m.X, i, model.medians, scratch), m.X, i, nf) : { codes: REASON_VERDICTS.low, values: '' };
    app.appendVarchar(r.codes);
    app.appendVarchar(r.values);
    app.endRow();
  }
  app.closeSync();
  const tModel = Date.now();

  let tCash = 0;
  await atomically(wh, opts.inTransaction ?? false, async () => {
    await wh.run(
      `create or replace table ${into}.risk_scores as
       select f.invoice_id::varchar as invoice_id, f.customer_id::varchar as customer_id, f.as_of::date as as_of,
         s.probability, s.risk_band, s.reasons,
         -- Values, not words: they are put into words in each reader's language and formats (src/locale/reasons.ts).
         coalesce(string_split(nullif(s.reason_values, ''), ',')::double[], []::double[]) as reason_values,
         $1::varchar as model_version
       from risk_features f join risk_scored s using (rn)
       ${keep ? `union all select ${SCORE_COLUMNS} from main.risk_scores where customer_id not in (select customer_id from temp.risk_rescored_customers)` : ''}
       order by invoice_id`,
      [model.version],
    );
    tCash = Date.now();
    await writeCashForecast(wh, into, lateDays, model.version);
    tCash = Date.now() - tCash;
  });
  // A million-row feature table held until the connection closes would crowd the call list out of memory.
  await wh.run('drop table if exists temp.risk_scored; drop table if exists temp.risk_features; drop table if exists temp.risk_targets; drop table if exists temp.risk_rescored_customers');
  // Kept rows count too: the summary is of every score the publication serves.
  const scored = keep ? await countBands(wh, into, bands) : m.n;
  const tWrite = Date.now();
  const callListRows = opts.callList === false ? 0 : await buildCallList(wh, { asOf, capacity: opts.capacity, into });
  return {
    asOf,
    modelVersion: model.version,
    trained,
    scored,
    rescored: m.n,
    callListRows,
    bands,
    seconds: {
      train: trainSeconds,
      score: (tWrite - tTrained) / 1000,
      features: (tFeatures - tTrained) / 1000,
      model: (tModel - tFeatures) / 1000,
      write: (tWrite - tModel) / 1000,
      cash: tCash / 1000,
    },
    model,
  };
}

/** Whether `main.risk_scores` holds scores, all of them of this model on this date. */
async function servedScoresAre(wh: Warehouse, modelVersion: string, asOf: string): Promise<boolean> {
  const served = await wh.scalar<number>(`select count(*)::int from duckdb_views() where schema_name = 'main' and view_name = 'risk_scores'`);
  if (!served) return false;
  const r = await wh.one<{ n: number; same: number }>(
    `select count(*)::int as n, count(*) filter (where model_version = $1 and as_of = $2::date)::int as same from main.risk_scores`,
    [modelVersion, asOf],
  );
  return !!r && r.n > 0 && r.n === r.same;
}

/** The customers to score again, as temp table `risk_rescored_customers`. */
async function writeCustomerList(wh: Warehouse, customers: string[]): Promise<void> {
  await wh.run(`create or replace temp table risk_rescored_customers (customer_id varchar)`);
  const app = await wh.conn.createAppender('risk_rescored_customers', 'main', 'temp');
  for (const c of customers) {
    app.appendVarchar(c);
    app.endRow();
  }
  app.closeSync();
}

/** Counts `into.risk_scores` by band into `bands` (replacing what is there); returns the total. */
async function countBands(wh: Warehouse, into: string, bands: Record<string, number>): Promise<number> {
  for (const b of Object.keys(bands)) bands[b] = 0;
  for (const r of await wh.all<{ band: string; n: number }>(`select risk_band as band, count(*)::int as n from ${into}.risk_scores group by 1`)) bands[r.band] = r.n;
  return Object.values(bands).reduce((a, b) => a + b, 0);
}

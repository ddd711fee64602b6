import type { Warehouse } from '../db/warehouse.ts';
import { dataAsOf } from './as-of.ts';
import { withCustomerRecord } from './customer-record.ts';
import { collectOpenInvoices, scoreOpenInvoices } from './backtest-decision.ts';
import { forecastCashByModel } from './cash-forecast.ts';
import type { ForestParams } from './forest.ts';
import { riskSql } from './sql.ts';
import { trainModel, type RiskModel } from './train.ts';

/** Weeks forecast after each month-end, as the CFO page's forecast; all of them must be seen by the data's date. */
export const CASH_WEEKS = 13;

export interface CashBacktestOptions {
  /** Train on outcomes known before this date; forecast at every month-end from it. */
  trainUntil: string;
  lateDays?: number;
  /** Forest parameters (tests use small forests). */
  params?: ForestParams;
}

/** One forecast's errors over the month-ends, for one week after the as-of (or all: week_number null). */
export interface CashErrorRow {
  forecast: 'model' | 'history';
  week_number: number | null;
  cells: number;
  actual_amount: string;
  forecast_amount: string;
  mae: string;
  wape: number | null;
  bias: string;
}

export interface CashBacktestResult {
  trainUntil: string;
  knownBy: string;
  lateDays: number;
  model: RiskModel;
  monthEnds: string[];
  /** Invoice-month-ends open by the decision backtest's rule, and those of them also open in the aging (both forecasts cover these). */
  nOpen: number;
  nCompared: number;
  errors: CashErrorRow[];
}

const ACTUALS_SQL = riskSql('cash_actuals.sql');
const ERRORS_SQL = riskSql('cash_backtest_errors.sql');

/**
 * The cash forecast's backtest: trains as the other backtests do, then at every month-end from
 * `trainUntil` whose next 13 weeks the data has seen, forecasts the collections of the invoices
 * open then week by week, with the model (`cash_forecast_model.sql`, from the scores with features
 * as of that month-end) and with the history-only rule of `agg_cash_forecast` (its macro
 * `cash_forecast_at` at that month-end), and compares both with the payments that came in. Writes
 * `risk_backtest_cash` (one row per month-end per week) and `risk_backtest_cash_errors` (MAE, WAPE
 * and bias per week and forecast).
 *
 * @example
 *   const r = await backtestCash(wh, { trainUntil: '2025-01-01', lateDays: 30 });
 *   console.log(r.errors.filter((e) => e.week_number === null));
 */
export async function backtestCash(wh: Warehouse, opts: CashBacktestOptions): Promise<CashBacktestResult> {
  const lateDays = opts.lateDays ?? 30;
  const knownBy = await dataAsOf(wh);
  if (opts.trainUntil >= knownBy) throw new Error(`backtest: --train-until must be before the data's date ${knownBy}`);
  // Its models and test sets all read the customers' records: made once for the whole backtest.
  return withCustomerRecord(wh, lateDays, async () => {
    const model = await trainModel(wh, { lateDays, trainUntil: opts.trainUntil, skipHoldout: true, params: opts.params });
    const nOpen = await collectOpenInvoices(wh, opts.trainUntil, knownBy, lateDays, CASH_WEEKS * 7);
    if (nOpen === 0) {
      throw new Error(`backtest: no month-end from ${opts.trainUntil} has open invoices and ${CASH_WEEKS} observed weeks before ${knownBy}`);
    }
    await scoreOpenInvoices(wh, model, lateDays);
    await wh.run(`create or replace temp table risk_cash_open as
      select o.as_of, o.invoice_id, o.due_date, o.outstanding, s.probability
      from risk_decision_open o join risk_features f using (invoice_id, as_of) join risk_decision_scored s using (rn)`);
    const monthEnds = (await wh.all<{ as_of: string }>('select distinct as_of from risk_cash_open order by as_of')).map((r) => r.as_of);
    await placeByHistory(wh, monthEnds);
    const nCompared = await keepOpenInBoth(wh);
    await forecastCashByModel(wh, lateDays);
    await wh.run(`create or replace temp table risk_cash_actual as ${ACTUALS_SQL}`);
    await writeCashTables(wh, model.version, opts.trainUntil, lateDays);
    await wh.run(`drop table if exists temp.risk_decision_open; drop table if exists temp.risk_decision_scored; drop table if exists temp.risk_features;
      drop table if exists temp.risk_targets; drop table if exists temp.risk_cash_open; drop table if exists temp.risk_cash_model;
      drop table if exists temp.risk_cash_actual; drop table if exists temp.risk_cash_placed`);
    return {
      trainUntil: opts.trainUntil,
      knownBy,
      lateDays,
      model,
      monthEnds,
      nOpen,
      nCompared,
      errors: await wh.all<CashErrorRow>('select * from risk_backtest_cash_errors'),
    };
  });
}

/** Temp table `risk_cash_placed` (as_of, invoice_id, horizon, week_number, amount): agg_cash_forecast's rule at each month-end. */
async function placeByHistory(wh: Warehouse, monthEnds: string[]): Promise<void> {
  await wh.run('create or replace temp table risk_cash_placed (as_of date, invoice_id varchar, horizon varchar, week_number integer, amount decimal(18,2))');
  for (const asOf of monthEnds) {
    await wh.run(
      `insert into risk_cash_placed select $1::date, invoice_id, horizon, week_number, outstanding_reporting from cash_forecast_at($1::date)`,
      [asOf],
    );
  }
}

/**
 * Both forecasts and the actuals cover the same invoices: those open at the month-end by the
 * decision backtest's rule (which ignores a later write-off) and in the aging then (which knows a
 * write-off or a credit note by its date). Returns how many invoice-month-ends remain.
 */
async function keepOpenInBoth(wh: Warehouse): Promise<number> {
  await wh.run(`delete from risk_cash_open o where not exists (select 1 from risk_cash_placed h where h.as_of = o.as_of and h.invoice_id = o.invoice_id)`);
  await wh.run(`delete from risk_cash_placed h where not exists (select 1 from risk_cash_open o where o.as_of = h.as_of and o.invoice_id = h.invoice_id)`);
  return Number(await wh.scalar('select count(*) from risk_cash_open'));
}

/** Replaces `risk_backtest_cash` (per month-end and week) and `risk_backtest_cash_errors` (its errors). */
async function writeCashTables(wh: Warehouse, version: string, trainUntil: string, lateDays: number): Promise<void> {
  await wh.run(
    `create or replace table risk_backtest_cash as
     select a.as_of, a.week_number, m.week_start, m.week_end, a.actual_amount,
       m.expected_amount as model_amount, coalesce(h.expected_amount, 0)::decimal(18,2) as history_amount,
       $1::varchar as model_version, $2::date as train_until, $3::integer as late_days
     from risk_cash_actual a
     join risk_cash_model m on m.as_of = a.as_of and m.horizon = 'week' and m.week_number = a.week_number
     left join (select as_of, week_number, sum(amount) as expected_amount from risk_cash_placed where horizon = 'week' group by all) h
       on h.as_of = a.as_of and h.week_number = a.week_number
     order by a.as_of, a.week_number`,
    [version, trainUntil, lateDays],
  );
  await wh.run(`create or replace table risk_backtest_cash_errors as ${ERRORS_SQL}`);
}

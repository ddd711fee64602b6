import type { Warehouse } from '../db/warehouse.ts';
import { riskSql } from './sql.ts';
import { targetSchema } from './target-schema.ts';

const MODEL_SQL = riskSql('cash_forecast_model.sql');
const OPEN_SCORED_SQL = riskSql('cash_open_scored.sql');

/**
 * Temp table `risk_cash_model`: the model-based cash forecast of the invoices in temp table
 * `risk_cash_open` (as_of, invoice_id, due_date, outstanding, probability), one row per as-of and
 * forecast row (weeks 1..13, later, never). The rule: `sql/risk/cash_forecast_model.yml`.
 */
export async function forecastCashByModel(wh: Warehouse, lateDays: number): Promise<void> {
  await wh.run(`create or replace temp table risk_cash_model as ${MODEL_SQL}`, { late_days: lateDays });
}

/**
 * Writes `risk_cash_forecast` beside `risk_scores` in schema `into`: the week-by-week forecast of
 * the scored open invoices' balances from their scores. Reads the `risk_src_*` views (prepared by
 * the scoring before it).
 */
export async function writeCashForecast(wh: Warehouse, into: string | undefined, lateDays: number, modelVersion: string): Promise<void> {
  const schema = targetSchema(into);
  await wh.run(`create or replace temp table risk_scored_now as select invoice_id, as_of, probability from ${schema}.risk_scores`);
  await wh.run(`create or replace temp table risk_cash_open as ${OPEN_SCORED_SQL}`);
  await forecastCashByModel(wh, lateDays);
  await wh.run(
    `create or replace table ${schema}.risk_cash_forecast as
     select as_of, horizon, week_number, week_start, week_end, expected_amount, $1::varchar as model_version, $2::integer as late_days
     from risk_cash_model order by horizon = 'never', horizon = 'later', week_number`,
    [modelVersion, lateDays],
  );
  await wh.run('drop table if exists temp.risk_scored_now; drop table if exists temp.risk_cash_open; drop table if exists temp.risk_cash_model');
}

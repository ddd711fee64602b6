import type { Warehouse } from '../db/warehouse.ts';
import { FEATURES } from './features.ts';
import { MODEL_FORMAT, type RiskModel } from './train.ts';

const DDL = `create table if not exists risk_models (
  model_version varchar primary key,
  trained_at timestamp not null,
  train_from date,
  train_until date not null,
  late_days integer not null,
  n_train integer not null,
  features json not null,
  params json not null,
  metrics json,
  feature_importance json,
  artefact json not null
)`;

/** Stores a trained model; the newest row becomes the active one. */
export async function saveModel(wh: Warehouse, model: RiskModel): Promise<void> {
  await wh.run(DDL);
  await wh.run(
    `insert or replace into risk_models values ($1, $2::timestamp, $3::date, $4::date, $5, $6, $7::json, $8::json, $9::json, $10::json, $11::json)`,
    [
      model.version,
      model.trained_at.replace('T', ' ').replace('Z', ''),
      model.train_from,
      model.train_until,
      model.late_days,
      model.n_train,
      JSON.stringify(model.features),
      JSON.stringify(model.params),
      JSON.stringify(model.metrics),
      JSON.stringify(model.feature_importance),
      JSON.stringify(model),
    ],
  );
}

/**
 * The newest stored model trained for `lateDays` on the current feature list (FEATURES, then
 * whatever attribute features it chose: it carries their definitions), or undefined. A model
 * trained on other features or another lateness rule is not compatible.
 */
export async function latestModel(wh: Warehouse, lateDays: number): Promise<RiskModel | undefined> {
  if (!(await wh.tableExists('risk_models'))) return undefined;
  const rows = await wh.all<{ artefact: string }>(
    `select artefact::varchar as artefact from risk_models
     where late_days = $1 and to_json(list_slice(from_json(features, '["varchar"]'), 1, $3))::varchar = $2
     order by trained_at desc, model_version desc limit 1`,
    [lateDays, JSON.stringify([...FEATURES]), FEATURES.length],
  );
  if (!rows.length) return undefined;
  const model = JSON.parse(rows[0].artefact) as RiskModel;
  return model.format === MODEL_FORMAT ? model : undefined;
}

import type { Warehouse } from '../db/warehouse.ts';
import type { BuildOptions } from './build-options.ts';
import type { ModelTiming } from './run-build.ts';

/** Creates `builds` (one row per successful build) if missing. */
export async function ensureBuildsTable(wh: Warehouse): Promise<void> {
  await wh.run('create sequence if not exists builds_seq start 1');
  await wh.run(`create table if not exists builds (
    build_id BIGINT PRIMARY KEY,
    as_of DATE NOT NULL,
    options JSON NOT NULL,
    started TIMESTAMP NOT NULL,
    finished TIMESTAMP NOT NULL,
    seconds DOUBLE NOT NULL,
    models JSON
  )`);
}

/** Inserts this build's row and returns its id. */
export async function recordBuild(
  wh: Warehouse,
  b: { options: BuildOptions; models: ModelTiming[]; started: Date; seconds: number },
): Promise<number> {
  await ensureBuildsTable(wh);
  const id = await wh.scalar<string>(
    `insert into builds
     values (nextval('builds_seq'), $1::date, $2::json, $3::timestamp, $4::timestamp, $5, $6::json)
     returning build_id`,
    [
      b.options.asOf,
      JSON.stringify(b.options),
      b.started.toISOString().replace('T', ' ').replace('Z', ''),
      new Date().toISOString().replace('T', ' ').replace('Z', ''),
      b.seconds,
      JSON.stringify(b.models.map(({ name, seconds, rows }) => ({ name, seconds: Number(seconds.toFixed(3)), rows }))),
    ],
  );
  return Number(id);
}

import type { Warehouse } from '../db/warehouse.ts';
import type { BuildOptions, BuildOptionsInput } from './build-options.ts';
import type { ModelTiming } from './run-build.ts';

/**
 * `builds`: one row per publication, the newest (highest build_id) being the one served. A row is
 * written only inside the transaction that publishes, so its id names what readers see.
 */
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
  // Added with publications that carry their scores; warehouses from before gain them here.
  for (const [name, type] of PUBLICATION_COLUMNS) await wh.run(`alter table builds add column if not exists ${name} ${type}`);
}

const PUBLICATION_COLUMNS: [string, string][] = [
  ['kind', 'VARCHAR'],
  ['requested', 'JSON'],
  ['late_days', 'INTEGER'],
  ['model_version', 'VARCHAR'],
  ['scored', 'BIGINT'],
  ['call_list_rows', 'BIGINT'],
];

/** What a publication records beyond its build. */
export interface PublicationRecord {
  /** 'build' (models, with scores when a model is stored), 'score' (the same build re-scored) or 'records' (the models that read collectors' records, rebuilt beside the rest). */
  kind: 'build' | 'score' | 'records';
  options: BuildOptions;
  /** What was asked for (not what was resolved from the data): the next refresh keeps it. */
  requested: PublicationRequest;
  models: ModelTiming[] | null;
  started: Date;
  seconds: number;
  lateDays: number | null;
  modelVersion: string | null;
  scored: number | null;
  callListRows: number | null;
}

/** The options that define a publication, as asked for; absent ones are resolved from the data. */
export interface PublicationRequest extends BuildOptionsInput {
  lateDays?: number;
}

const ts = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/** Inserts a publication's row and returns its id; run inside the publishing transaction, after `ensureBuildsTable`. */
export async function recordBuild(
  wh: Warehouse,
  b: Pick<PublicationRecord, 'kind' | 'options' | 'started' | 'seconds'> & Partial<PublicationRecord>,
): Promise<number> {
  const id = await wh.scalar<string>(
    `insert into builds (build_id, as_of, options, started, finished, seconds, models, kind, requested, late_days, model_version, scored, call_list_rows)
     values (nextval('builds_seq'), $1::date, $2::json, $3::timestamp, $4::timestamp, $5, $6::json, $7, $8::json, $9, $10, $11, $12)
     returning build_id`,
    [
      b.options.asOf,
      JSON.stringify(b.options),
      ts(b.started),
      ts(new Date()),
      b.seconds,
      b.models ? JSON.stringify(b.models.map(({ name, seconds, rows }) => ({ name, seconds: Number(seconds.toFixed(3)), rows }))) : null,
      b.kind,
      JSON.stringify(b.requested ?? {}),
      b.lateDays ?? null,
      b.modelVersion ?? null,
      b.scored ?? null,
      b.callListRows ?? null,
    ],
  );
  return Number(id);
}

/** The publication being served: its row of `builds`, or undefined before the first build. */
export async function currentPublication(wh: Warehouse): Promise<(Omit<PublicationRecord, 'started' | 'models'> & { buildId: number }) | undefined> {
  if (!(await wh.tableExists('builds'))) return undefined;
  // Every column, so a warehouse from before the publication columns still reads (they are then absent).
  const r = await wh.one<Record<string, unknown>>(`select * from builds order by build_id desc limit 1`);
  if (!r) return undefined;
  const json = <T>(v: unknown, fallback: T): T => (v === null || v === undefined ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    buildId: Number(r.build_id),
    kind: (r.kind ?? 'build') as PublicationRecord['kind'],
    options: json<BuildOptions>(r.options, {} as BuildOptions),
    requested: json<PublicationRequest>(r.requested, {}),
    seconds: Number(r.seconds),
    lateDays: num(r.late_days),
    modelVersion: typeof r.model_version === 'string' ? r.model_version : null,
    scored: num(r.scored),
    callListRows: num(r.call_list_rows),
  };
}

import type { Warehouse } from '../db/warehouse.ts';

/** One refresh as `refresh_runs` keeps it: what triggered it, how long it took, what it loaded, how it ended. */
export interface RefreshRun {
  trigger: string;
  started: Date;
  seconds: number;
  status: 'published' | 'unchanged' | 'failed';
  buildId: number | null;
  filesLoaded: number;
  rowsLoaded: number;
  rowsRejected: number;
  error: string | null;
  /** The error in Spanish, when it has words of its own in Spanish (`RefreshError.es`); else null. */
  errorEs: string | null;
  /** The step that was running when it failed (null: before any, or it did not fail). */
  failedStep: string | null;
  steps: { step: string; seconds: number }[];
}

/** Creates `refresh_runs` (one row per refresh that ended, published or failed) if missing. */
export async function ensureRunsTable(wh: Warehouse): Promise<void> {
  await wh.run('create sequence if not exists refresh_runs_seq start 1');
  await wh.run(`create table if not exists refresh_runs (
    run_id BIGINT PRIMARY KEY,
    trigger VARCHAR NOT NULL,
    started TIMESTAMP NOT NULL,
    finished TIMESTAMP NOT NULL,
    seconds DOUBLE NOT NULL,
    status VARCHAR NOT NULL,
    build_id BIGINT,
    files_loaded INTEGER NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    error VARCHAR,
    steps JSON NOT NULL,
    error_es VARCHAR,
    failed_step VARCHAR
  )`);
  // Made before these columns were. Altered only then: the check runs inside publishing transactions too.
  const columns = await wh.columns('refresh_runs');
  for (const c of ['error_es', 'failed_step']) if (!columns.includes(c)) await wh.run(`alter table refresh_runs add column ${c} VARCHAR`);
}

const ts = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/** Records a run (inside the publishing transaction when it published; on its own when it failed). */
export async function recordRun(wh: Warehouse, r: RefreshRun): Promise<void> {
  await ensureRunsTable(wh);
  await wh.run(
    `insert into refresh_runs (run_id, trigger, started, finished, seconds, status, build_id, files_loaded, rows_loaded, rows_rejected, error, steps, error_es, failed_step)
     values (nextval('refresh_runs_seq'), $1, $2::timestamp, $3::timestamp, $4, $5, $6, $7, $8, $9, $10, $11::json, $12, $13)`,
    [
      r.trigger,
      ts(r.started),
      ts(new Date()),
      Number(r.seconds.toFixed(3)),
      r.status,
      r.buildId,
      r.filesLoaded,
      r.rowsLoaded,
      r.rowsRejected,
      r.error,
      JSON.stringify(r.steps.map((s) => ({ step: s.step, seconds: Number(s.seconds.toFixed(3)) }))),
      r.errorEs,
      r.failedStep,
    ],
  );
}

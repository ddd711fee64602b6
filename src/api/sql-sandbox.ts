import type { DuckDBValue } from '@duckdb/node-api';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { readCapped, TimeLimitError, type Truncation } from './capped-rows.ts';
import type { ApiContext } from './context.ts';
import { ApiError } from './problem.ts';
import type { Principal } from './roles.ts';
import { checkQuery, explainText, sqlError } from './sql-guard.ts';
import type { TableLike } from './tabular.ts';

/** What an analyst asks to run. */
export interface AnalystQuery {
  sql: string;
  params: DuckDBValue[];
  /** Run EXPLAIN (the plan) or EXPLAIN ANALYZE (run and time each step) of the query instead. */
  explain?: 'plan' | 'analyze';
  /** Most rows to return (JSON answers and downloads have different caps). */
  rowCap: number;
}

/** What an analyst query returned, before it is written out. */
export interface SandboxResult {
  table: TableLike;
  rowCount: number;
  truncation: Truncation;
  elapsedMs: number;
}

type Status = 'ok' | 'rejected' | 'error' | 'timeout';

/**
 * Runs analyst SQL and writes its answer with `render`, all within the time limit: checking,
 * running, reading and writing out. The query runs on a connection to the analysts' database
 * (`AnalystDatabase`: the published marts and nothing else, no file or network access), after
 * `checkQuery` has accepted DuckDB's parse and plan of its exact text, inside a READ ONLY
 * transaction. DuckDB is interrupted at the deadline; a result or its rendering that ends past it
 * answers 408 too. Rows are capped by count and by size, and a cut result says so. Every
 * attempt, refused ones included, is written to `sql_audit` (in the warehouse, out of reach).
 */
export async function runAnalystSql<T>(
  api: ApiContext,
  who: Principal,
  q: AnalystQuery,
  render: (r: SandboxResult) => Promise<T>,
): Promise<T> {
  const started = performance.now();
  // The first query after a refresh waits for the marts to be copied; its time limit starts after.
  const lease = await api.analyst.connect(api.build.buildId);
  const conn = lease.conn;
  const t0 = performance.now();
  const deadline = t0 + api.sqlTimeoutMs;
  const audit = (status: Status, rows: number | null, error: string | null) =>
    api.audit.record({ tokenId: who.tokenId, principal: who.name, role: who.role, sql: q.sql, params: q.params, durationMs: performance.now() - started, rows, status, error });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
  }, api.sqlTimeoutMs);
  try {
    const checked = await checkQuery(conn, q.sql);
    const statement = q.explain ? await conn.prepare(await explainText(conn, q.sql, q.explain)).catch((err: Error) => Promise.reject(sqlError(err))) : checked.prepared;
    if (statement.parameterCount !== q.params.length) {
      throw new ApiError(400, 'Bad request', `the query has ${statement.parameterCount} parameter(s); 'params' has ${q.params.length}`);
    }
    if (q.params.length) statement.bind(q.params);
    await conn.run('begin transaction read only');
    const read = await readCapped(await statement.stream(), { rows: q.rowCap, bytes: api.sqlByteCap, deadline });
    const out = await render({ ...read, elapsedMs: Math.round(performance.now() - t0) });
    if (performance.now() > deadline) throw new TimeLimitError('time limit reached while writing the result');
    await audit('ok', read.rowCount, null);
    return out;
  } catch (err) {
    if (timedOut || err instanceof TimeLimitError) {
      await audit('timeout', null, (err as Error).message);
      throw new ApiError(408, 'Query timed out', {
        en: `the query ran longer than ${api.sqlTimeoutMs} ms and was stopped; narrow it or aggregate first`,
        es: `la consulta tardó más de ${api.sqlTimeoutMs} ms y se detuvo; acótela o agregue antes`,
      });
    }
    const e = err instanceof ApiError ? err : sqlError(err as Error);
    const scrub = (m: string) => scrubPaths(m, [api.analyst.dir, dirname(api.wh.path), homedir()]);
    await audit(e.status === 403 ? 'rejected' : 'error', null, scrub(e.detail));
    throw new ApiError(e.status, e.title, typeof e.said === 'string' ? scrub(e.said) : { en: scrub(e.said.en), es: scrub(e.said.es) });
  } finally {
    clearTimeout(timer);
    lease.release();
  }
}

/** Hides the server's own folders in a message DuckDB wrote (a spill or catalog error may name them). */
function scrubPaths(message: string, paths: string[]): string {
  let out = message;
  for (const p of paths.filter((x) => x.length > 1).sort((a, b) => b.length - a.length)) out = out.split(p).join('…');
  return out;
}

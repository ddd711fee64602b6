import { StatementType, type DuckDBValue } from '@duckdb/node-api';
import type { ApiContext } from './context.ts';
import { ApiError } from './problem.ts';
import type { Principal } from './roles.ts';
import { guardQuery } from './sql-guard.ts';
import { firstRows, type TableLike } from './tabular.ts';

/** What an analyst query returned. */
export interface SandboxResult {
  table: TableLike;
  rowCount: number;
  truncated: boolean;
  elapsedMs: number;
}

/**
 * Runs analyst SQL in the sandbox: one read statement (see `guardQuery`), bound parameters,
 * inside a READ ONLY transaction that is always rolled back, on a connection of its own that
 * is interrupted after the time limit, with at most `api.sqlRowCap` rows returned. The instance
 * itself is locked down (no file or network access, configuration frozen). Every attempt,
 * refused ones included, is written to `sql_audit`.
 */
export async function runAnalystSql(api: ApiContext, who: Principal, sql: string, params: DuckDBValue[] = []): Promise<SandboxResult> {
  const t0 = performance.now();
  const conn = await api.wh.instance.connect();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
  }, api.sqlTimeoutMs);
  const audit = (status: 'ok' | 'rejected' | 'error' | 'timeout', rows: number | null, error: string | null) =>
    api.audit.record({
      tokenId: who.tokenId,
      principal: who.name,
      role: who.role,
      sql,
      params,
      durationMs: performance.now() - t0,
      rows,
      status,
      error,
    });
  try {
    await guardQuery(conn, sql, { admin: who.role === 'admin' });
    await conn.run('begin transaction read only');
    try {
      const prepared = await conn.prepare(sql).catch((err: Error) => {
        throw new ApiError(400, 'SQL error', err.message);
      });
      if (prepared.statementType !== StatementType.SELECT && prepared.statementType !== StatementType.EXPLAIN) {
        throw new ApiError(403, 'Query not allowed', `only read queries may run here (this is ${StatementType[prepared.statementType]})`);
      }
      if (prepared.parameterCount !== params.length) {
        throw new ApiError(400, 'Bad request', `the query has ${prepared.parameterCount} parameter(s); 'params' has ${params.length}`);
      }
      if (params.length) prepared.bind(params);
      const reader = await prepared.streamAndReadUntil(api.sqlRowCap + 1);
      const truncated = reader.currentRowCount > api.sqlRowCap;
      const table = firstRows(reader, api.sqlRowCap);
      const rowCount = Math.min(reader.currentRowCount, api.sqlRowCap);
      const elapsedMs = Math.round(performance.now() - t0);
      await audit('ok', rowCount, null);
      return { table, rowCount, truncated, elapsedMs };
    } finally {
      await conn.run('rollback').catch(() => {});
    }
  } catch (err) {
    if (timedOut) {
      await audit('timeout', null, (err as Error).message);
      throw new ApiError(408, 'Query timed out', `the query ran longer than ${api.sqlTimeoutMs} ms and was stopped; narrow it or aggregate first`);
    }
    if (err instanceof ApiError) {
      await audit(err.status === 403 ? 'rejected' : 'error', null, err.detail);
      throw err;
    }
    const message = (err as Error).message;
    await audit('error', null, message);
    throw new ApiError(400, 'SQL error', message);
  } finally {
    clearTimeout(timer);
    conn.closeSync();
  }
}

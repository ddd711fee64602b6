import type { DuckDBConnection } from '@duckdb/node-api';
import type { Warehouse } from '../db/warehouse.ts';
import { UTC_NOW } from './schema.ts';

/** One analyst query as `sql_audit` keeps it. */
export interface AuditEntry {
  tokenId: string | null;
  principal: string | null;
  role: string | null;
  sql: string;
  params: unknown[] | undefined;
  durationMs: number;
  rows: number | null;
  status: 'ok' | 'rejected' | 'error' | 'timeout';
  error: string | null;
}

/**
 * Writes `sql_audit` rows on a connection of its own, one at a time, so auditing never joins a
 * refresh transaction nor waits for one.
 */
export class SqlAudit {
  private conn: Promise<DuckDBConnection>;
  private queue: Promise<void> = Promise.resolve();

  constructor(wh: Warehouse) {
    this.conn = wh.instance.connect();
  }

  /** Records an entry; resolves when it is written. Audit failures are reported, never thrown at the caller. */
  record(e: AuditEntry): Promise<void> {
    this.queue = this.queue.then(async () => {
      const conn = await this.conn;
      await conn
        .run(
          `insert into sql_audit (queried_at, token_id, principal, role, sql, params, duration_ms, rows, status, error)
           values (${UTC_NOW}, $1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            e.tokenId,
            e.principal,
            e.role,
            e.sql,
            e.params === undefined ? null : JSON.stringify(e.params),
            Math.round(e.durationMs),
            e.rows,
            e.status,
            e.error,
          ],
        )
        .catch((err: Error) => process.stderr.write(`sql_audit: ${err.message}\n`));
    });
    return this.queue;
  }

  close(): void {
    void this.conn.then((c) => c.closeSync());
  }
}

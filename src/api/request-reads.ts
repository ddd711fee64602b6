import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import type { Params, Row } from '../db/warehouse.ts';
import { readBuildInfo, type BuildInfo } from './build-state.ts';
import type { ApiContext } from './context.ts';

type Read = (sql: string, params?: Params) => Promise<DuckDBResultReader>;

/**
 * Every read of one request, in one read-only transaction on a pooled connection: all of a
 * response (marts, scores, call list, the as-of it defaults to, its ETag) comes from one
 * publication, old or new, even when a refresh publishes in the middle of it. The transaction
 * starts at the first read and ends with the request (`close`).
 */
export class RequestReads {
  private session?: Promise<{ conn: DuckDBConnection; release: (healthy: boolean) => void; build: BuildInfo }>;
  private failed = false;

  constructor(private readonly api: ApiContext) {}

  /** One bound query, in this request's snapshot. */
  async result(sql: string, params?: Params): Promise<DuckDBResultReader> {
    const { conn } = await this.open();
    try {
      return await conn.runAndReadAll(sql, params as never);
    } catch (err) {
      this.failed = true;
      throw err;
    }
  }

  /** Rows as JSON-safe objects, in this request's snapshot. */
  async rows<T = Row>(sql: string, params?: Params): Promise<T[]> {
    return (await this.result(sql, params)).getRowObjectsJson() as T[];
  }

  /** Runs `fn` with this request's reads (all of a request's reads already share one snapshot). */
  async snapshot<T>(fn: (read: Read) => Promise<T>): Promise<T> {
    return fn((sql, params) => this.result(sql, params));
  }

  /** The publication this request reads: its id, as-of, reporting currency and relations. */
  async publication(): Promise<BuildInfo> {
    return (await this.open()).build;
  }

  /** The tag of what this request read, or undefined when it read nothing. */
  async tag(): Promise<string | undefined> {
    if (!this.session) return undefined;
    return this.api.tagOf((await this.session).build.buildId);
  }

  /** Ends the transaction and returns the connection. */
  async close(): Promise<void> {
    if (!this.session) return;
    const s = await this.session.catch(() => undefined);
    if (!s) return;
    let healthy = !this.failed;
    await s.conn.run('rollback').catch(() => (healthy = false));
    s.release(healthy);
  }

  private open() {
    this.session ??= (async () => {
      const lease = await this.api.reads.acquire();
      try {
        await lease.conn.run('begin transaction read only');
        const read = async (sql: string, params?: Params) => (await lease.conn.runAndReadAll(sql, params as never)).getRowObjectsJson() as Row[];
        const id = await currentBuildId(read);
        // Build info is read once per publication and shared; a request that sees another one reads its own.
        const build = this.api.build && id === this.api.build.buildId ? this.api.build : await readBuildInfo(read);
        return { ...lease, build };
      } catch (err) {
        lease.release(false);
        throw err;
      }
    })();
    return this.session;
  }
}

/** The id of the publication a snapshot sees (the newest `builds` row), or null before the first build. */
async function currentBuildId(read: (sql: string) => Promise<Row[]>): Promise<string | null> {
  const has = await read(`select 1 from duckdb_tables() where schema_name = 'main' and table_name = 'builds'`);
  if (!has.length) return null;
  const r = await read(`select max(build_id)::varchar as id from builds`);
  return (r[0]?.id as string | null) ?? null;
}

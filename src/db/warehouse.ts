import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import os from 'node:os';
import type { DuckDBConnection, DuckDBInstance, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import { duckdb } from './duckdb.ts';
import { InputError, NoWarehouseError } from './errors.ts';
import { heldWarehouse } from './held.ts';

export { DEFAULT_DB, resolveDbPath } from './path.ts';
export { holdWarehouse, type WarehouseHolder } from './held.ts';

export type Row = Record<string, unknown>;
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

/**
 * Memory limit for DuckDB: a share of the machine so big loads spill to disk instead of
 * dying. `CARTERA_MEMORY_LIMIT` (any DuckDB size, e.g. '2GB') overrides it.
 */
export function memoryLimit(): string {
  if (process.env.CARTERA_MEMORY_LIMIT) return process.env.CARTERA_MEMORY_LIMIT;
  const gib = Math.max(1, Math.floor((os.totalmem() / 2 ** 30) * 0.1));
  return `${Math.min(gib, 2)}GB`;
}

/**
 * Memory limit while building models: half the machine. At 10M invoices the 2 GB of
 * `memoryLimit` made DuckDB spill the build's large joins and windows to disk (fct_invoices 35 s
 * instead of a few). `CARTERA_MEMORY_LIMIT` overrides it too.
 */
export function buildMemoryLimit(): string {
  if (process.env.CARTERA_MEMORY_LIMIT) return process.env.CARTERA_MEMORY_LIMIT;
  return `${Math.max(1, Math.floor((os.totalmem() / 2 ** 30) * 0.5))}GB`;
}

/** `CARTERA_TRACE_SQL=1` prints each statement's wall time to stderr (for profiling loads and builds); `=full` prints whole statements. */
const trace = !!process.env.CARTERA_TRACE_SQL;
function traceLine(sql: string, t0: number): void {
  const ms = performance.now() - t0;
  process.stderr.write(`[sql ${ms.toFixed(0).padStart(6)} ms] ${process.env.CARTERA_TRACE_SQL === 'full' ? sql : sql.replace(/\s+/g, ' ').slice(0, 160)}\n`);
}

export interface OpenOptions {
  readOnly?: boolean;
  /** Extra DuckDB settings applied at open time (e.g. enable_external_access). */
  config?: Record<string, string>;
}

/**
 * A DuckDB warehouse file and one connection to it, with JSON-safe readers.
 *
 * @example
 *   const wh = await Warehouse.open('data/warehouse.duckdb');
 *   const rows = await wh.all('select * from fct_invoices where customer_id = $1', ['C001']);
 */
export class Warehouse {
  private constructor(
    readonly path: string,
    readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    /** False for a second connection (`connect`): closing it leaves the database open. */
    private readonly ownsInstance = true,
  ) {}

  static async open(path: string, opts: OpenOptions = {}): Promise<Warehouse> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const config: Record<string, string> = {
      memory_limit: memoryLimit(),
      // Always the sort-merge ASOF join: below a size estimate DuckDB switches to a nested loop
      // (34 s instead of 0.3 s for the cash forecast at 1M invoices when the estimate was off),
      // and the two strategies differ on NULL keys, so small test fixtures must run the same one.
      asof_loop_join_threshold: '0',
      ...(opts.readOnly ? { access_mode: 'READ_ONLY' } : {}),
      ...opts.config,
    };
    const instance = await duckdb.DuckDBInstance.create(path, config).catch((err: Error) => {
      throw /not a valid DuckDB database file/.test(err.message) ? new InputError(`${path} is not a DuckDB warehouse: check --db`) : err;
    });
    const conn = await instance.connect();
    return new Warehouse(path, instance, conn);
  }

  /** Runs a statement (or several, without parameters) and discards the result. */
  async run(sql: string, params?: Params): Promise<void> {
    const t0 = trace ? performance.now() : 0;
    await this.conn.run(sql, params as never);
    if (trace) traceLine(sql, t0);
  }

  /** Rows as plain JSON-safe objects (DECIMAL and BIGINT as strings, dates as ISO text). */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const t0 = trace ? performance.now() : 0;
    const r = await this.conn.runAndReadAll(sql, params as never);
    if (trace) traceLine(sql, t0);
    return r.getRowObjectsJson() as T[];
  }

  /** First row or undefined. */
  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** First column of the first row. */
  async scalar<T = unknown>(sql: string, params?: Params): Promise<T | undefined> {
    const t0 = trace ? performance.now() : 0;
    const r = await this.conn.runAndReadAll(sql, params as never);
    if (trace) traceLine(sql, t0);
    const rows = r.getRowsJson();
    return rows.length ? (rows[0][0] as T) : undefined;
  }

  /** The full materialized result, for writers that need column types. */
  async result(sql: string, params?: Params): Promise<DuckDBResultReader> {
    return this.conn.runAndReadAll(sql, params as never);
  }

  /**
   * Runs `fn` inside one transaction: all of it or none of it.
   *
   * `bulk` is for loads that insert many rows and then touch them (number their lines, flag the
   * rejected ones). By default DuckDB writes a big insert's row groups to the file as they come
   * (its "optimistic write"), and any later update in the same transaction makes the commit write
   * them all again (numbering the lines of 10M invoices cost 3.5 s at the commit).
   * In bulk mode the rows stay in DuckDB's buffers (spilling to its temp directory past the memory
   * limit) until the commit, which then writes them once, straight into the database file by a
   * checkpoint rather than first into the write-ahead log. A killed process still leaves the file
   * as it was: a checkpoint only takes effect when its last header write lands. Where the
   * configuration is locked (the API server's warehouse), loads run in the default mode.
   */
  async transaction<T>(fn: () => Promise<T>, opts: { bulk?: boolean } = {}): Promise<T> {
    const bulk = opts.bulk === true && (await this.scalar<boolean>(`select current_setting('lock_configuration')`)) === false;
    if (bulk) await this.conn.run('set enable_optimistic_write = false');
    await this.conn.run('begin transaction');
    try {
      const out = await fn();
      // DuckDB checkpoints at a commit when the WAL would pass this size; a large enough commit then
      // skips the WAL (auto_checkpoint_skip_wal_threshold). Its estimate of a commit of rows held in
      // memory is far below their size, so the threshold is lowered for this one commit.
      if (bulk) await this.conn.run(`set checkpoint_threshold = '0 bytes'`);
      await this.run('commit');
      return out;
    } catch (err) {
      await this.conn.run('rollback').catch(() => {});
      throw err;
    } finally {
      if (bulk) await this.conn.run('reset enable_optimistic_write; reset checkpoint_threshold');
    }
  }

  /** The columns of table `name` in the schema main of this database, in order (none when it does not exist). */
  async columns(name: string): Promise<string[]> {
    const rows = await this.all<{ c: string }>(
      `select column_name as c from duckdb_columns() where database_name = current_database() and schema_name = 'main'
         and table_name = $1 order by column_index`,
      [name],
    );
    return rows.map((r) => r.c);
  }

  async tableExists(name: string): Promise<boolean> {
    const n = await this.scalar<number>(
      `select count(*)::int from duckdb_tables() where table_name = $1 and not temporary
       union all select 0 limit 1`,
      [name],
    );
    if (n) return true;
    const v = await this.scalar<number>(
      `select count(*)::int from duckdb_views() where view_name = $1 and not internal`,
      [name],
    );
    return (v ?? 0) > 0;
  }

  /**
   * Another connection to the same open database, for work that runs beside this one's: its
   * statements never join a transaction open here, and its temp tables are its own. Close it
   * before the warehouse.
   */
  async connect(): Promise<Warehouse> {
    return new Warehouse(this.path, this.instance, await this.instance.connect(), false);
  }

  close(): void {
    this.conn.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

/**
 * Opens the warehouse, runs `fn`, and always closes it (or runs `fn` on it where this process holds
 * it). A file that is not there is an error, not a new empty warehouse: a mistyped `--db` must
 * not quietly start one. Only the commands that load data pass `create: true`.
 */
export async function withWarehouse<T>(
  path: string,
  fn: (wh: Warehouse) => Promise<T>,
  opts: OpenOptions & { create?: boolean } = {},
): Promise<T> {
  const holder = heldWarehouse(path);
  if (holder) return holder(fn);
  if (!opts.create && path !== ':memory:' && !existsSync(path)) throw new NoWarehouseError(path);
  const wh = await Warehouse.open(path, opts);
  try {
    return await fn(wh);
  } finally {
    wh.close();
  }
}

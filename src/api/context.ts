import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Warehouse } from '../db/warehouse.ts';
import { readBuildInfo, type BuildInfo } from './build-state.ts';
import { dropOrphanSchemas } from '../models/publish.ts';
import { lockDown } from './lockdown.ts';
import { ApiError } from './problem.ts';
import { ReadPool } from './read-pool.ts';
import { ResponseCache } from './response-cache.ts';
import { ensureApiSchema } from './schema.ts';
import { KeyRing } from './tokens.ts';
import { SqlAudit } from './sql-audit.ts';

/** Scores or builds may change between two runs of the server under the same build id: tags never outlive a process. */
const STARTED = Date.now().toString(36);

export interface ApiOptions {
  /** Where uploaded exports are saved (the only folder analyst-free ingestion may read). */
  uploadDir?: string;
  /** The export folder `POST /api/admin/refresh` ingests. */
  exportDir?: string;
  /** Analyst SQL time limit in ms (default CARTERA_SQL_TIMEOUT_MS or 10000). */
  sqlTimeoutMs?: number;
  /** Most rows analyst SQL returns (default 10000). */
  sqlRowCap?: number;
}

/** Everything handlers share: the warehouse, read connections, keys, the build they serve. */
export class ApiContext {
  build!: BuildInfo;
  readonly cache = new ResponseCache();
  readonly keys = new KeyRing();
  readonly reads: ReadPool;
  readonly audit: SqlAudit;
  readonly uploadDir: string;
  readonly exportDir: string | null;
  readonly sqlTimeoutMs: number;
  readonly sqlRowCap: number;
  /** Set while a write runs on the warehouse's own connection: one writer at a time. */
  private writing = false;

  private constructor(
    readonly wh: Warehouse,
    opts: ApiOptions,
  ) {
    this.reads = new ReadPool(wh.instance);
    this.audit = new SqlAudit(wh);
    this.uploadDir = resolve(opts.uploadDir ?? process.env.CARTERA_UPLOAD_DIR ?? resolve(wh.path, '..', 'uploads'));
    const exportDir = opts.exportDir ?? process.env.CARTERA_EXPORTS;
    this.exportDir = exportDir ? resolve(exportDir) : null;
    this.sqlTimeoutMs = opts.sqlTimeoutMs ?? Number(process.env.CARTERA_SQL_TIMEOUT_MS ?? 10_000);
    this.sqlRowCap = opts.sqlRowCap ?? 10_000;
  }

  /**
   * Prepares an open (read-write) warehouse for serving: API tables, the sandbox lockdown, keys
   * and build info. The instance stays locked down until closed.
   */
  static async create(wh: Warehouse, opts: ApiOptions = {}): Promise<ApiContext> {
    const ctx = new ApiContext(wh, opts);
    mkdirSync(ctx.uploadDir, { recursive: true });
    // Ingestion stages some files through os.tmpdir() for DuckDB to read; once the instance is
    // locked down that folder must be an allowed one, so this process gets a scratch folder of its own.
    const scratch = join(ctx.uploadDir, '.scratch');
    mkdirSync(scratch, { recursive: true });
    process.env.TMPDIR = scratch;
    await ensureApiSchema(wh);
    // What a killed refresh left behind goes before anything is served.
    await dropOrphanSchemas(wh);
    await lockDown(wh, [ctx.uploadDir, ...(ctx.exportDir ? [ctx.exportDir] : [])]);
    await ctx.keys.load(wh);
    await ctx.dataChanged();
    return ctx;
  }

  /** The tag of the publication this process last saw: part of every ETag and cache key. */
  get tag(): string {
    return this.tagOf(this.build.buildId);
  }

  /** The tag of a publication: its id (one per publication, scores included) and this process. */
  tagOf(buildId: string | null): string {
    return `${buildId ?? 'none'}.${STARTED}`;
  }

  /** Re-reads build info and drops cached responses; call after anything commits data. */
  async dataChanged(): Promise<void> {
    this.build = await readBuildInfo((sql, params) => this.wh.all(sql, params));
    this.cache.clear();
  }

  /**
   * Runs a write on the warehouse's own connection, one at a time (a second answers 409): a
   * write joining another's open transaction would commit or roll back with it. Ingest, build
   * and score each commit in their own transaction, so readers keep the previous build until
   * the build commits.
   */
  async write<T>(fn: () => Promise<T>, opts: { changesData?: boolean } = {}): Promise<T> {
    if (this.writing) throw new ApiError(409, 'Conflict', 'another write (refresh, ingest, key change) is running; try again when it ends');
    this.writing = true;
    try {
      return await fn();
    } finally {
      this.writing = false;
      if (opts.changesData !== false) await this.dataChanged();
    }
  }

  /** Like `write`, but waits for a running write to end instead of answering 409 (commands sent by the CLI). */
  async writeWhenFree<T>(fn: () => Promise<T>): Promise<T> {
    while (this.writing) await new Promise((r) => setTimeout(r, 50));
    return this.write(fn);
  }

  close(): void {
    this.reads.close();
    this.audit.close();
  }
}

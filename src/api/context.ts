import { mkdirSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { Warehouse } from '../db/warehouse.ts';
import { readBuildInfo, type BuildInfo } from './build-state.ts';
import { dropOrphanSchemas } from '../models/publish.ts';
import { ensureRunsTable } from '../pipeline/runs.ts';
import { lockDown } from './lockdown.ts';
import { ApiError } from './problem.ts';
import { ReadPool } from './read-pool.ts';
import { AnalystDatabase, type AnalystLimits } from './analyst-database.ts';
import { SqlLimits, type SqlLimitOptions } from './sql-limits.ts';
import { ResponseCache } from './response-cache.ts';
import { ensureApiSchema } from './schema.ts';
import { SESSION_POLICY, SessionStore, type SessionPolicy } from './sessions.ts';
import { SignInGuard, type SignInLimits } from './sign-in-guard.ts';
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
  /** Most rows analyst SQL returns as JSON (default 10000). */
  sqlRowCap?: number;
  /** Most rows of an analyst download: CSV, XLSX, Parquet, Arrow (default 1000000). */
  sqlDownloadRowCap?: number;
  /** Most bytes of an analyst result, measured as JSON text (default CARTERA_SQL_MAX_BYTES or 64 MiB). */
  sqlByteCap?: number;
  /** Origins that may frame the pages (e.g. an intranet portal); none by default. */
  frameAncestors?: string[];
  /** Copy each publication for analyst SQL as soon as it is served, not at the first query (a running server does). */
  prepareAnalystCopies?: boolean;
  /** Analyst queries one caller may run at once and start per minute (default 2 and 60). */
  sqlLimits?: SqlLimitOptions;
  /** Mark the session cookie Secure even on plain HTTP (HTTPS ends at a proxy in front). */
  secureCookies?: boolean;
  /** A proxy is in front: the client address is the last X-Forwarded-For entry, the scheme X-Forwarded-Proto. */
  trustProxy?: boolean;
  /** Idle and absolute session lifetimes (default 30 min and 12 h). */
  sessions?: Partial<SessionPolicy>;
  /** Failures that lock an account or an address (default 5 in 15 min, 20 a minute). */
  signInLimits?: SignInLimits;
  /** The clock of sessions and rate limits (tests move it instead of sleeping). */
  now?: () => number;
}

/** Analyst queries get a quarter of the machine's memory (at most 4 GB) and every core. */
function analystLimits(): AnalystLimits {
  const quarterMb = Math.floor(totalmem() / 4 / 2 ** 20);
  return { memoryLimit: `${Math.min(quarterMb, 4096)}MB`, threads: availableParallelism() };
}

/** Everything handlers share: the warehouse, read connections, keys and sessions, the build they serve. */
export class ApiContext {
  build!: BuildInfo;
  readonly cache = new ResponseCache();
  readonly keys = new KeyRing();
  readonly sessions: SessionStore;
  readonly signInGuard: SignInGuard;
  readonly secureCookies: boolean;
  readonly trustProxy: boolean;
  readonly reads: ReadPool;
  readonly audit: SqlAudit;
  readonly uploadDir: string;
  readonly exportDir: string | null;
  readonly sqlTimeoutMs: number;
  readonly sqlRowCap: number;
  readonly sqlDownloadRowCap: number;
  readonly sqlByteCap: number;
  /** The database analyst SQL runs in: a copy of the published marts, out of reach of everything else. */
  readonly analyst: AnalystDatabase;
  readonly sqlLimits: SqlLimits;
  private readonly prepareAnalystCopies: boolean;
  /** The temp folder this context set for the process, and the one it replaced. */
  private tmpBefore?: { set: string; was: string | undefined };
  readonly frameAncestors: string[];
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
    this.sqlDownloadRowCap = opts.sqlDownloadRowCap ?? 1_000_000;
    this.sqlByteCap = opts.sqlByteCap ?? Number(process.env.CARTERA_SQL_MAX_BYTES ?? 64 * 1024 * 1024);
    this.sqlLimits = new SqlLimits({ now: opts.now, ...opts.sqlLimits });
    this.prepareAnalystCopies = opts.prepareAnalystCopies ?? false;
    this.frameAncestors = opts.frameAncestors ?? [];
    this.analyst = new AnalystDatabase(wh, `${resolve(wh.path)}.analyst`, analystLimits());
    const now = opts.now ?? Date.now;
    this.sessions = new SessionStore(wh.instance, { ...SESSION_POLICY, ...opts.sessions }, now);
    this.signInGuard = new SignInGuard(now, opts.signInLimits);
    this.secureCookies = opts.secureCookies ?? false;
    this.trustProxy = opts.trustProxy ?? false;
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
    ctx.tmpBefore = { set: scratch, was: process.env.TMPDIR };
    process.env.TMPDIR = scratch;
    await ensureApiSchema(wh);
    // The admin page reads refresh_runs as this code writes it, before any refresh has run here.
    await ensureRunsTable(wh);
    // What a killed refresh left behind goes before anything is served.
    await dropOrphanSchemas(wh);
    // The warehouse's instance writes the analysts' copies; analysts' own instance reaches no folder at all.
    await lockDown(wh, [ctx.uploadDir, ctx.analyst.dir, ...(ctx.exportDir ? [ctx.exportDir] : [])]);
    await ctx.credentialsChanged();
    await ctx.dataChanged();
    return ctx;
  }

  /** Re-reads keys and sessions; call after anything may have changed keys, users or sessions (every CLI command run inside the server). */
  async credentialsChanged(): Promise<void> {
    await this.keys.load(this.wh);
    await this.sessions.load();
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
    if (this.prepareAnalystCopies) this.analyst.prepare(this.build.buildId);
  }

  /**
   * Runs a write on the warehouse's own connection, one at a time (a second answers 409): a
   * write joining another's open transaction would commit or roll back with it. Ingest, build
   * and score each commit in their own transaction, so readers keep the previous build until
   * the build commits.
   */
  async write<T>(fn: () => Promise<T>, opts: { changesData?: boolean } = {}): Promise<T> {
    if (this.writing) throw new ApiError(409, 'Conflict', {
      en: 'another write (refresh, ingest, key change) is running; try again when it ends',
      es: 'otra escritura (actualización, carga, cambio de claves) está en curso; intente de nuevo cuando termine',
    });
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

  /** Closes connections; waits for a copy of the marts in progress, which reads the warehouse. */
  async close(): Promise<void> {
    // The scratch folder goes with the upload folder; the process's temp folder must not point into it.
    if (this.tmpBefore && process.env.TMPDIR === this.tmpBefore.set) {
      if (this.tmpBefore.was === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = this.tmpBefore.was;
    }
    this.reads.close();
    this.audit.close();
    this.sessions.close();
    await this.analyst.close();
  }
}

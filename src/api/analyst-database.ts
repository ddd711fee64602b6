import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Warehouse } from '../db/warehouse.ts';
import { copyPublication } from './analyst-copy.ts';

/** Limits of the analysts' DuckDB instance. */
export interface AnalystLimits {
  /** DuckDB's memory_limit for analyst queries, e.g. '2GB'. */
  memoryLimit: string;
  threads: number;
}

/** One publication's copy, opened read-only in an instance of its own. */
interface Opened {
  publication: string | null;
  file: string;
  instance: DuckDBInstance;
  leases: number;
  retired: boolean;
}

/**
 * The database analyst SQL runs in: a copy of the current publication's marts in a file of its
 * own (see `copyPublication`), opened by a DuckDB instance that can reach nothing else. The
 * instance is read-only, has external access off (no file, no network, no extension loading)
 * and no allowed directory at all, may not spill to disk, and its configuration is locked before
 * any analyst connects. Keys, sessions and the audit log stay in the warehouse, which that
 * instance never opens.
 *
 * A copy is made on the first query that finds a newer publication; the previous one is closed
 * and deleted once its last query ends.
 */
export class AnalystDatabase {
  private current?: Promise<Opened>;
  private copies = 0;

  constructor(
    private readonly wh: Warehouse,
    /** A folder of the server's own: emptied at start; the warehouse's instance may write there, analysts' never. */
    readonly dir: string,
    private readonly limits: AnalystLimits,
  ) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /**
   * A connection to the copy of `publication` (made now if the current copy is of another),
   * until `release` is called.
   */
  async connect(publication: string | null): Promise<{ conn: DuckDBConnection; release: () => void }> {
    const opened = await this.openFor(publication);
    opened.leases += 1;
    let conn: DuckDBConnection;
    try {
      conn = await opened.instance.connect();
    } catch (err) {
      this.release(opened);
      throw err;
    }
    let done = false;
    return {
      conn,
      release: () => {
        if (done) return;
        done = true;
        conn.closeSync();
        this.release(opened);
      },
    };
  }

  /**
   * Starts copying `publication` now, in the background, so the first analyst query after a
   * refresh rarely waits for it. A failure is reported and left to the next query to retry.
   */
  prepare(publication: string | null): void {
    this.openFor(publication).catch((err: Error) => process.stderr.write(`cartera: copying the marts for analyst SQL failed: ${err.message}\n`));
  }

  private async openFor(publication: string | null): Promise<Opened> {
    const now = this.current;
    if (now) {
      const opened = await now.catch(() => undefined);
      if (opened && opened.publication === publication) return opened;
      // Another request may already be making the copy this one needs.
      if (this.current !== now) return this.openFor(publication);
      if (opened) this.retire(opened);
    }
    const next = this.open();
    this.current = next;
    next.catch(() => {
      if (this.current === next) this.current = undefined;
    });
    return next;
  }

  private async open(): Promise<Opened> {
    this.copies += 1;
    const file = join(this.dir, `publication-${this.copies}.duckdb`);
    const publication = await copyPublication(this.wh, file);
    const instance = await DuckDBInstance.create(file, {
      access_mode: 'READ_ONLY',
      enable_external_access: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // No spilling: an analyst query lives within its memory, never on the server's disk.
      max_temp_directory_size: '0KiB',
      memory_limit: this.limits.memoryLimit,
      threads: String(this.limits.threads),
      lock_configuration: 'true',
    });
    return { publication, file, instance, leases: 0, retired: false };
  }

  private release(opened: Opened): void {
    opened.leases -= 1;
    if (opened.retired && opened.leases === 0) this.dispose(opened);
  }

  private retire(opened: Opened): void {
    opened.retired = true;
    if (opened.leases === 0) this.dispose(opened);
  }

  private dispose(opened: Opened): void {
    opened.instance.closeSync();
    rmSync(opened.file, { force: true });
    rmSync(`${opened.file}.wal`, { force: true });
  }

  /** Closes the current copy (queries still running keep theirs until they end) and deletes the folder's files. */
  async close(): Promise<void> {
    const now = await this.current?.catch(() => undefined);
    this.current = undefined;
    if (now) this.retire(now);
  }
}

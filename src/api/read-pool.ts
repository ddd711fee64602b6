import type { DuckDBConnection, DuckDBInstance, DuckDBResultReader } from '@duckdb/node-api';
import { availableParallelism } from 'node:os';
import type { Params } from '../db/warehouse.ts';

/**
 * Connections for reading, kept between requests. Each request takes its own connection so a
 * slow query never queues behind another, and reads never share the connection refresh writes on.
 */
export class ReadPool {
  private idle: DuckDBConnection[] = [];
  private active = 0;
  private waiting: (() => void)[] = [];

  /**
   * @param maxActive reads run at once; more wait their turn. DuckDB already spreads one query
   *   over every core, so fifty at once would only be slower for each and use fifty times the memory.
   */
  constructor(
    private readonly instance: DuckDBInstance,
    private readonly maxActive = Math.max(4, availableParallelism() * 2),
  ) {}

  /** Runs `fn` on a connection of its own, then returns the connection to the pool. */
  async use<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const lease = await this.acquire();
    try {
      const out = await fn(lease.conn);
      lease.release(true);
      return out;
    } catch (err) {
      // After an unexpected failure the connection's state is unknown: it is not reused.
      lease.release(false);
      throw err;
    }
  }

  /** A connection of its own until `release` (for a request that reads several times in one snapshot). */
  async acquire(): Promise<{ conn: DuckDBConnection; release: (healthy: boolean) => void }> {
    // A finishing read hands its slot straight to the first waiter, so the count never overshoots.
    if (this.active >= this.maxActive) await new Promise<void>((r) => this.waiting.push(r));
    else this.active += 1;
    let conn: DuckDBConnection;
    try {
      conn = this.idle.pop() ?? (await this.instance.connect());
    } catch (err) {
      this.free();
      throw err;
    }
    let released = false;
    return {
      conn,
      release: (healthy) => {
        if (released) return;
        released = true;
        if (healthy) this.idle.push(conn);
        else conn.closeSync();
        this.free();
      },
    };
  }

  private free(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }

  /** One materialized result of one bound query. */
  async result(sql: string, params?: Params): Promise<DuckDBResultReader> {
    return this.use((conn) => conn.runAndReadAll(sql, params as never));
  }

  close(): void {
    for (const c of this.idle) c.closeSync();
    this.idle = [];
  }
}

import { createHash, randomBytes } from 'node:crypto';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Params } from '../db/warehouse.ts';
import type { Principal, Role } from './roles.ts';
import { findUser, type SignInUser, type Sql } from './users.ts';

/** How long a session lives: ended after `idleMs` without a request, and `absoluteMs` after sign-in however active. */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export const SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };

/** last_seen is written at most this often: a restart forgets at most this much of a session's idle time. */
const TOUCH_MS = 60_000;

interface Live {
  principal: Principal;
  lastSeen: number;
  /** The last_seen the warehouse holds. */
  saved: number;
  expires: number;
}

/** A failed write of a session is the server's to report, never the request's (it has been answered already). */
const report = (err: Error) => void process.stderr.write(`sessions: ${err.message}\n`);
const sha256 = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');
/** DuckDB's make_timestamp takes microseconds since the epoch. */
const micros = (ms: number) => Math.round(ms) * 1000;

function sqlOf(conn: DuckDBConnection): Sql {
  return {
    all: async <T,>(sql: string, params?: Params) => (await conn.runAndReadAll(sql, params as never)).getRowObjectsJson() as T[],
    run: async (sql: string, params?: Params) => void (await conn.run(sql, params as never)),
  };
}

/**
 * Server-side sessions: the warehouse's `sessions` table (only each id's sha256), mirrored in
 * memory so a request costs no query. Every change goes through this store or through a CLI
 * command run inside the server, after which `load` re-reads the table; so a sign-out, a disabled
 * user or a changed password takes effect at once. Writes run on a connection of its own, one at
 * a time, so they never join a refresh's transaction and always apply in order.
 */
export class SessionStore {
  private live = new Map<string, Live>();
  /** Ended but maybe not yet deleted from the table: a `load` running meanwhile must not bring them back. */
  private readonly ending = new Set<string>();
  private readonly conn: Promise<DuckDBConnection>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    instance: DuckDBInstance,
    readonly policy: SessionPolicy,
    private readonly now: () => number,
  ) {
    this.conn = instance.connect();
  }

  /** (Re)reads the live sessions of enabled users: at start, and after anything changed users or sessions. */
  load(): Promise<void> {
    return this.serial(async (db) => {
      const rows = await db.all<{ hash: string; user_id: string; last_seen: string; expires: string; name: string; role: Role; collector: string | null }>(
        `select s.session_hash as hash, s.user_id, epoch_ms(s.last_seen) as last_seen, epoch_ms(s.expires) as expires, u.name, u.role, u.collector
         from sessions s join users u using (user_id) where u.disabled_at is null`,
      );
      const now = this.now();
      const next = new Map<string, Live>();
      for (const r of rows) {
        if (this.ending.has(r.hash)) continue;
        const saved = Number(r.last_seen);
        const s: Live = {
          principal: { role: r.role, name: r.name, collector: r.collector, subject: `user:${r.name}`, tokenId: null, userId: r.user_id },
          lastSeen: Math.max(saved, this.live.get(r.hash)?.lastSeen ?? 0),
          saved,
          expires: Number(r.expires),
        };
        if (!this.expired(s, now)) next.set(r.hash, s);
      }
      this.live = next;
    });
  }

  /** The enabled user called `name` (read on this store's connection, in turn with its writes). */
  findUser(name: string): Promise<SignInUser | undefined> {
    return this.serial((db) => findUser(db, name));
  }

  /** Starts a session for a user who has just proved who they are: the id goes in the cookie, only its hash in the table. */
  start(u: SignInUser): Promise<{ id: string; maxAgeS: number }> {
    const id = randomBytes(32).toString('base64url');
    const hash = sha256(id);
    return this.serial(async (db) => {
      const now = this.now();
      // Sessions nobody can use any more go as new ones come; TOUCH_MS of slack for last_seen written late.
      await db.run(`delete from sessions where expires <= make_timestamp($1::bigint) or last_seen < make_timestamp($2::bigint)`, [micros(now), micros(now - this.policy.idleMs - TOUCH_MS)]);
      for (const [h, s] of this.live) if (this.expired(s, now)) this.live.delete(h);
      const expires = now + this.policy.absoluteMs;
      await db.run(`insert into sessions (session_hash, user_id, created, last_seen, expires) values ($1, $2, make_timestamp($3::bigint), make_timestamp($3::bigint), make_timestamp($4::bigint))`, [
        hash,
        u.userId,
        micros(now),
        micros(expires),
      ]);
      const principal: Principal = { role: u.role, name: u.name, collector: u.collector, subject: `user:${u.name}`, tokenId: null, userId: u.userId };
      this.live.set(hash, { principal, lastSeen: now, saved: now, expires });
      return { id, maxAgeS: Math.floor(this.policy.absoluteMs / 1000) };
    });
  }

  /** Who a session id belongs to, if it is live; the request counts as activity. */
  identify(id: string): Principal | undefined {
    const hash = sha256(id);
    const s = this.live.get(hash);
    if (!s) return undefined;
    const now = this.now();
    if (this.expired(s, now)) {
      void this.endHash(hash).catch(report);
      return undefined;
    }
    s.lastSeen = Math.max(s.lastSeen, now);
    if (now - s.saved >= TOUCH_MS) {
      s.saved = now;
      void this.serial((db) => db.run(`update sessions set last_seen = make_timestamp($2::bigint) where session_hash = $1`, [hash, micros(now)])).catch(report);
    }
    return s.principal;
  }

  /** Ends a session (sign-out); nothing happens for an id that is not live. */
  end(id: string): Promise<void> {
    return this.endHash(sha256(id));
  }

  close(): void {
    void this.conn.then((c) => c.closeSync());
  }

  private expired(s: Live, now: number): boolean {
    return now >= s.expires || now - s.lastSeen > this.policy.idleMs;
  }

  private endHash(hash: string): Promise<void> {
    this.live.delete(hash);
    this.ending.add(hash);
    return this.serial(async (db) => {
      await db.run(`delete from sessions where session_hash = $1`, [hash]);
      this.live.delete(hash);
    }).finally(() => this.ending.delete(hash));
  }

  /** Runs `fn` on this store's connection after everything queued before it. */
  private serial<T>(fn: (db: Sql) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => fn(sqlOf(await this.conn)));
    this.queue = run.catch(() => {});
    return run;
  }
}

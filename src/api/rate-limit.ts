/** Whether a key may go on now, and when it may if not. */
export interface Verdict {
  allowed: boolean;
  /** 0 when allowed; else how long until it is. */
  retryAfterMs: number;
}

export interface LimiterOptions {
  /** Events allowed in any window of `windowMs`. */
  limit: number;
  windowMs: number;
  /**
   * When set, reaching the limit locks the key for this long and then starts it afresh (a
   * lock-out); when not, the key waits only until the oldest event leaves the window.
   */
  lockMs?: number;
  now?: () => number;
  /** Keys remembered at most: a flood of new keys (names, addresses) forgets the oldest instead of growing memory. */
  maxKeys?: number;
}

interface State {
  /** Times of the events in the window, oldest first. */
  events: number[];
  lockedUntil: number;
}

const ALLOWED: Verdict = { allowed: true, retryAfterMs: 0 };

/**
 * A sliding-window limit per key (an address, an account, a user), in memory.
 *
 * @example
 *   // failed sign-ins: check before trying, count each failure
 *   const accounts = new RateLimiter({ limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 });
 *   if (!accounts.check(name).allowed) refuse();
 *   if (!ok) accounts.hit(name);
 *   // a request rate: 60 a minute per user
 *   const perUser = new RateLimiter({ limit: 60, windowMs: 60_000 });
 *   const v = perUser.take(subject);
 */
export class RateLimiter {
  private readonly states = new Map<string, State>();
  private readonly now: () => number;

  constructor(private readonly opts: LimiterOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Whether `key` may go on now; counts nothing. */
  check(key: string): Verdict {
    const s = this.states.get(key);
    if (!s) return ALLOWED;
    const now = this.now();
    if (s.lockedUntil > now) return { allowed: false, retryAfterMs: s.lockedUntil - now };
    this.prune(s, now);
    if (s.events.length < this.opts.limit) return ALLOWED;
    return { allowed: false, retryAfterMs: s.events[s.events.length - this.opts.limit] + this.opts.windowMs - now };
  }

  /** Counts one event for `key` (a failure), locking it when that reaches the limit; returns the verdict for the next. */
  hit(key: string): Verdict {
    const now = this.now();
    const s = this.state(key);
    this.prune(s, now);
    s.events.push(now);
    if (this.opts.lockMs !== undefined && s.events.length >= this.opts.limit) {
      s.lockedUntil = now + this.opts.lockMs;
      s.events = [];
    }
    return this.check(key);
  }

  /** Checks, and counts the event only when it is allowed (a rate limit on requests). */
  take(key: string): Verdict {
    const v = this.check(key);
    if (v.allowed) this.hit(key);
    return v;
  }

  /** Forgets `key` (e.g. an account after a successful sign-in). */
  reset(key: string): void {
    this.states.delete(key);
  }

  /** Keys remembered now. */
  get size(): number {
    return this.states.size;
  }

  private state(key: string): State {
    let s = this.states.get(key);
    if (!s) {
      if (this.states.size >= (this.opts.maxKeys ?? 100_000)) this.evict();
      s = { events: [], lockedUntil: 0 };
      this.states.set(key, s);
    }
    return s;
  }

  private prune(s: State, now: number): void {
    const from = now - this.opts.windowMs;
    let i = 0;
    while (i < s.events.length && s.events[i] <= from) i++;
    if (i) s.events.splice(0, i);
  }

  /** Drops keys with nothing left to remember, then, if still full, the oldest quarter. */
  private evict(): void {
    const now = this.now();
    for (const [k, s] of this.states) {
      this.prune(s, now);
      if (!s.events.length && s.lockedUntil <= now) this.states.delete(k);
    }
    const max = this.opts.maxKeys ?? 100_000;
    if (this.states.size < max) return;
    let drop = Math.max(1, Math.floor(max / 4));
    for (const k of this.states.keys()) {
      if (drop-- <= 0) break;
      this.states.delete(k);
    }
  }
}

/**
 * At most `max` at once per key (sign-ins checking one account, a user's running queries).
 *
 * @example
 *   const release = gate.enter(subject);
 *   if (!release) refuse();
 *   try { await work(); } finally { release(); }
 */
export class ConcurrencyGate {
  private readonly running = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** A function that frees the place (once, however often called), or undefined when `key` has none free. */
  enter(key: string): (() => void) | undefined {
    const n = this.running.get(key) ?? 0;
    if (n >= this.max) return undefined;
    this.running.set(key, n + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left > 0) this.running.set(key, left);
      else this.running.delete(key);
    };
  }

  /** How many are running for `key`. */
  active(key: string): number {
    return this.running.get(key) ?? 0;
  }
}

import { tooManyRequests } from './problem.ts';
import { ConcurrencyGate, RateLimiter } from './rate-limit.ts';

/** How much analyst SQL one caller may run. */
export interface SqlLimitOptions {
  /** Queries one caller may have running at once (default 2). */
  concurrent?: number;
  /** Queries one caller may start in a minute (default 60). */
  perMinute?: number;
  now?: () => number;
}

/**
 * Per-caller limits of `POST /api/sql`: a few queries at once and so many a minute, so one
 * analyst (or a leaked analyst key) cannot hold every core of the server.
 */
export class SqlLimits {
  private readonly gate: ConcurrencyGate;
  private readonly rate: RateLimiter;

  constructor(opts: SqlLimitOptions = {}) {
    this.gate = new ConcurrencyGate(opts.concurrent ?? 2);
    this.rate = new RateLimiter({ limit: opts.perMinute ?? 60, windowMs: 60_000, now: opts.now });
  }

  /**
   * Admits one query of `subject` and returns the function that ends it; throws 429 with
   * Retry-After when the caller is over either limit.
   */
  admit(subject: string): () => void {
    const release = this.gate.enter(subject);
    if (!release) throw tooManyRequests(1000, () => ({ en: 'this caller already has the most queries running at once; wait for one to end', es: 'ya tiene el máximo de consultas en curso; espere a que termine una' }));
    const v = this.rate.take(subject);
    if (!v.allowed) {
      release();
      throw tooManyRequests(v.retryAfterMs, (s) => ({ en: `too many queries this minute; try again in ${s} s`, es: `demasiadas consultas en este minuto; intente de nuevo en ${s} s` }));
    }
    return release;
  }
}

import { tooManyRequests } from './problem.ts';
import { ConcurrencyGate, RateLimiter, type LimiterOptions } from './rate-limit.ts';

type Limit = Pick<LimiterOptions, 'limit' | 'windowMs' | 'lockMs'>;

/** How many failures lock what, for how long. */
export interface SignInLimits {
  /** Failed sign-ins per account (default 5 in 15 min lock it for 15 min). */
  account: Limit;
  /** Failed sign-ins and bad keys per client address (default 20 a minute lock it for a minute). */
  address: Limit;
}

export const SIGN_IN_LIMITS: SignInLimits = {
  account: { limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  address: { limit: 20, windowMs: 60_000, lockMs: 60_000 },
};

/**
 * Failed sign-ins and bad keys, limited per client address and per account, with lock-out. An
 * account that does not exist locks like one that does, so a 429 says nothing about which names
 * exist. A locked account refuses even the right password until the lock ends: otherwise the
 * lock would not stop guessing.
 */
export class SignInGuard {
  private readonly accounts: RateLimiter;
  private readonly addresses: RateLimiter;
  /** A password check takes a fifth of a second: without these, parallel guesses would all pass `check` before any failure counts. */
  private readonly checkingAccount = new ConcurrencyGate(1);
  private readonly checkingFrom = new ConcurrencyGate(4);

  constructor(now: () => number, limits: SignInLimits = SIGN_IN_LIMITS) {
    this.accounts = new RateLimiter({ ...limits.account, now });
    this.addresses = new RateLimiter({ ...limits.address, now });
  }

  /** Throws 429 (with Retry-After) while `address`, or `account`, is locked. */
  check(address: string, account?: string): void {
    const from = this.addresses.check(address);
    if (!from.allowed) {
      throw tooManyRequests(from.retryAfterMs, (s) => ({ en: `too many failed attempts from this address; try again in ${s} s`, es: `demasiados intentos fallidos desde esta dirección; intente de nuevo en ${s} s` }));
    }
    const acc = account === undefined ? undefined : this.accounts.check(account);
    if (acc && !acc.allowed) {
      throw tooManyRequests(acc.retryAfterMs, (s) => ({ en: `too many failed sign-ins for this account; try again in ${s} s`, es: `demasiados intentos fallidos para esta cuenta; intente de nuevo en ${s} s` }));
    }
  }

  /** `check`, then holds a place while the password is checked (429 when the account or address is already being checked); returns the release. */
  enter(address: string, account: string): () => void {
    this.check(address, account);
    const releaseAccount = this.checkingAccount.enter(account);
    const releaseAddress = releaseAccount && this.checkingFrom.enter(address);
    if (!releaseAccount || !releaseAddress) {
      releaseAccount?.();
      throw tooManyRequests(1000, (s) => ({ en: `another sign-in is being checked; try again in ${s} s`, es: `otro intento de entrada está en curso; intente de nuevo en ${s} s` }));
    }
    return () => {
      releaseAccount();
      releaseAddress();
    };
  }

  /** Counts a failure against the address (and the account). */
  failed(address: string, account?: string): void {
    this.addresses.hit(address);
    if (account !== undefined) this.accounts.hit(account);
  }

  /** The right password: the account's failures are forgotten. */
  succeeded(account: string): void {
    this.accounts.reset(account);
  }
}

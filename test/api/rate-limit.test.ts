import { describe, expect, test } from 'vitest';
import { ConcurrencyGate, RateLimiter } from '../../src/api/rate-limit.ts';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateLimiter: a sliding window per key', () => {
  test('take allows `limit` events in any window, then refuses until the oldest leaves it', () => {
    const c = clock();
    const l = new RateLimiter({ limit: 3, windowMs: 60_000, now: c.now });
    for (let i = 0; i < 3; i++) {
      expect(l.take('a').allowed).toBe(true);
      c.advance(1000);
    }
    c.advance(7_000);
    expect(l.take('a')).toEqual({ allowed: false, retryAfterMs: 50_000 });
    // Refusals are not counted: the window still frees its first slot on time.
    c.advance(50_000);
    expect(l.take('a').allowed).toBe(true);
    expect(l.take('a').allowed).toBe(false);
    // Keys are independent.
    expect(l.take('b').allowed).toBe(true);
  });

  test('the window slides: events spread out never reach the limit', () => {
    const c = clock();
    const l = new RateLimiter({ limit: 2, windowMs: 1000, now: c.now });
    for (let i = 0; i < 10; i++) {
      expect(l.take('k').allowed).toBe(true);
      c.advance(600);
    }
  });

  test('with lockMs, reaching the limit locks the key for that long, then it starts afresh', () => {
    const c = clock();
    const l = new RateLimiter({ limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000, now: c.now });
    for (let i = 0; i < 4; i++) l.hit('ana');
    expect(l.check('ana').allowed).toBe(true);
    l.hit('ana');
    expect(l.check('ana')).toEqual({ allowed: false, retryAfterMs: 15 * 60_000 });
    c.advance(15 * 60_000 - 1);
    expect(l.check('ana')).toEqual({ allowed: false, retryAfterMs: 1 });
    c.advance(1);
    expect(l.check('ana').allowed).toBe(true);
    // A fresh allowance: four more failures do not lock it again.
    for (let i = 0; i < 4; i++) l.hit('ana');
    expect(l.check('ana').allowed).toBe(true);
  });

  test('check never counts; reset forgets a key', () => {
    const c = clock();
    const l = new RateLimiter({ limit: 1, windowMs: 1000, lockMs: 1000, now: c.now });
    for (let i = 0; i < 5; i++) expect(l.check('x').allowed).toBe(true);
    l.hit('x');
    expect(l.check('x').allowed).toBe(false);
    l.reset('x');
    expect(l.check('x').allowed).toBe(true);
  });

  test('a flood of new keys forgets the oldest instead of growing without end', () => {
    const c = clock();
    const l = new RateLimiter({ limit: 1, windowMs: 1000, lockMs: 1000, now: c.now, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) l.hit(`k${i}`);
    expect(l.size).toBeLessThanOrEqual(100);
    expect(l.check('k999').allowed).toBe(false);
  });
});

describe('ConcurrencyGate: at most n at once per key', () => {
  test('enter returns a release until the key is full; release frees a place once', () => {
    const g = new ConcurrencyGate(2);
    const a = g.enter('u')!;
    const b = g.enter('u')!;
    expect(g.enter('u')).toBeUndefined();
    expect(g.enter('v')).toBeTypeOf('function');
    a();
    a();
    expect(g.active('u')).toBe(1);
    const c = g.enter('u');
    expect(c).toBeTypeOf('function');
    b();
    c!();
    expect(g.active('u')).toBe(0);
  });
});

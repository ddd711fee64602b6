import { describe, expect, test } from 'vitest';
import { ApiError } from '../../src/api/problem.ts';
import { SqlLimits } from '../../src/api/sql-limits.ts';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('not refused');
};

describe('per-caller limits of analyst SQL', () => {
  test('a caller has at most N queries running; others are not affected; an ended query frees its place', () => {
    const limits = new SqlLimits({ concurrent: 2, perMinute: 100 });
    const a1 = limits.admit('user:ana');
    limits.admit('user:ana');
    const third = refusal(() => limits.admit('user:ana'));
    expect(third.status).toBe(429);
    expect(third.headers['Retry-After']).toBe('1');
    expect(() => limits.admit('user:bob')).not.toThrow();
    a1();
    a1();
    expect(() => limits.admit('user:ana')).not.toThrow();
  });

  test('a caller may start so many queries a minute, then waits until the oldest leaves the window', () => {
    let now = 0;
    const limits = new SqlLimits({ concurrent: 100, perMinute: 3, now: () => now });
    for (let i = 0; i < 3; i++) limits.admit('key:tk_1')();
    now = 20_000;
    const over = refusal(() => limits.admit('key:tk_1'));
    expect(over.status).toBe(429);
    expect(over.headers['Retry-After']).toBe('40');
    now = 60_001;
    expect(() => limits.admit('key:tk_1')).not.toThrow();
  });
});

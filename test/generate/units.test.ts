import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCustomers } from '../../src/generate/customers.ts';
import { parseIsoDay, yearsBefore, isoOf } from '../../src/generate/days.ts';
import { centsCanonical, centsSpanish } from '../../src/generate/money.ts';
import { Prng } from '../../src/generate/prng.ts';
import { fixZipTimestamps } from '../../src/generate/zip-timestamps.ts';

describe('money text', () => {
  it('writes canonical and Spanish amounts digit by digit', () => {
    expect(centsCanonical(123456789)).toBe('1234567.89');
    expect(centsCanonical(-5)).toBe('-0.05');
    expect(centsCanonical(100)).toBe('1.00');
    expect(centsSpanish(123456789)).toBe('1.234.567,89');
    expect(centsSpanish(99901)).toBe('999,01');
    expect(centsSpanish(100000)).toBe('1.000,00');
    expect(centsSpanish(1)).toBe('0,01');
  });
});

describe('days', () => {
  it('round-trips ISO dates and rejects impossible ones', () => {
    expect(isoOf(parseIsoDay('2024-02-29'))).toBe('2024-02-29');
    expect(() => parseIsoDay('2026-02-30')).toThrow();
    expect(isoOf(yearsBefore(parseIsoDay('2028-02-29'), 1))).toBe('2027-02-28');
    expect(isoOf(yearsBefore(parseIsoDay('2026-10-31'), 3))).toBe('2023-10-31');
  });
});

describe('prng', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    for (let i = 0; i < 1000; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect(Prng.derive(42, 1, 0).next()).not.toBe(Prng.derive(42, 1, 1).next());
  });
});

describe('allocation of documents to customers', () => {
  it('sums to exactly the requested total', () => {
    const horizon = { start: parseIsoDay('2023-10-31'), end: parseIsoDay('2026-10-31') };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 2 ** 31 }), (n, docs, seed) => {
        const customers = makeCustomers(seed, n, docs, horizon);
        expect(customers.reduce((s, c) => s + c.documents, 0)).toBe(docs);
        expect(customers.every((c) => c.documents >= 0)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('customers', () => {
  it('spreads the demo portfolio over eight collectors and the realistic behaviour mix', () => {
    const horizon = { start: parseIsoDay('2023-10-31'), end: parseIsoDay('2026-10-31') };
    const customers = makeCustomers(42, 2000, 200_000, horizon);
    const byCollector = new Map<string, number>();
    for (const c of customers) byCollector.set(c.collector, (byCollector.get(c.collector) ?? 0) + 1);
    expect(byCollector.size).toBe(8);
    for (const n of byCollector.values()) expect(n).toBeGreaterThan(100);
    const share = (b: string) => customers.filter((c) => c.behaviour === b).length / customers.length;
    expect(share('punctual')).toBeGreaterThan(0.25);
    expect(share('defaulting')).toBeGreaterThan(0.03);
    expect(share('defaulting')).toBeLessThan(0.1);
    expect(new Set(customers.map((c) => c.id)).size).toBe(2000);
    expect(customers[41].id).toBe('C00042');
  });
});

describe('zip timestamps', () => {
  it('rejects what is not a zip', () => {
    expect(() => fixZipTimestamps(Buffer.alloc(100), new Date(0))).toThrow(/not a zip/);
  });
});

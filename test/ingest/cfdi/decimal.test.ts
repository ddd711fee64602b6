import { describe, expect, it } from 'vitest';
import { divideDecimal, isDecimal, multiplyDecimal } from '../../../src/ingest/readers/cfdi/decimal.ts';

describe('decimal strings', () => {
  it('divides exactly to a fixed scale, rounding half away from zero', () => {
    expect(divideDecimal('2157.06', '17.4731470231')).toBe('123.450000');
    expect(divideDecimal('1', '3')).toBe('0.333333');
    expect(divideDecimal('2', '3')).toBe('0.666667');
    expect(divideDecimal('0.0000005', '1')).toBe('0.000001');
    expect(divideDecimal('-2', '3')).toBe('-0.666667');
    expect(divideDecimal('2016.00', '0.0512820513')).toBe('39311.999986');
    expect(divideDecimal('10', '4', 0)).toBe('3');
    expect(divideDecimal('0', '7')).toBe('0.000000');
  });

  it('multiplies exactly', () => {
    expect(multiplyDecimal('123.45', '17.4732')).toBe('2157.066540');
    expect(multiplyDecimal('-0.5', '0.5')).toBe('-0.25');
  });

  it('refuses what is not a plain decimal', () => {
    expect(isDecimal('1e3')).toBe(false);
    expect(isDecimal('1,000.00')).toBe(false);
    expect(() => divideDecimal('1', '0')).toThrow('division by zero');
  });
});

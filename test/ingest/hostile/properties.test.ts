/**
 * Properties of the amount and date parsers over every format they accept: an amount written in any
 * locale's way reads back exactly (as DECIMAL text, never through a float), more decimals than the
 * warehouse keeps are refused rather than rounded, a column's decimal mark is never decided wrong,
 * and every date layout reads back the same day across the whole plausible range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { MONEY, RATE, numberEvidenceSql, numberExpr, numberReason, styleFromEvidence, type NumberEvidence, type NumberStyle } from '../../../src/ingest/numbers.ts';
import { DATE_FORMATS, dateExpr, defaultDateRange, outsideRange } from '../../../src/ingest/value-formats.ts';

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => conn.closeSync());

/** Each value through `build` in one query; JSON-safe results in order. */
async function each(build: (v: string) => string, values: string[]): Promise<unknown[]> {
  const r = await conn.runAndReadAll(
    `select ${build('v')} as out from (select unnest(from_json($1::json, '["VARCHAR"]')) as v, unnest(range(json_array_length($1::json)::bigint)) as i) order by i`,
    [JSON.stringify(values)],
  );
  return r.getRowsJson().map((row) => row[0]);
}

/** How a locale writes numbers: its decimal mark, its thousands separator (none for plain), and the style that reads it. */
const LOCALES: { name: string; mark: '.' | ','; group: string; style: NumberStyle }[] = [
  { name: 'plain', mark: '.', group: '', style: 'dot' },
  { name: 'en (1,234.56)', mark: '.', group: ',', style: 'dot' },
  { name: 'ch (1\'234.56)', mark: '.', group: "'", style: 'dot' },
  { name: 'si (1 234.56)', mark: '.', group: ' ', style: 'dot' },
  { name: 'es (1.234,56)', mark: ',', group: '.', style: 'comma' },
  { name: 'fr (1 234,56)', mark: ',', group: ' ', style: 'comma' },
  { name: 'fr, no-break space (1\u00a0234,56)', mark: ',', group: '\u00a0', style: 'comma' },
  { name: 'fr, narrow no-break space (1\u202f234,56)', mark: ',', group: '\u202f', style: 'comma' },
  { name: 'comma without groups (1234,56)', mark: ',', group: '', style: 'comma' },
];
const SIGNS = ['-x', 'x-', '(x)', 'u-x', '-ux'] as const;
const UNITS = ['', '$', 'USD ', ' MXN', '€', 'R$ ', 'S/ ', 'US$'];

/** An amount: its digits before and after the mark (0 to `decimals` of them), and its sign. */
const amount = (decimals: number, intDigits = 16) =>
  fc.record({
    int: fc.bigInt({ min: 0n, max: 10n ** BigInt(intDigits) - 1n }),
    frac: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: decimals }),
    negative: fc.boolean(),
  });

/** The text a locale writes for an amount, with a sign notation and a currency around it. */
function write(a: { int: bigint; frac: string; negative: boolean }, locale: (typeof LOCALES)[number], sign: (typeof SIGNS)[number], unit: string): string {
  const int = locale.group ? a.int.toString().replace(/\B(?=(\d{3})+(?!\d))/g, locale.group) : a.int.toString();
  const body = a.frac ? `${int}${locale.mark}${a.frac}` : int;
  const u = unit.trim();
  const withUnit = !u ? body : unit.startsWith(' ') ? `${body}${unit}` : `${unit}${body}`;
  if (!a.negative) return withUnit;
  switch (sign) {
    case '-x':
      return `-${withUnit}`;
    case 'x-':
      return `${withUnit}-`;
    case '(x)':
      return `(${withUnit})`;
    case 'u-x':
      return u && !unit.startsWith(' ') ? `${unit}-${body}` : `-${withUnit}`;
    case '-ux':
      return `-${withUnit}`;
  }
}

/** The exact value as DECIMAL(22,6) text: what the warehouse must hold. */
function exact(a: { int: bigint; frac: string; negative: boolean }, decimals = 6): string {
  const zero = a.int === 0n && /^0*$/.test(a.frac);
  return `${a.negative && !zero ? '-' : ''}${a.int}.${a.frac.padEnd(decimals, '0')}`;
}

describe('amounts (property)', () => {
  it('read back exactly in every locale, sign notation and currency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LOCALES),
        fc.array(fc.tuple(amount(6), fc.constantFrom(...SIGNS), fc.constantFrom(...UNITS)), { minLength: 1, maxLength: 25 }),
        async (locale, rows) => {
          const text = rows.map(([a, sign, unit]) => write(a, locale, sign, unit));
          expect(await each((v) => numberExpr(v, locale.style, MONEY), text)).toEqual(rows.map(([a]) => exact(a)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuse more decimals than the warehouse keeps, in every locale, and say so', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LOCALES),
        fc.array(amount(12).filter((a) => a.frac.replace(/0+$/, '').length > 6 || a.frac.length > 6), { minLength: 1, maxLength: 10 }),
        async (locale, rows) => {
          const text = rows.map((a) => write(a, locale, '-x', ''));
          expect(await each((v) => numberExpr(v, locale.style, MONEY), text)).toEqual(rows.map(() => null));
          const reasons = await each((v) => numberReason(v, locale.style, MONEY), text);
          expect(reasons).toEqual(rows.map(() => 'more than 6 decimals (the warehouse keeps 6 and never rounds)'));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('refuse a value written with the other decimal mark instead of misreading it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LOCALES.filter((l) => l.group === '.' || l.group === ',')),
        fc.array(amount(2, 9).filter((a) => a.int >= 1000n && a.frac.length === 2), { minLength: 1, maxLength: 10 }),
        async (locale, rows) => {
          // Thousands and two decimals: "1,234.56" is only a decimal-point number, "1.234,56" only a decimal-comma one.
          const other: NumberStyle = locale.style === 'comma' ? 'dot' : 'comma';
          const text = rows.map((a) => write(a, locale, '-x', ''));
          expect(await each((v) => numberExpr(v, other, MONEY), text)).toEqual(rows.map(() => null));
          const reason = other === 'dot' ? 'decimal comma in a column whose amounts use a decimal point' : 'decimal point in a column whose amounts use a decimal comma';
          expect(await each((v) => numberReason(v, other, MONEY), text)).toEqual(rows.map(() => reason));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('rates keep 8 decimals, exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LOCALES), fc.array(amount(8, 10), { minLength: 1, maxLength: 10 }), async (locale, rows) => {
        const text = rows.map((a) => write(a, locale, '-x', ''));
        expect(await each((v) => numberExpr(v, locale.style, RATE), text)).toEqual(rows.map((a) => exact(a, 8)));
      }),
      { numRuns: 30 },
    );
  });

  it("never decide a column's decimal mark wrong: the mark found reads every value exactly, or none is found because every value reads both ways", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LOCALES),
        fc.array(amount(4, 7), { minLength: 1, maxLength: 30 }),
        async (locale, rows) => {
          const text = rows.map((a) => write(a, locale, '-x', ''));
          const r = await conn.runAndReadAll(numberEvidenceSql('v', `(select unnest(from_json($1::json, '["VARCHAR"]')) as v)`), [JSON.stringify(text)]);
          const style = styleFromEvidence(r.getRowObjectsJson()[0] as unknown as NumberEvidence);
          if (style === 'tie') throw new Error(`one locale's values gave a tie: ${text.join(' ')}`);
          if (style === 'undecided') {
            // Every value with a mark has one to three digits before it and exactly three after.
            for (const t of text) expect(t.replace(/^-/, '')).toMatch(/^([\d \u00a0\u202f']+|\d{1,3}[.,]\d{3})$/);
          } else {
            expect(await each((v) => numberExpr(v, style!, MONEY), text)).toEqual(rows.map((a) => exact(a)));
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** A moment written in a strptime layout (the ones DATE_FORMATS lists). */
function writeDate(layout: string, d: Date): string {
  const h = d.getUTCHours();
  const tokens: Record<string, string> = {
    '%Y': String(d.getUTCFullYear()),
    '%y': String(d.getUTCFullYear()).slice(2),
    '%m': pad(d.getUTCMonth() + 1),
    '%d': pad(d.getUTCDate()),
    '%b': MONTHS[d.getUTCMonth()],
    '%H': pad(h),
    '%I': pad(h % 12 || 12),
    '%M': pad(d.getUTCMinutes()),
    '%S': pad(d.getUTCSeconds()),
    '%p': h < 12 ? 'AM' : 'PM',
  };
  if (layout === 'iso') return d.toISOString().slice(0, 10);
  if (layout === 'excel') return String(Math.round((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(1899, 11, 30)) / 86_400_000));
  return layout.replace(/%[YymdbHIMSp]/g, (t) => tokens[t]);
}

describe('dates (property)', () => {
  const range = defaultDateRange();
  const plausible = fc.date({ min: new Date(`${range.min}T00:00:00Z`), max: new Date(`${range.max}T23:59:59Z`), noInvalidDate: true });

  it('every layout reads back the same day, across the whole plausible range', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...DATE_FORMATS), fc.array(plausible, { minLength: 1, maxLength: 20 }), async (layout, dates) => {
        // Two-digit years only stand for 1969-2068; Excel serials are read from 4 digits (1902-09-27) on.
        const usable = dates.filter((d) => (!layout.includes('%y') || (d.getUTCFullYear() >= 1969 && d.getUTCFullYear() <= 2068)) && (layout !== 'excel' || d >= new Date('1902-09-27')));
        const days = usable.map((d) => d.toISOString().slice(0, 10));
        expect(await each((v) => dateExpr(v, layout), usable.map((d) => writeDate(layout, d)))).toEqual(days);
        expect(await each((v) => outsideRange(`(${v})::date`, range), days)).toEqual(days.map(() => false));
      }),
      { numRuns: 60 },
    );
  });

  it('a date outside the range is flagged, whatever the range', async () => {
    const day = fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    await fc.assert(
      fc.asyncProperty(fc.tuple(day, day), fc.array(day, { minLength: 1, maxLength: 20 }), async ([a, b], days) => {
        const r = a <= b ? { min: a, max: b } : { min: b, max: a };
        expect(await each((v) => outsideRange(`(${v})::date`, r), days)).toEqual(days.map((d) => d < r.min || d > r.max));
      }),
      { numRuns: 40 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { csvDialect, csvNumber, formatChange, formatsFor, formatValue, LOCALES, localizeSpec, pickLocale, vegaLocale } from '../../src/locale/formats.ts';
import { renderVegaLiteToSvg } from '../../src/render/vega-svg.ts';

// Expected strings are what each country writes (ICU data in Node 20); NBSP and narrow NBSP are spaces here.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money per locale', () => {
  const cases: [string, string, string, string][] = [
    ['es-MX', '1234567.89', 'MXN', '$1,234,567.89'],
    ['es-CO', '1234567.00', 'COP', '$ 1.234.567'],
    ['es-CO', '1234567.50', 'COP', '$ 1.234.567,50'],
    ['es-CL', '1234567', 'CLP', '$1.234.567'],
    ['es-AR', '1234567.89', 'ARS', '$ 1.234.567,89'],
    ['es-PE', '1234567.89', 'PEN', 'S/ 1,234,567.89'],
    ['es-ES', '1234567.89', 'EUR', '1.234.567,89 €'],
    ['pt-BR', '1234567.89', 'BRL', 'R$ 1.234.567,89'],
    ['en-US', '1234567.89', 'USD', '$1,234,567.89'],
    ['en-US', '1234567.89', 'MXN', 'MX$1,234,567.89'],
  ];
  it.each(cases)('%s writes %s %s as %s', (tag, amount, currency, expected) => {
    expect(plain(formatsFor(tag).money(amount, currency))).toBe(expected);
  });

  it('formats a DECIMAL text digit for digit, past what a double holds', () => {
    expect(formatsFor('en-US').money('123456789012345678.91', 'USD')).toBe('$123,456,789,012,345,678.91');
  });

  it('writes an amount without its currency, in that currency\'s decimals, for a table that names it once', () => {
    expect(plain(formatsFor('en-US').amount('10147755.27', 'MXN'))).toBe('10,147,755.27');
    expect(plain(formatsFor('es-CO').amount('1234567.00', 'COP'))).toBe('1.234.567');
    expect(plain(formatsFor('es-CO').amount('10.05', 'COP'))).toBe('10,05');
    expect(plain(formatsFor('es-CL').amount('740000.00', 'CLP'))).toBe('740.000');
    expect(formatsFor('en-US').amount('123456789012345678.91', 'USD')).toBe('123,456,789,012,345,678.91');
  });

  it('never hides a cent a COP balance has, and never shows cents CLP cannot have', () => {
    expect(plain(formatsFor('es-CO').money('10.05', 'COP'))).toBe('$ 10,05');
    expect(plain(formatsFor('es-CL').money('10', 'CLP'))).toBe('$10');
  });
});

describe("an analyst's exact numbers", () => {
  it.each([
    ['es-MX', '58668416.40', 2, '58,668,416.40'],
    ['es-CO', '58668416.40', 2, '58.668.416,40'],
    ['en-US', '0.1234', 4, '0.1234'],
    ['es-ES', '-7.5000', 4, '-7,5000'],
    ['en-US', '12345678901234567891', 0, '12,345,678,901,234,567,891'],
  ] as const)('%s writes the DECIMAL text %s (scale %i) as %s: every digit, the scale kept', (tag, text, scale, expected) => {
    expect(plain(formatsFor(tag).decimal(text, scale))).toBe(expected);
  });
});

describe('units a reader knows', () => {
  it('writes mil / M / mil M in Spanish and k / M / B in English, with the currency named', () => {
    const es = formatsFor('es-CO');
    expect(plain(es.units(800_000))).toBe('800 mil');
    expect(plain(es.units(1_250_000))).toBe('1,25 M');
    expect(plain(es.units(200_000_000_000))).toBe('200 mil M');
    expect(plain(es.moneyShort(812_345_678, 'MXN'))).toBe('812 M MXN');
    const en = formatsFor('en-US');
    expect(en.units(800_000)).toBe('800 k');
    expect(en.units(200_000_000_000)).toBe('200 B');
  });
});

describe('changes', () => {
  const f = formatsFor('es-MX');
  it('a percentage changes in points, money in percent, days in days', () => {
    expect(plain(formatChange(f, 1.25, 10, 'pct', 'MXN'))).toBe('+1.3 p. p.');
    expect(plain(formatChange(formatsFor('en-US'), -2, 10, 'pct', 'MXN'))).toBe('-2 pp');
    expect(plain(formatChange(f, 50, 1000, 'money', 'MXN'))).toBe('+5%');
    expect(plain(formatChange(f, -3.5, 40, 'days', 'MXN'))).toBe('-3.5 d');
  });
  it('a missing value is a dash', () => {
    expect(formatValue(f, null, 'money', 'MXN')).toBe('—');
  });
});

describe('moments (a refresh, a publication)', () => {
  // DuckDB keeps them as UTC TIMESTAMPs ('2026-12-07 12:38:04.349'): shown in the reader's zone, which is named.
  it("writes a UTC timestamp in the reader's time zone, with the locale's date, a 24-hour time and the zone's name", () => {
    expect(formatsFor('es-CO').instant('2026-12-07 12:38:04.349', 'America/Bogota')).toBe('7/12/2026 07:38 COT');
    expect(formatsFor('en-US').instant('2026-12-07 12:38:04', 'America/Mexico_City')).toBe('Dec 7, 2026 06:38 CST');
    expect(formatsFor('es-ES').instant('2026-12-07 12:38:04', 'Europe/Madrid')).toBe('7 dic 2026 13:38 CET');
  });
  it('moves to the day it was in that zone', () => {
    expect(formatsFor('es-CO').instant('2026-12-07 03:10:00', 'America/Bogota')).toBe('6/12/2026 22:10 COT');
  });
  it('is the format a table column names datetime; nothing is a dash, and what is not a timestamp stays as it is', () => {
    const f = formatsFor('es-MX');
    expect(formatValue(f, '2026-12-07 12:38:04.349', 'datetime', 'MXN')).toBe(f.instant('2026-12-07 12:38:04.349'));
    expect(formatValue(f, null, 'datetime', 'MXN')).toBe('—');
    expect(f.instant('yesterday')).toBe('yesterday');
  });
});

describe('CSV per locale', () => {
  it("uses ';' where the decimal mark is a comma", () => {
    expect(csvDialect('es-MX')).toEqual({ separator: ',', decimal: '.' });
    expect(csvDialect('es-CO')).toEqual({ separator: ';', decimal: ',' });
    expect(csvDialect('pt-BR')).toEqual({ separator: ';', decimal: ',' });
    expect(csvDialect('en-US')).toEqual({ separator: ',', decimal: '.' });
    expect(csvNumber('-1234.50', csvDialect('es-AR'))).toBe('-1234,50');
  });
});

describe('picking a locale', () => {
  it('takes an exact tag, else the language default, else nothing', () => {
    expect(pickLocale(['es-co'])).toBe('es-CO');
    expect(pickLocale(['es-VE', 'en-US'])).toBe('es-MX');
    expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en-US');
    expect(pickLocale(['fr-FR'])).toBeUndefined();
  });
});

describe('charts', () => {
  it('each locale gives Vega its separators, short date and month names', () => {
    expect(vegaLocale('es-CO', 'COP').number).toMatchObject({ decimal: ',', thousands: '.' });
    expect(vegaLocale('es-MX', 'MXN').number).toMatchObject({ decimal: '.', thousands: ',', currency: ['$', ''] });
    expect(vegaLocale('en-US').time.date).toBe('%m/%d/%Y');
    expect(vegaLocale('es-CL').time.date).toBe('%d-%m-%Y');
    expect(vegaLocale('pt-BR').time.months[0]).toBe('janeiro');
    for (const tag of LOCALES) expect(vegaLocale(tag).time.days).toHaveLength(7);
  });

  it('a money field becomes an axis in units titled with the currency, and a tooltip with the symbol', () => {
    const spec = localizeSpec(
      { mark: 'bar', encoding: { y: { field: 'a', type: 'quantitative', format: 'money', title: null }, tooltip: [{ field: 'a', type: 'quantitative', format: 'money', title: { es: 'Saldo', en: 'Balance' } }] } },
      'es',
      'COP',
    ) as { encoding: { y: Record<string, unknown>; tooltip: Record<string, unknown>[] } };
    expect(spec.encoding.y.title).toBe('COP');
    expect(spec.encoding.y.format).toBeUndefined();
    expect((spec.encoding.y.axis as { labelExpr: string }).labelExpr).toContain("' mil M'");
    expect(spec.encoding.tooltip[0]).toMatchObject({ title: 'Saldo (COP)', format: '$,.2f' });
    expect(() => compile(spec as never)).not.toThrow();
  });

  it('a chart of dates reads them in the language\'s order: 1 nov 2026 in Spanish, Nov 1, 2026 in English', async () => {
    const chart = {
      data: { name: 'rows' },
      mark: 'bar',
      encoding: {
        x: { field: 'week_start', type: 'ordinal', timeUnit: 'yearmonthdate', title: null },
        y: { field: 'v', type: 'quantitative' },
        tooltip: [{ field: 'week_start', type: 'temporal', title: { es: 'Desde', en: 'From' } }],
      },
    };
    const rows = { rows: [{ week_start: '2026-11-01', v: 1 }, { week_start: '2026-11-15', v: 2 }] };
    const es = await renderVegaLiteToSvg(localizeSpec(chart, 'es', 'MXN') as object, rows, { locale: 'es-MX', currency: 'MXN' });
    expect(es).toContain('>1 nov 2026<');
    expect(es).not.toMatch(/nov 0?1, 2026/);
    const en = await renderVegaLiteToSvg(localizeSpec(chart, 'en', 'USD') as object, rows, { locale: 'en-US', currency: 'USD' });
    expect(en).toContain('>Nov 1, 2026<');
    // Tooltips too (Vega-Lite's own default is '%b %d, %Y' whatever the language).
    const tip = (localizeSpec(chart, 'es', 'MXN') as { encoding: { tooltip: { format: string }[] } }).encoding.tooltip[0];
    expect(tip.format).toBe('%-d %b %Y');
  });

  it('a chart drawn on the server in es-CO reads its axis in Colombian units and separators', async () => {
    const spec = localizeSpec({ data: { name: 'rows' }, mark: 'bar', encoding: { x: { field: 'k', type: 'nominal' }, y: { field: 'v', type: 'quantitative', format: 'money', title: null } } }, 'es', 'COP');
    const svg = await renderVegaLiteToSvg(spec as object, { rows: [{ k: 'a', v: 1_500_000 }, { k: 'b', v: 2_500_000 }] }, { locale: 'es-CO', currency: 'COP' });
    expect(svg).toContain('2,5 M');
    expect(svg).toContain('>COP<');
    expect(svg).not.toMatch(/\d[GM]</); // d3's SI suffixes ('2.5M', '0.8G') are gone
  });
});

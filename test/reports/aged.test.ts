/**
 * The aged receivables report on the hand-computed case of test/statements/tiny-warehouse.ts
 * (built by the real pipeline as of 2024-06-30, MXN reporting, USD at 17.00, buckets 30,60,90,120
 * on the due date): the data, the XLSX read back with exceljs, the PDF read back with pdftotext.
 *
 * By hand, as of 2024-06-30:
 *   C1 MXN  F-102 2,345.67 current; F-101 3,499.50 1-30 (21 days); F-100 6,000.00 91-120 (91 days); NC-1 -500.00 unapplied
 *   C1 USD  F-200 1,000.00 31-60 (60 days)            -> MXN 17,000.00
 *   C2 USD  F-300 3,000.00 current                    -> MXN 51,000.00
 *   C4 MXN  F-500 7,500.00 120+ (137 days)
 *   C3 paid in full: no row.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import type { Query } from '../../src/dashboards/run.ts';
import { agedPdf, agedXlsx, layoutAged, readAged, REPORT_LABELS, type AgedReport } from '../../src/reports/index.ts';
import { parseLocale } from '../../src/statements/index.ts';
import { hasRow, pdfText } from '../statements/read-back.ts';
import { statementsWarehouse } from '../statements/tiny-warehouse.ts';

let t: Awaited<ReturnType<typeof statementsWarehouse>>;
let wh: Warehouse;
let query: Query;
beforeAll(async () => {
  t = await statementsWarehouse();
  wh = await Warehouse.open(t.db);
  query = (sql, params) => wh.result(sql, params);
}, 120_000);
afterAll(() => {
  wh?.close();
  t?.cleanup();
});

/** Each line as [customer, ...amounts, total]; a group's totals as ['Σ currency', ...]. */
const lines = (r: AgedReport) =>
  r.groups.flatMap((g) => [...g.lines.map((l) => [l.customerId, ...l.amounts, l.total]), [`Σ ${g.currency}`, ...g.total.amounts, g.total.total]]);

describe('the aged receivables report (data)', () => {
  it('in the reporting currency: one row per customer, largest first, and the totals row', async () => {
    const r = await readAged(query, {});
    expect(r.asOf).toBe('2024-06-30');
    expect([r.mode, r.currency]).toEqual(['reporting', 'MXN']);
    expect(r.buckets).toEqual(['current', '1-30', '31-60', '61-90', '91-120', '120+', 'unapplied']);
    expect(lines(r)).toEqual([
      ['C2', '51000.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '51000.00'],
      ['C1', '2345.67', '3499.50', '17000.00', '0.00', '6000.00', '0.00', '-500.00', '28345.17'],
      ['C4', '0.00', '0.00', '0.00', '0.00', '0.00', '7500.00', '0.00', '7500.00'],
      ['Σ MXN', '53345.67', '3499.50', '17000.00', '0.00', '6000.00', '7500.00', '-500.00', '86845.17'],
    ]);
  });

  it('in document currency: a group per currency with its own totals, never summed across', async () => {
    const r = await readAged(query, { currency: 'document' });
    expect([r.mode, r.currency]).toEqual(['document', null]);
    expect(lines(r)).toEqual([
      ['C1', '2345.67', '3499.50', '0.00', '0.00', '6000.00', '0.00', '-500.00', '11345.17'],
      ['C4', '0.00', '0.00', '0.00', '0.00', '0.00', '7500.00', '0.00', '7500.00'],
      ['Σ MXN', '2345.67', '3499.50', '0.00', '0.00', '6000.00', '7500.00', '-500.00', '18845.17'],
      ['C2', '3000.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '3000.00'],
      ['C1', '0.00', '0.00', '1000.00', '0.00', '0.00', '0.00', '0.00', '1000.00'],
      ['Σ USD', '3000.00', '0.00', '1000.00', '0.00', '0.00', '0.00', '0.00', '4000.00'],
    ]);
  });

  it('in another currency at the models rate, and filtered by collector, segment and country', async () => {
    const usd = await readAged(query, { currency: 'USD' });
    expect(usd.groups.map((g) => g.currency)).toEqual(['USD']);
    // 51,000 MXN / 17 and 17,000 MXN / 17: the documents' own amounts again.
    expect(usd.groups[0].lines[0]).toMatchObject({ customerId: 'C2', total: '3000.00' });
    expect(usd.groups[0].lines.find((l) => l.customerId === 'C1')?.amounts[2]).toBe('1000.00');
    const ana = await readAged(query, { collector: 'Ana Ruiz' });
    expect(lines(ana).map((l) => l[0])).toEqual(['C1', 'Σ MXN']);
    expect(ana.groups[0].total.total).toBe('28345.17');
    expect(lines(await readAged(query, { segment: 'corporate' })).map((l) => l[0])).toEqual(['C2', 'Σ MXN']);
    expect(lines(await readAged(query, { country: 'MX' })).map((l) => l[0])).toEqual(['C1', 'C4', 'Σ MXN']);
    expect((await readAged(query, { country: 'AR' })).groups).toEqual([]);
  });

  it('as of an earlier date the items age from it; a later date or an unknown currency is refused', async () => {
    const may = await readAged(query, { asOf: '2024-05-31', currency: 'document' });
    // F-100 61 days past due on 05-31; F-101 not due until 06-09; F-500 107 days; F-200 30 days.
    expect(lines(may)).toContainEqual(['C1', '5000.00', '0.00', '0.00', '6000.00', '0.00', '0.00', '0.00', '11000.00']);
    expect(lines(may)).toContainEqual(['C4', '0.00', '0.00', '0.00', '0.00', '7500.00', '0.00', '0.00', '7500.00']);
    expect(lines(may)).toContainEqual(['C1', '0.00', '1000.00', '0.00', '0.00', '0.00', '0.00', '0.00', '1000.00']);
    await expect(readAged(query, { asOf: '2024-07-01' })).rejects.toThrow(/after the data's as-of 2024-06-30/);
    await expect(readAged(query, { currency: 'EUR' })).rejects.toThrow(/no exchange rate for EUR/);
  });
});

describe('the aged receivables report as XLSX', () => {
  it('typed numeric cells in the currency format, a frozen header, totals and print setup', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await agedXlsx(await readAged(query, { currency: 'document' }), parseLocale('es-MX'))) as never);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('Antigüedad');
    expect(String(ws.getCell('A1').value)).toContain('Antigüedad de saldos — Al 30 jun 2024');
    expect(ws.getRow(3).values).toEqual([undefined, 'No. de cliente', 'Cliente', 'Moneda', 'Al corriente', '1-30 días', '31-60 días', '61-90 días', '91-120 días', '> 120 días', 'Sin aplicar', 'Total']);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' });
    const c1 = ws.getRow(4);
    expect([c1.getCell(1).value, c1.getCell(3).value, c1.getCell(4).value, c1.getCell(10).value, c1.getCell(11).value]).toEqual(['C1', 'MXN', 2345.67, -500, 11345.17]);
    expect(c1.getCell(4).type).toBe(ExcelJS.ValueType.Number);
    expect(c1.getCell(4).numFmt).toBe('#,##0.00 "MXN";-#,##0.00 "MXN"');
    const totals = ws.getRow(6);
    expect(totals.getCell(1).value).toBe('Total MXN');
    expect(totals.getCell(11).value).toEqual({ formula: 'SUM(K4:K5)', result: 18845.17 });
    expect(totals.font?.bold).toBe(true);
    const usdTotals = ws.getRow(9);
    expect([usdTotals.getCell(1).value, usdTotals.getCell(6).value]).toEqual(['Total USD', { formula: 'SUM(F7:F8)', result: 1000 }]);
    expect(usdTotals.getCell(11).numFmt).toContain('"USD"');
  });
});

describe('the aged receivables report as PDF', () => {
  it('reads back in es-MX and en-US, each in its own number format', async () => {
    const report = await readAged(query, {});
    const render = async (tag: string) => {
      const locale = parseLocale(tag);
      return pdfText(await agedPdf(layoutAged(report, locale), REPORT_LABELS[locale.lang].page, new Date('2024-06-30T00:00:00Z')));
    };
    const es = await render('es-MX');
    expect(es).toContain('Antigüedad de saldos');
    expect(es).toContain('Al 30 jun 2024');
    // Each table is one currency, named in its title ('Moneda: MXN'), so its cells carry no symbol: MX$ in every cell
    // made figures shrink to fit their columns.
    expect(es).toContain('Moneda: MXN');
    expect(es).toMatch(/^ *C1 +Ferretería Núñez, S\.A\. de C\.V\. +2,345\.67 +3,499\.50 +17,000\.00 +0\.00 +6,000\.00 +0\.00 +-500\.00 +28,345\.17 *$/m);
    expect(hasRow(es, ['C4', 'Distribuidora Sol', '0.00', '0.00', '0.00', '0.00', '0.00', '7,500.00', '0.00', '7,500.00'])).toBe(true);
    expect(hasRow(es, ['Total MXN', '53,345.67', '3,499.50', '17,000.00', '0.00', '6,000.00', '7,500.00', '-500.00', '86,845.17'])).toBe(true);
    const en = await render('en-US');
    expect(en).toContain('Aged receivables');
    expect(hasRow(en, ['Total MXN', '53,345.67', '3,499.50', '17,000.00', '0.00', '6,000.00', '7,500.00', '-500.00', '86,845.17'])).toBe(true);
    expect(en).not.toContain('MX$');
    const co = pdfText(await agedPdf(layoutAged(report, parseLocale('es-CO')), REPORT_LABELS.es.page, new Date()));
    expect(co).toContain('86.845,17');
  });

  it('prints a name too long for its column whole, on as many lines as it takes: cut, two branches of one group read the same', async () => {
    const report = await readAged(query, {});
    const long = 'Ferretería Núñez, S.A. de C.V., Sucursal Guadalajara Norte';
    const first = report.groups[0].lines[0];
    first.customerName = long;
    const text = pdfText(await agedPdf(layoutAged(report, parseLocale('es-MX')), REPORT_LABELS.es.page, new Date('2024-06-30T00:00:00Z')));
    expect(text).not.toContain('…');
    const at = text.split('\n').findIndex((l) => l.trim().startsWith(`${first.customerId} `));
    expect(at).toBeGreaterThanOrEqual(0);
    // The row's first line holds the figures; the rest of the name follows under it, in its column.
    const name = [text.split('\n')[at].trim().replace(/^\S+ +/, '').replace(/ {2,}.*$/, ''), ...text.split('\n').slice(at + 1, at + 3).map((l) => l.trim())].join(' ');
    expect(name.startsWith(long), text).toBe(true);
  });
});

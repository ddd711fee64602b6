/**
 * The month-end pack and the report endpoints on the hand-computed warehouse of
 * test/statements/tiny-warehouse.ts, through the real app (`app.request()`) and the real CLI.
 *
 * By hand, the CFO page's KPIs as of 2024-06-30 (MXN; USD at 17.00):
 *   open AR  06-30: 86,845.17 (the aged report's total)   05-31: 11,000 + 1,000 × 17 + 7,500 = 35,500.00
 *   overdue  06-30: (3,499.50 + 17,000 + 6,000 + 7,500) / 86,845.17 = 39.1 %
 *            05-31: (6,000 + 17,000 + 7,500) / 35,500 = 85.9 %; change -46.8 pp
 *   provision exposure 06-30: the positive receivables, 86,845.17 + 500 (NC-1 is unapplied) = 87,345.17
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { formatsFor } from '../../src/locale/formats.ts';
import { hasRow, pdfText } from '../statements/read-back.ts';
import { tinyApp, type TinyApp } from '../statements/tiny-app.ts';
import { statementsWarehouse } from '../statements/tiny-warehouse.ts';
import type { RoleKeys } from '../support/keys.ts';

const exec = promisify(execFile);

let t: Awaited<ReturnType<typeof statementsWarehouse>>;
let a: TinyApp;
let wh: Warehouse;
let keys: RoleKeys;
/** What `cartera export pack --locale en-US` wrote, run before this process opens the warehouse (DuckDB locks its file). */
let cli: { stdout: string; out: string };
beforeAll(async () => {
  t = await statementsWarehouse();
  const out = join(t.dir, 'pack.pdf');
  const r = await exec(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'export', 'pack', '--db', t.db, '--as-of', '2024-06-30', '--out', out, '--locale', 'en-US']);
  cli = { stdout: r.stdout, out };
  a = await tinyApp(t);
  ({ wh, keys } = a);
}, 120_000);
afterAll(async () => {
  await a?.close();
  t?.cleanup();
});

const get = (path: string, key: string) => a.get(path, key);
const body = async (r: Response) => new Uint8Array(await r.arrayBuffer());

/** The mart's rows, as the pack must print them (same SQL source as the CFO page). */
async function martFigures(tag: string) {
  const f = formatsFor(tag);
  const [p] = await wh.all<{ exposure: string; provision: string }>(
    `select sum(exposure)::varchar as exposure, sum(provision)::varchar as provision from agg_provision_matrix where month_end = '2024-06-30'`,
  );
  const weeks = await wh.all<{ week_number: number; week_start: string; week_end: string; expected: string; invoices: string }>(
    `select week_number, week_start::varchar as week_start, week_end::varchar as week_end, expected_amount::varchar as expected, invoices::varchar as invoices
     from agg_cash_forecast where horizon = 'week' order by week_number`,
  );
  // Money columns of the provision and forecast tables name the currency in their titles, as on the page: cells are bare amounts.
  return {
    exposure: f.amount(p.exposure, 'MXN'),
    provision: f.amount(p.provision, 'MXN'),
    weeks: weeks.map((w) => [String(w.week_number), f.date(w.week_start), f.date(w.week_end), f.amount(w.expected, 'MXN'), w.invoices]),
  };
}

describe('GET /api/reports/aged-receivables', () => {
  it('answers JSON: the buckets in order, a row per customer with one amount per bucket and its total, and the totals', async () => {
    const r = await get('/api/reports/aged-receivables?as_of=2024-06-30', keys.cfo);
    expect(r.status).toBe(200);
    const j = await r.json();
    expect(j).toMatchObject({ as_of: '2024-06-30', mode: 'reporting', currency: 'MXN' });
    expect(j.buckets).toEqual(['current', '1-30', '31-60', '61-90', '91-120', '120+', 'unapplied']);
    expect(j.data.map((d: { customer_id: string }) => d.customer_id)).toEqual(['C2', 'C1', 'C4']);
    expect(j.data[1]).toEqual({
      customer_id: 'C1', customer_name: 'Ferretería Núñez, S.A. de C.V.', currency: 'MXN',
      current: '2345.67', '1-30': '3499.50', '31-60': '17000.00', '61-90': '0.00', '91-120': '6000.00', '120+': '0.00', unapplied: '-500.00', total: '28345.17',
    });
    expect(j.totals).toEqual([{ currency: 'MXN', current: '53345.67', '1-30': '3499.50', '31-60': '17000.00', '61-90': '0.00', '91-120': '6000.00', '120+': '7500.00', unapplied: '-500.00', total: '86845.17' }]);
  });

  it('in document currency, totals per currency; filtered by collector', async () => {
    const j = await (await get('/api/reports/aged-receivables?currency=document&collector=Ana%20Ruiz', keys.cfo)).json();
    expect(j.data.map((d: { customer_id: string; currency: string; total: string }) => [d.customer_id, d.currency, d.total])).toEqual([
      ['C1', 'MXN', '11345.17'],
      ['C1', 'USD', '1000.00'],
    ]);
    expect(j.totals.map((x: { currency: string; total: string }) => [x.currency, x.total])).toEqual([['MXN', '11345.17'], ['USD', '1000.00']]);
  });

  it('answers XLSX and PDF files', async () => {
    const x = await get('/api/reports/aged-receivables?format=xlsx&locale=en-US', keys.analyst);
    expect(x.status).toBe(200);
    expect(x.headers.get('content-disposition')).toBe('attachment; filename="aged_receivables_2024-06-30.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await x.arrayBuffer()) as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(3).getCell(2).value).toBe('Customer');
    expect(ws.getRow(7).getCell(11).value).toEqual({ formula: 'SUM(K4:K6)', result: 86845.17 });
    const p = await get('/api/reports/aged-receivables?format=pdf&locale=es-CO&segment=pyme', keys.cfo);
    expect(p.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(await body(p));
    expect(text).toContain('Segmento: pyme');
    // es-CO writes amounts with a decimal comma; the table's title names their currency.
    expect(text).toContain('Moneda: MXN');
    expect(hasRow(text, ['Total MXN', '2.345,67', '3.499,50', '17.000,00', '0,00', '6.000,00', '7.500,00', '-500,00', '35.845,17'])).toBe(true);
  });

  it('refuses what it cannot answer, as problem+json; a collections key may not read it', async () => {
    for (const [q, detail] of [
      ['as_of=2024-07-31', /after the data's as-of 2024-06-30/],
      ['currency=EUR', /no exchange rate for EUR/],
      ['currency=pesos', /neither a 3-letter/],
      ['locale=fr-FR', /locale 'fr-FR'/],
      ['format=csv', /format/],
    ] as const) {
      const r = await get(`/api/reports/aged-receivables?${q}`, keys.cfo);
      expect(r.status, q).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect((await r.json()).detail, q).toMatch(detail);
    }
    expect((await get('/api/reports/aged-receivables', keys.collections)).status).toBe(403);
    expect((await get('/api/reports/pack', keys.own)).status).toBe(403);
  });

  it('/openapi.json documents both report endpoints', async () => {
    const doc = await (await get('/openapi.json', keys.cfo)).json();
    expect(doc.paths).toHaveProperty(['/api/reports/aged-receivables']);
    expect(doc.paths).toHaveProperty(['/api/reports/pack']);
    const format = doc.paths['/api/reports/aged-receivables'].get.parameters.find((p: { name: string }) => p.name === 'format');
    expect(format.schema.enum).toEqual(['json', 'xlsx', 'pdf']);
  });
});

describe('the month-end pack', () => {
  it('GET /api/reports/pack in es-MX: the four sections with the page\'s figures', async () => {
    const r = await get('/api/reports/pack?as_of=2024-06-30&locale=es-MX', keys.cfo);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="month_end_pack_2024-06-30.pdf"');
    const text = pdfText(await body(r));
    for (const s of ['Paquete de cierre de mes', 'Indicadores del mes', 'Antigüedad de saldos', 'Estimación para cuentas incobrables', 'Pronóstico de cobranza']) expect(text).toContain(s);
    expect(text).toContain('Página 4 de 4');
    expect(hasRow(text, ['Cartera abierta', '$86,845.17', '$35,500.00', '+$51,345.17'])).toBe(true);
    expect(hasRow(text, ['% vencido', '39.1%', '85.9%', '-46.8 p. p.'])).toBe(true);
    expect(hasRow(text, ['Total MXN', '53,345.67', '3,499.50', '17,000.00', '0.00', '6,000.00', '7,500.00', '-500.00', '86,845.17'])).toBe(true);
    const mart = await martFigures('es-MX');
    expect(mart.exposure).toBe('87,345.17');
    expect(text).toMatch(new RegExp(`^ *Total +87,345\\.17 .*${mart.provision.replace(/[$.]/g, '\\$&')}`, 'm'));
    expect(text).toMatch(/^ *Tramo +Saldo \(MXN\) /m);
    expect(text).toMatch(/Cobranza esperada \(MXN\)/);
    expect(mart.weeks).toHaveLength(13);
    for (const w of mart.weeks) expect(hasRow(text, w), w.join(' ')).toBe(true);
  });

  it('cartera export pack --locale en-US writes the same pack in English and US formats', async () => {
    expect(cli.stdout.trim()).toBe(cli.out);
    const text = pdfText(readFileSync(cli.out));
    for (const s of ['Month-end pack', 'KPIs of the month', 'Aged receivables', 'Provision for doubtful accounts', 'cash forecast']) expect(text).toContain(s);
    expect(hasRow(text, ['Open AR', 'MX$86,845.17', 'MX$35,500.00', '+MX$51,345.17'])).toBe(true);
    expect(hasRow(text, ['Overdue %', '39.1%', '85.9%', '-46.8 pp'])).toBe(true);
    const mart = await martFigures('en-US');
    for (const w of mart.weeks) expect(hasRow(text, w), w.join(' ')).toBe(true);
  });

  it('a date inside a month prints the month end before it, as the page does, and says so', async () => {
    const text = pdfText(await body(await get('/api/reports/pack?as_of=2024-06-15&locale=es-MX', keys.cfo)));
    expect(text).toContain('Al 31 may 2024');
    expect(text).toMatch(/se muestra el cierre del 2024-05-31/);
    expect(hasRow(text, ['Cartera abierta', '$35,500.00'])).toBe(false);
    expect(text).toMatch(/^ *Cartera abierta +\$35,500\.00/m);
    expect(hasRow(text, ['Total MXN', '5,000.00', '17,000.00', '0.00', '6,000.00', '7,500.00', '0.00', '0.00', '35,500.00'])).toBe(true);
  });
});

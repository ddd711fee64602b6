/**
 * GET /api/customers/:id/statement on the hand-computed warehouse (tiny-warehouse.ts), through the
 * real app with `app.request()`: the page and the PDF, a collector's scope, and what it refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoleKeys } from '../support/keys.ts';
import { hasRow, htmlRows, htmlText, pdfText } from './read-back.ts';
import { tinyApp, type TinyApp } from './tiny-app.ts';
import { statementsWarehouse } from './tiny-warehouse.ts';

let t: Awaited<ReturnType<typeof statementsWarehouse>>;
let a: TinyApp;
let keys: RoleKeys;
let get: TinyApp['get'];
beforeAll(async () => {
  t = await statementsWarehouse();
  a = await tinyApp(t);
  ({ keys, get } = a);
}, 120_000);
afterAll(async () => {
  await a?.close();
  t?.cleanup();
});

describe('GET /api/customers/:id/statement', () => {
  it('answers a standalone HTML page by default, under the plain-page CSP, in the locale of the customer', async () => {
    const r = await get('/api/customers/C1/statement', keys.collections);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await r.text();
    expect(html).not.toMatch(/<script|<link|src=/);
    // C1 is in Mexico: es-MX, at the data's as-of.
    expect(html).toContain('<html lang="es">');
    expect(htmlText(html)).toContain('Saldo al 30 jun 2024: $11,345.17 Vencido: $9,499.50');
    expect(htmlRows(html)).toContainEqual(['F-100', 'Factura', '1 mar 2024', '31 mar 2024', '91', '91-120 días', '$6,000.00']);
  });

  it('as of an earlier date and in another locale', async () => {
    const r = await get('/api/customers/C1/statement?as_of=2024-05-31&locale=en-US', keys.admin);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(htmlText(html)).toContain('Balance as of May 31, 2024: MX$11,000.00 Past due: MX$6,000.00');
    expect(htmlRows(html)).toContainEqual(['F-100', 'Invoice', 'Mar 1, 2024', 'Mar 31, 2024', '61', '61-90 days', 'MX$6,000.00']);
  });

  it('answers a PDF with a file name, whose text reads back', async () => {
    const r = await get('/api/customers/C1/statement?format=pdf&as_of=2024-06-30', keys.own);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="statement_C1_2024-06-30.pdf"');
    const body = new Uint8Array(await r.arrayBuffer());
    expect(Buffer.from(body.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const text = pdfText(body);
    expect(text).toContain('Estado de cuenta');
    expect(hasRow(text, ['F-101', 'Factura', '10 may 2024', '9 jun 2024', '21', '1-30 días', '$3,499.50'])).toBe(true);
    expect(hasRow(text, ['F-200', 'Factura', '1 abr 2024', '1 may 2024', '60', '31-60 días', 'USD 1,000.00'])).toBe(true);
  });

  it('a collector sees its own customers only: another collector\'s answers 404, like an unknown id', async () => {
    expect((await get('/api/customers/C1/statement', keys.own)).status).toBe(200);
    for (const path of ['/api/customers/C2/statement', '/api/customers/C4/statement?format=pdf', '/api/customers/nobody/statement']) {
      const r = await get(path, keys.own);
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await get('/api/customers/C2/statement', keys.collections)).status).toBe(200);
    expect((await (await get('/api/customers/nobody/statement', keys.admin)).json()).detail).toBe("no customer with id 'nobody'");
  });

  it('who may ask: collections, the CFO (from a debtor on its page), analysts and admins; no key 401', async () => {
    expect((await get('/api/customers/C1/statement', keys.analyst)).status).toBe(200);
    expect((await get('/api/customers/C1/statement', keys.cfo)).status).toBe(200);
    expect((await get('/api/customers/C1/statement')).status).toBe(401);
  });

  it('refuses a bad as_of, format or locale with 400 naming it', async () => {
    const cases: [string, RegExp][] = [
      ['as_of=2024-13-01', /'as_of'/],
      ['as_of=30/06/2024', /'as_of'/],
      ['as_of=2024-07-01', /after the data's as-of 2024-06-30/],
      ['format=docx', /'format'/],
      ['locale=fr-FR', /locale 'fr-FR'/],
      ['locale=not a locale', /locale 'not a locale'/],
    ];
    for (const [query, detail] of cases) {
      const r = await get(`/api/customers/C1/statement?${query}`, keys.admin);
      expect(r.status, query).toBe(400);
      expect((await r.json()).detail, query).toMatch(detail);
    }
  });

  it('is in the API reference with its parameters', async () => {
    const doc = await (await get('/openapi.json')).json();
    const op = doc.paths['/api/customers/{id}/statement'].get;
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['as_of', 'format', 'id', 'locale']);
    expect(Object.keys(op.responses[200].content)).toEqual(['text/html', 'application/pdf']);
    const docs = await (await get('/docs')).text();
    expect(docs).toContain('/api/customers/{id}/statement');
    expect(docs).not.toMatch(/<script|https?:\/\/(?!httpstatuses)/);
  });

  it('leaves the customer routes as they were', async () => {
    const one = await get('/api/customers/C1', keys.own);
    expect(one.status).toBe(200);
    const body = await one.json();
    expect(body.customer.customer_id).toBe('C1');
    expect(body.open_items.map((i: { invoice_id: string }) => i.invoice_id)).toEqual(['F-100', 'F-200', 'NC-1', 'F-101', 'F-102']);
    expect((await get('/api/customers/C2', keys.own)).status).toBe(404);
    const list = await get('/api/customers?sort=customer_id&order=asc', keys.collections);
    expect((await list.json()).data.map((c: { customer_id: string }) => c.customer_id)).toEqual(['C1', 'C2', 'C3', 'C4']);
  });
});

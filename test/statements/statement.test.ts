/**
 * The statement on the hand-computed case of tiny-warehouse.ts: open items, buckets, days past due,
 * recent payments and credits and balances, checked in the data, in the HTML page and in the
 * PDF's text read back by pdftotext, in Spanish and English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import {
  layoutStatement,
  loadCompany,
  parseLocale,
  readStatement,
  readStatements,
  statementAsOf,
  statementHtml,
  statementPdf,
  type Company,
  type Read,
  type StatementData,
} from '../../src/statements/index.ts';
import { hasRow, htmlRows, htmlText, pdfText } from './read-back.ts';
import { AS_OF, statementsWarehouse } from './tiny-warehouse.ts';

let t: Awaited<ReturnType<typeof statementsWarehouse>>;
let wh: Warehouse;
let read: Read;
let company: Company | undefined;
beforeAll(async () => {
  t = await statementsWarehouse();
  wh = await Warehouse.open(t.db);
  read = (sql, params) => wh.all(sql, params);
  company = loadCompany(`${t.dir}/company.yaml`);
}, 120_000);
afterAll(() => {
  wh?.close();
  t?.cleanup();
});

const c1 = async (asOf = AS_OF) => (await readStatement(read, 'C1', asOf)) as StatementData;
const render = async (data: StatementData, tag: string) => {
  const layout = layoutStatement(data, parseLocale(tag), company);
  return { html: statementHtml(layout), pdf: pdfText(await statementPdf(layout, new Date(`${data.asOf}T00:00:00Z`))) };
};

describe('the data of a statement (the models, not re-aged)', () => {
  it('C1 on 2024-06-30: one section per currency, open items with their buckets, days and balances', async () => {
    const d = await c1();
    expect(d.sections.map((s) => s.currency)).toEqual(['MXN', 'USD']);
    const [mxn, usd] = d.sections;
    expect(mxn.items.map((i) => [i.document, i.daysPastDue, i.bucket, i.outstanding])).toEqual([
      ['F-100', 91, '91-120', '6000.00'], // 10,000 - 4,000; due 03-31: 30 + 31 + 30 days to 06-30
      ['F-101', 21, '1-30', '3499.50'], // 5,000 - 1,500.50; due 06-09
      ['F-102', -15, 'current', '2345.67'], // due 07-15
      ['NC-1', null, 'unapplied', '-500.00'], // a credit note naming no invoice
    ]);
    // 6,000 + 3,499.50 + 2,345.67 - 500; past due: 6,000 + 3,499.50.
    expect([mxn.balance, mxn.overdue]).toEqual(['11345.17', '9499.50']);
    expect(mxn.buckets.map((b) => `${b.bucket}=${b.amount}`)).toEqual([
      'current=2345.67', '1-30=3499.50', '31-60=0.00', '61-90=0.00', '91-120=6000.00', '120+=0.00', 'unapplied=-500.00',
    ]);
    // P-3 (02-20) and P-3b (04-01, exactly 90 days back) fall outside 2024-04-02..06-30.
    expect(d.since).toBe('2024-04-02');
    expect(mxn.movements.map((m) => [m.date, m.kind, m.document, m.appliedTo, m.amount])).toEqual([
      ['2024-04-15', 'payment', 'P-1', 'F-100', '4000.00'],
      ['2024-06-05', 'credit_note', 'NC-1', null, '500.00'],
      ['2024-06-20', 'payment', 'P-2', 'F-101', '1500.50'],
    ]);
    expect(mxn.movementsTotal).toBe('6000.50');
    // USD is never added to MXN: its own section. F-200: 1,200 - 200, due 05-01, 60 days: the last day of 31-60.
    expect(usd.items.map((i) => [i.document, i.daysPastDue, i.bucket, i.outstanding])).toEqual([['F-200', 60, '31-60', '1000.00']]);
    expect([usd.balance, usd.overdue, usd.movementsTotal]).toEqual(['1000.00', '1000.00', '200.00']);
  });

  it('C1 on 2024-05-31: what was open then (F-102 and NC-1 not issued, P-2 not paid yet)', async () => {
    const d = await c1('2024-05-31');
    const [mxn, usd] = d.sections;
    expect(mxn.items.map((i) => [i.document, i.daysPastDue, i.bucket, i.outstanding])).toEqual([
      ['F-100', 61, '61-90', '6000.00'],
      ['F-101', -9, 'current', '5000.00'],
    ]);
    expect([mxn.balance, mxn.overdue]).toEqual(['11000.00', '6000.00']);
    // Window 2024-03-03..05-31: P-3b of 04-01 is in it now, P-2 of 06-20 is after it.
    expect(mxn.movements.map((m) => `${m.document}=${m.amount}`)).toEqual(['P-3b=400.00', 'P-1=4000.00']);
    expect(mxn.movementsTotal).toBe('4400.00');
    expect(usd.items.map((i) => [i.document, i.daysPastDue, i.bucket])).toEqual([['F-200', 30, '1-30']]);
  });

  it('a customer with nothing open shows its recent payments; with neither, no section; an unknown id, no statement', async () => {
    // F-400 (8,000.00) was paid in full on 05-10, inside the window of 06-30.
    const c3 = (await readStatement(read, 'C3', AS_OF))!;
    expect(c3.sections.map((s) => [s.currency, s.items.length, s.balance, s.overdue, s.movementsTotal])).toEqual([['MXN', 0, '0.00', '0.00', '8000.00']]);
    expect((await readStatement(read, 'C3', '2024-03-31'))!.sections).toEqual([]);
    expect(await readStatement(read, 'nobody', AS_OF)).toBeUndefined();
  });

  it('reads a batch: the customers with open items, by collector; refuses an as-of after the data', async () => {
    const ids = async (scope: Parameters<typeof readStatements>[2]) => (await readStatements(read, AS_OF, scope)).map((d) => d.customer.id);
    expect(await ids({ openOnly: true })).toEqual(['C1', 'C2', 'C4']);
    expect(await ids({ collector: 'Ana Ruiz', openOnly: true })).toEqual(['C1']);
    expect(await ids({ collector: 'Ana Ruiz' })).toEqual(['C1', 'C3']);
    expect(await ids({ collector: 'Bruno Díaz', openOnly: true })).toEqual(['C2', 'C4']);
    // A batch reads each customer as reading it alone does.
    const batch = await readStatements(read, AS_OF, {});
    for (const d of batch) expect(d).toEqual(await readStatement(read, d.customer.id, AS_OF));
    expect(await statementAsOf(read)).toBe(AS_OF);
    await expect(statementAsOf(read, '2024-07-01')).rejects.toThrow(/after the data's as-of 2024-06-30/);
  });
});

describe('the statement in Spanish (es-MX)', () => {
  it('HTML: seller, customer, the rows and totals as computed, Mexican formats', async () => {
    const { html } = await render(await c1(), 'es-MX');
    expect(html).toMatch(/^<!doctype html>\n<html lang="es">/);
    expect(html).not.toMatch(/<script|<link|src=|url\(/);
    const text = htmlText(html);
    for (const s of ['Estado de cuenta', 'Al 30 jun 2024', 'Comercializadora Ejemplo, S.A. de C.V.', 'Id. fiscal: CEJ990101AB1', 'Ferretería Núñez, S.A. de C.V.', 'FNU010101AB1', 'Plazo de pago', '30 días']) {
      expect(text).toContain(s);
    }
    expect(text).toMatch(/Moneda: MXN\s+Saldo al 30 jun 2024: \$11,345\.17\s+Vencido: \$9,499\.50/);
    expect(text).toMatch(/Moneda: USD\s+Saldo al 30 jun 2024: USD 1,000\.00\s+Vencido: USD 1,000\.00/);
    const rows = htmlRows(html);
    for (const row of [
      ['Documento', 'Tipo', 'Fecha', 'Vencimiento', 'Días vencidos', 'Antigüedad', 'Importe'],
      ['F-100', 'Factura', '1 mar 2024', '31 mar 2024', '91', '91-120 días', '$6,000.00'],
      ['F-101', 'Factura', '10 may 2024', '9 jun 2024', '21', '1-30 días', '$3,499.50'],
      ['F-102', 'Factura', '15 jun 2024', '15 jul 2024', '0', 'Al corriente', '$2,345.67'],
      ['NC-1', 'Nota de crédito', '5 jun 2024', '', '', 'Sin aplicar', '-$500.00'],
      ['Total', '', '', '', '', '', '$11,345.17'],
      ['Al corriente', '1-30 días', '31-60 días', '61-90 días', '91-120 días', '> 120 días', 'Sin aplicar', 'Total'],
      ['$2,345.67', '$3,499.50', '$0.00', '$0.00', '$6,000.00', '$0.00', '-$500.00', '$11,345.17'],
      ['15 abr 2024', 'Pago', 'P-1', 'F-100', '$4,000.00'],
      ['5 jun 2024', 'Nota de crédito', 'NC-1', '', '$500.00'],
      ['20 jun 2024', 'Pago', 'P-2', 'F-101', '$1,500.50'],
      ['Total', '', '', '', '$6,000.50'],
      ['F-200', 'Factura', '1 abr 2024', '1 may 2024', '60', '31-60 días', 'USD 1,000.00'],
      ['20 may 2024', 'Pago', 'P-4', 'F-200', 'USD 200.00'],
    ]) {
      expect(rows).toContainEqual(row);
    }
    expect(text).toContain('Pagos y créditos de los últimos 90 días (desde el 2 abr 2024)');
    // Never a sum across currencies: 11,345.17 + 1,000.00 appears nowhere.
    expect(text).not.toMatch(/12,345\.17/);
  });

  it('PDF: the same figures as real text, read back by pdftotext', async () => {
    const { pdf } = await render(await c1(), 'es-MX');
    for (const s of ['Estado de cuenta', 'Comercializadora Ejemplo, S.A. de C.V.', 'Ferretería Núñez, S.A. de C.V.', 'Gestor de cobranza: Ana Ruiz', 'Página 1 de 1']) {
      expect(pdf).toContain(s);
    }
    expect(pdf).toMatch(/Saldo al 30 jun 2024: \$11,345\.17 +Vencido: \$9,499\.50/);
    for (const row of [
      ['F-100', 'Factura', '1 mar 2024', '31 mar 2024', '91', '91-120 días', '$6,000.00'],
      ['F-101', 'Factura', '10 may 2024', '9 jun 2024', '21', '1-30 días', '$3,499.50'],
      ['F-102', 'Factura', '15 jun 2024', '15 jul 2024', '0', 'Al corriente', '$2,345.67'],
      ['NC-1', 'Nota de crédito', '5 jun 2024', 'Sin aplicar', '-$500.00'],
      ['Total', '$11,345.17'],
      ['$2,345.67', '$3,499.50', '$0.00', '$0.00', '$6,000.00', '$0.00', '-$500.00', '$11,345.17'],
      ['15 abr 2024', 'Pago', 'P-1', 'F-100', '$4,000.00'],
      ['5 jun 2024', 'Nota de crédito', 'NC-1', '$500.00'],
      ['20 jun 2024', 'Pago', 'P-2', 'F-101', '$1,500.50'],
      ['Total', '$6,000.50'],
      ['F-200', 'Factura', '1 abr 2024', '1 may 2024', '60', '31-60 días', 'USD 1,000.00'],
      ['20 may 2024', 'Pago', 'P-4', 'F-200', 'USD 200.00'],
    ]) {
      expect(hasRow(pdf, row), `${row.join(' | ')} in\n${pdf}`).toBe(true);
    }
  });

  it('Colombian formats when es-CO is asked for: decimal comma, day/month/year', async () => {
    const { html, pdf } = await render(await c1(), 'es-CO');
    expect(htmlRows(html)).toContainEqual(['F-100', 'Factura', '1/03/2024', '31/03/2024', '91', '91-120 días', 'MXN 6.000,00']);
    expect(hasRow(pdf, ['F-100', 'Factura', '1/03/2024', '31/03/2024', '91', '91-120 días', 'MXN 6.000,00'])).toBe(true);
  });
});

describe('the statement in English (en-US)', () => {
  it('HTML and PDF: English labels, US dates and numbers, the same figures', async () => {
    const { html, pdf } = await render(await c1(), 'en-US');
    expect(html).toContain('<html lang="en">');
    const text = htmlText(html);
    expect(text).toContain('Statement of account');
    expect(text).toContain('As of Jun 30, 2024');
    expect(text).toMatch(/Currency: MXN\s+Balance as of Jun 30, 2024: MX\$11,345\.17\s+Past due: MX\$9,499\.50/);
    expect(text).toContain('Payments and credits, last 90 days (since Apr 2, 2024)');
    const rows = htmlRows(html);
    expect(rows).toContainEqual(['Document', 'Type', 'Date', 'Due date', 'Days past due', 'Aging', 'Amount']);
    expect(rows).toContainEqual(['F-100', 'Invoice', 'Mar 1, 2024', 'Mar 31, 2024', '91', '91-120 days', 'MX$6,000.00']);
    expect(rows).toContainEqual(['NC-1', 'Credit note', 'Jun 5, 2024', '', '', 'Unapplied', '-MX$500.00']);
    expect(rows).toContainEqual(['F-200', 'Invoice', 'Apr 1, 2024', 'May 1, 2024', '60', '31-60 days', '$1,000.00']);
    expect(rows).toContainEqual(['Current', '1-30 days', '31-60 days', '61-90 days', '91-120 days', '> 120 days', 'Unapplied', 'Total']);
    expect(pdf).toContain('Statement of account');
    expect(pdf).toContain('Page 1 of 1');
    expect(hasRow(pdf, ['F-101', 'Invoice', 'May 10, 2024', 'Jun 9, 2024', '21', '1-30 days', 'MX$3,499.50'])).toBe(true);
    expect(hasRow(pdf, ['Jun 20, 2024', 'Payment', 'P-2', 'F-101', 'MX$1,500.50'])).toBe(true);
    expect(pdf).toContain('Wire to BBVA, CLABE 012180001234567891');
  });

  it('a customer with nothing to show says so, in its language', async () => {
    const { html, pdf } = await render((await readStatement(read, 'C3', '2024-03-31'))!, 'en-US');
    expect(htmlText(html)).toContain('No open balance and no recent payments or credits.');
    expect(pdf).toContain('No open balance and no recent payments or credits.');
  });
});

describe('a long statement', () => {
  it('runs over pages, each numbered, the table header repeated and no row lost', async () => {
    const d = await c1();
    const item = d.sections[0].items[0];
    const many = { ...d, sections: [{ ...d.sections[0], items: Array.from({ length: 90 }, (_, i) => ({ ...item, document: `F-${1000 + i}` })) }] };
    const { pdf } = await render(many, 'es-MX');
    const pages = pdf.split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => expect(page).toContain(`Página ${i + 1} de ${pages.length}`));
    for (let i = 0; i < 90; i++) expect(hasRow(pdf, [`F-${1000 + i}`, 'Factura', '1 mar 2024', '31 mar 2024', '91', '91-120 días', '$6,000.00'])).toBe(true);
    // Every page the table reaches starts it with its header again.
    const header = /Documento +Tipo +Fecha +Vencimiento +Días vencidos +Antigüedad +Importe/;
    const withRows = pages.filter((p) => /F-1\d{3} /.test(p));
    expect(withRows.length).toBe(pages.length);
    for (const page of withRows) expect(page).toMatch(header);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL, cents, generateSmall, isoFromDmy, readRows, removeGenerated } from './helpers.ts';

interface Doc {
  id: string;
  customer: string;
  date: string;
  due: string;
  cents: number;
  currency: string;
  type: string;
  status: string;
  reference: string;
}
interface Pay {
  id: string;
  customer: string;
  invoice: string;
  date: string;
  cents: number;
  currency: string;
  method: string;
}

const TYPE_ES: Record<string, string> = { Factura: 'invoice', 'Nota de crédito': 'credit_note', 'Nota de cargo': 'debit_note' };
const STATUS_ES: Record<string, string> = { Pendiente: 'open', Pagada: 'paid', Castigada: 'written_off', Jurídico: 'legal' };
const METHOD_ES: Record<string, string> = { Transferencia: 'transfer', Cheque: 'check', Tarjeta: 'card', Efectivo: 'cash', Castigo: 'write_off' };

/** Both dialects of invoices and payments read into one canonical shape. */
function readLedger(dir: string): { docs: Doc[]; pays: Pay[] } {
  const docs: Doc[] = [
    ...readRows(dir, 'invoices.csv').map((r) => ({
      id: r.invoice_id, customer: r.customer_id, date: r.invoice_date, due: r.due_date, cents: cents(r.amount),
      currency: r.currency, type: r.document_type, status: r.status, reference: r.reference,
    })),
    ...readRows(dir, 'facturas_mx.csv').map((r) => ({
      id: r.Folio, customer: r.Cliente, date: isoFromDmy(r['Fecha de emisión']), due: isoFromDmy(r.Vencimiento),
      cents: cents(r.Importe, true), currency: r.Moneda, type: TYPE_ES[r.Tipo], status: STATUS_ES[r.Estatus], reference: r.Referencia,
    })),
  ];
  const pays: Pay[] = [
    ...readRows(dir, 'payments.csv').map((r) => ({
      id: r.payment_id, customer: r.customer_id, invoice: r.invoice_id, date: r.payment_date, cents: cents(r.amount),
      currency: r.currency, method: r.method,
    })),
    ...readRows(dir, 'pagos_mx.csv').map((r) => ({
      id: r['Folio Pago'], customer: r.Cliente, invoice: r.Factura, date: isoFromDmy(r['Fecha de pago']),
      cents: cents(r.Importe, true), currency: r.Moneda, method: METHOD_ES[r['Forma de pago']],
    })),
  ];
  return { docs, pays };
}

afterAll(removeGenerated);

describe('a small generated portfolio', () => {
  let dir: string;
  let docs: Doc[];
  let pays: Pay[];
  let byId: Map<string, Doc>;
  beforeAll(async () => {
    dir = await generateSmall();
    ({ docs, pays } = readLedger(dir));
    byId = new Map(docs.map((d) => [d.id, d]));
  });

  it('has exactly --invoices documents, with unique ids and known types and statuses', () => {
    expect(docs).toHaveLength(SMALL.invoices);
    expect(byId.size).toBe(SMALL.invoices);
    for (const d of docs) {
      expect(['invoice', 'credit_note', 'debit_note']).toContain(d.type);
      expect(['open', 'paid', 'written_off', 'legal']).toContain(d.status);
      expect(d.id).toMatch(d.type === 'invoice' ? /^F-\d{7}$/ : d.type === 'credit_note' ? /^NC-\d{7}$/ : /^ND-\d{7}$/);
    }
    const share = (t: string) => docs.filter((d) => d.type === t).length / docs.length;
    expect(share('credit_note')).toBeGreaterThan(0.015);
    expect(share('credit_note')).toBeLessThan(0.05);
  });

  it('puts MXN documents in facturas_mx.csv and every other currency in invoices.csv', () => {
    expect(readRows(dir, 'invoices.csv').every((r) => r.currency !== 'MXN')).toBe(true);
    expect(readRows(dir, 'facturas_mx.csv').every((r) => r.Moneda === 'MXN')).toBe(true);
    expect(new Set(docs.map((d) => d.currency))).toEqual(new Set(['MXN', 'USD', 'COP', 'CLP']));
  });

  it('writes Chilean pesos in whole units everywhere', () => {
    const clp = [...docs, ...pays].filter((x) => x.currency === 'CLP');
    expect(clp.length).toBeGreaterThan(0);
    for (const x of clp) expect(Math.abs(x.cents) % 100, x.id).toBe(0);
    const clpInvoices = new Set(docs.filter((d) => d.currency === 'CLP').map((d) => d.id));
    for (const d of readRows(dir, 'disputes.csv').filter((r) => clpInvoices.has(r.invoice_id))) expect(cents(d.amount) % 100).toBe(0);
  });

  it('never has a due date before the invoice date, nor a document after --end', () => {
    for (const d of docs) {
      expect(d.due >= d.date, d.id).toBe(true);
      expect(d.date <= SMALL.end, d.id).toBe(true);
    }
  });

  it('has credit and debit notes that reference an earlier invoice of the same customer and currency', () => {
    for (const d of docs.filter((x) => x.type !== 'invoice')) {
      const target = byId.get(d.reference);
      expect(target?.type, d.id).toBe('invoice');
      expect(target!.customer).toBe(d.customer);
      expect(target!.currency).toBe(d.currency);
      expect(target!.date <= d.date).toBe(true);
    }
    // Canonical credit notes are negative; the Spanish ERP writes them positive with their type.
    const canonicalNotes = readRows(dir, 'invoices.csv').filter((r) => r.document_type === 'credit_note');
    expect(canonicalNotes.length).toBeGreaterThan(0);
    expect(canonicalNotes.every((r) => cents(r.amount) < 0)).toBe(true);
  });

  it('never has a payment after --end, and payment ids are unique', () => {
    expect(pays.length).toBeGreaterThan(SMALL.invoices / 2);
    expect(new Set(pays.map((p) => p.id)).size).toBe(pays.length);
    for (const p of pays) {
      expect(p.date <= SMALL.end, p.id).toBe(true);
      expect(p.id).toMatch(/^P-\d{7}-\d+$/);
      expect(p.cents).toBeGreaterThan(0);
    }
  });

  it('never applies more to a document than is owed on it, and settles what it calls paid', () => {
    const credited = new Map<string, number>();
    for (const d of docs) if (d.type === 'credit_note') credited.set(d.reference, (credited.get(d.reference) ?? 0) + Math.abs(d.cents));
    const applied = new Map<string, number>();
    const writtenOff = new Set<string>();
    for (const p of pays) {
      if (p.invoice === '') continue;
      const doc = byId.get(p.invoice);
      expect(doc, `${p.id} applies to an unknown document ${p.invoice}`).toBeDefined();
      expect(doc!.type).not.toBe('credit_note');
      expect(p.currency).toBe(doc!.currency);
      expect(p.customer).toBe(doc!.customer);
      expect(p.date >= doc!.date, p.id).toBe(true);
      applied.set(p.invoice, (applied.get(p.invoice) ?? 0) + p.cents);
      if (p.method === 'write_off') writtenOff.add(p.invoice);
    }
    let remainders = 0;
    for (const d of docs.filter((x) => x.type !== 'credit_note')) {
      const owed = d.cents - (credited.get(d.id) ?? 0);
      const paid = applied.get(d.id) ?? 0;
      expect(owed, d.id).toBeGreaterThanOrEqual(0);
      expect(paid, d.id).toBeLessThanOrEqual(owed);
      if (d.status === 'paid' || d.status === 'written_off') expect(paid, d.id).toBe(owed);
      else expect(paid, d.id).toBeLessThan(owed);
      expect(writtenOff.has(d.id), d.id).toBe(d.status === 'written_off');
      if (d.status === 'open' && paid > 0 && owed - paid < 100) remainders++;
    }
    expect(remainders, 'some invoices are left with a tiny remainder').toBeGreaterThan(0);
  });

  it('has the portfolio behaviours: open recent invoices, legal, write-offs, unapplied cash, receipts on several invoices', () => {
    // The earliest payers settle a 15-day invoice a week after issue: last week's invoices are open.
    const recent = docs.filter((d) => d.type === 'invoice' && d.date > '2026-10-24');
    expect(recent.length).toBeGreaterThan(10);
    expect(recent.filter((d) => d.status === 'open').length / recent.length).toBeGreaterThan(0.9);
    expect(docs.some((d) => d.status === 'legal')).toBe(true);
    expect(docs.some((d) => d.status === 'written_off')).toBe(true);
    expect(pays.some((p) => p.invoice === '')).toBe(true);
    expect(pays.some((p) => p.id.endsWith('-2'))).toBe(true);
    const methods = new Set(pays.map((p) => p.method));
    for (const m of ['transfer', 'check', 'write_off']) expect(methods).toContain(m);
  });

  it('knows every customer of every file from clientes.xlsx', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'clientes.xlsx'));
    const ws = wb.getWorksheet('Clientes')!;
    const known = new Set<string>();
    ws.eachRow((row, n) => {
      if (n > 1) known.add(String(row.getCell(1).value));
    });
    expect(known.size).toBe(SMALL.customers);
    const used = [
      ...docs.map((d) => d.customer),
      ...pays.map((p) => p.customer),
      ...readRows(dir, 'disputes.csv').map((r) => r.customer_id),
      ...readFileSync(join(dir, 'promises_to_pay.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).customer_id as string),
    ];
    for (const c of used) expect(known.has(c), c).toBe(true);
  });

  it('has disputes on real invoices, flagged as disputed, resolved after they opened', () => {
    const disputes = readRows(dir, 'disputes.csv');
    expect(disputes.length).toBeGreaterThan(0);
    for (const d of disputes) {
      const inv = byId.get(d.invoice_id);
      expect(inv?.type).toBe('invoice');
      expect(d.opened_date >= inv!.date && d.opened_date <= SMALL.end).toBe(true);
      if (d.status === 'resolved') expect(d.resolved_date > d.opened_date && d.resolved_date <= SMALL.end).toBe(true);
      else expect(d.resolved_date).toBe('');
    }
    const flagged = new Set([
      ...readRows(dir, 'invoices.csv').filter((r) => r.disputed === 'true').map((r) => r.invoice_id),
      ...readRows(dir, 'facturas_mx.csv').filter((r) => r.Disputa === 'Sí').map((r) => r.Folio),
    ]);
    expect(flagged).toEqual(new Set(disputes.map((d) => d.invoice_id)));
  });

  it('settles some won disputes with a credit note issued after the resolution', () => {
    const resolvedOn = new Map(readRows(dir, 'disputes.csv').filter((d) => d.status === 'resolved').map((d) => [d.invoice_id, d.resolved_date]));
    const notes = [
      ...readRows(dir, 'invoices.csv').map((r) => ({ type: r.document_type, date: r.invoice_date, reference: r.reference, description: r.description })),
      ...readRows(dir, 'facturas_mx.csv').map((r) => ({ type: r.Tipo, date: isoFromDmy(r['Fecha de emisión']), reference: r.Referencia, description: r.Concepto })),
    ].filter((n) => n.description === 'Nota de crédito por disputa resuelta');
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) {
      expect(['credit_note', 'Nota de crédito']).toContain(n.type);
      expect(resolvedOn.get(n.reference)! <= n.date, n.reference).toBe(true);
    }
  });

  it('keeps promises only when the invoice was paid by the promised date', () => {
    const lastPay = new Map<string, string>();
    for (const p of pays) if (p.invoice && p.method !== 'write_off' && p.date > (lastPay.get(p.invoice) ?? '')) lastPay.set(p.invoice, p.date);
    const promises = readFileSync(join(dir, 'promises_to_pay.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(new Set(promises.map((p) => p.status))).toEqual(new Set(['kept', 'broken', 'open']));
    for (const p of promises) {
      expect(p.promised_date > p.promise_date).toBe(true);
      if (p.status === 'kept') {
        const paid = lastPay.get(p.invoice_id)!;
        expect(paid >= p.promise_date && paid <= addDays(p.promised_date, 3), p.promise_id).toBe(true);
      }
    }
    const activities = JSON.parse(readFileSync(join(dir, 'collection_activities.json'), 'utf8'));
    expect(new Set(activities.map((a: { channel: string }) => a.channel))).toEqual(new Set(['call', 'email', 'visit', 'letter']));
    for (const a of activities) expect(byId.has(a.invoice_id) && a.activity_date <= SMALL.end).toBe(true);
  });

  it('writes daily FX rates as USD per unit with the warehouse types', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const path = join(dir, 'fx_rates.parquet');
    const types = (await conn.runAndReadAll('select column_name, column_type from (describe select * from read_parquet($1))', [path])).getRows();
    expect(types).toEqual([['rate_date', 'DATE'], ['currency', 'VARCHAR'], ['rate', 'DECIMAL(18,8)'], ['base_currency', 'VARCHAR']]);
    const stats = (
      await conn.runAndReadAll(
        `select currency, count(*)::int, count(distinct rate_date)::int, min(rate)::double, max(rate)::double, max(rate_date)::varchar, any_value(base_currency)
         from read_parquet($1) group by currency order by currency`,
        [path],
      )
    ).getRows();
    conn.closeSync();
    db.closeSync();
    expect(stats.map((r) => r[0])).toEqual(['CLP', 'COP', 'MXN', 'USD']);
    for (const [currency, n, distinct, min, max, last, base] of stats) {
      expect(n).toBe(distinct); // one rate a day
      expect(last).toBe(SMALL.end);
      expect(base).toBe('USD');
      if (currency === 'USD') expect([min, max]).toEqual([1, 1]);
      if (currency === 'MXN') expect(Number(min) > 0.03 && Number(max) < 0.09).toBe(true);
    }
  });
});

function addDays(iso: string, n: number): string {
  return new Date(Date.parse(iso) + n * 86_400_000).toISOString().slice(0, 10);
}

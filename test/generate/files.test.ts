import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseHeader, ENTITIES, type EntityName } from '../../src/canonical/entities.ts';
import { generateSmall, removeGenerated } from './helpers.ts';

const ALL_FILES = [
  'README.txt',
  'clientes.xlsx',
  'collection_activities.json',
  'disputes.csv',
  'facturas_mx.csv',
  'fx_rates.parquet',
  'invoices.csv',
  'pagos_mx.csv',
  'payments.csv',
  'promises_to_pay.ndjson',
];
const CANONICAL_FILES = [
  'README.txt',
  'collection_activities.csv',
  'customers.csv',
  'disputes.csv',
  'fx_rates.csv',
  'invoices.csv',
  'payments.csv',
  'promises_to_pay.csv',
];

const firstLine = (dir: string, file: string, encoding: BufferEncoding = 'utf8') =>
  readFileSync(join(dir, file)).toString(encoding).split(/\r?\n/)[0];

afterAll(removeGenerated);

describe('dialect all', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await generateSmall();
  });

  it('writes exactly the expected files, each described in README.txt', () => {
    expect(readdirSync(dir).sort()).toEqual(ALL_FILES);
    const readme = readFileSync(join(dir, 'README.txt'), 'utf8');
    for (const f of ALL_FILES.filter((f) => f !== 'README.txt')) expect(readme).toMatch(new RegExp(`^${f.replace('.', '\\.')}: \\S`, 'm'));
  });

  it('writes the exact headers', async () => {
    expect(firstLine(dir, 'invoices.csv')).toBe(
      'invoice_id,customer_id,invoice_date,due_date,amount,currency,document_type,status,disputed,reference,description',
    );
    expect(firstLine(dir, 'payments.csv')).toBe('payment_id,customer_id,invoice_id,payment_date,amount,currency,method,reference');
    expect(firstLine(dir, 'disputes.csv')).toBe('dispute_id,invoice_id,customer_id,opened_date,resolved_date,amount,reason,status');
    expect(firstLine(dir, 'facturas_mx.csv', 'latin1')).toBe(
      'Folio;Cliente;Fecha de emisión;Vencimiento;Importe;Moneda;Tipo;Estatus;Disputa;Referencia;Concepto',
    );
    expect(firstLine(dir, 'pagos_mx.csv', 'latin1')).toBe('Folio Pago;Cliente;Factura;Fecha de pago;Importe;Moneda;Forma de pago;Referencia');
    const promise = JSON.parse(firstLine(dir, 'promises_to_pay.ndjson'));
    expect(Object.keys(promise)).toEqual(['promise_id', 'customer_id', 'invoice_id', 'promise_date', 'promised_date', 'amount', 'status', 'collector']);
    const activities = JSON.parse(readFileSync(join(dir, 'collection_activities.json'), 'utf8'));
    expect(Object.keys(activities[0])).toEqual(['activity_id', 'customer_id', 'invoice_id', 'activity_date', 'channel', 'outcome', 'collector', 'notes']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'clientes.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Clientes']);
    expect((wb.getWorksheet('Clientes')!.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Clave Cliente', 'Razón Social', 'RFC', 'País', 'Segmento', 'Giro', 'Límite de Crédito', 'Días de Crédito', 'Cobrador', 'Correo', 'Teléfono', 'Cliente Desde',
    ]);
  });

  it('writes the Spanish files in windows-1252, not UTF-8', () => {
    for (const f of ['facturas_mx.csv', 'pagos_mx.csv']) {
      const bytes = readFileSync(join(dir, f));
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), f).toThrow();
    }
    const facturas = readFileSync(join(dir, 'facturas_mx.csv'));
    expect(facturas.includes(Buffer.from('emisi\xf3n', 'latin1'))).toBe(true); // ó = 0xF3
    expect(facturas.includes(Buffer.from('Nota de cr\xe9dito', 'latin1'))).toBe(true); // é = 0xE9
    expect(facturas.includes(0xc3)).toBe(false); // no UTF-8 lead byte of an accented letter
  });

  it('uses headers that ingestion maps to the intended canonical field', async () => {
    const check = (entity: EntityName, headers: string[], fields: string[]) => {
      headers.forEach((h, i) => {
        const spec = ENTITIES[entity].fields.find((f) => f.name === fields[i])!;
        expect(spec.synonyms, `${h} -> ${fields[i]}`).toContain(normaliseHeader(h));
      });
    };
    check('invoices', firstLine(dir, 'facturas_mx.csv', 'latin1').split(';'),
      ['invoice_id', 'customer_id', 'invoice_date', 'due_date', 'amount', 'currency', 'document_type', 'status', 'disputed', 'reference', 'description']);
    check('payments', firstLine(dir, 'pagos_mx.csv', 'latin1').split(';'),
      ['payment_id', 'customer_id', 'invoice_id', 'payment_date', 'amount', 'currency', 'method', 'reference']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'clientes.xlsx'));
    check('customers', (wb.getWorksheet('Clientes')!.getRow(1).values as string[]).slice(1),
      ['customer_id', 'name', 'tax_id', 'country', 'segment', 'industry', 'credit_limit', 'payment_terms_days', 'collector', 'email', 'phone', 'customer_since']);
  });

  it('writes real Excel numbers and dates in clientes.xlsx', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'clientes.xlsx'));
    const row = wb.getWorksheet('Clientes')!.getRow(2);
    expect(row.getCell(1).value).toMatch(/^C\d{5}$/);
    expect(typeof row.getCell(7).value).toBe('number');
    expect(typeof row.getCell(8).value).toBe('number');
    expect(row.getCell(12).value).toBeInstanceOf(Date);
  });
});

describe('dialect canonical', () => {
  it('writes every entity as canonical CSV with the canonical headers', async () => {
    const dir = await generateSmall({ dialect: 'canonical' });
    expect(readdirSync(dir).sort()).toEqual(CANONICAL_FILES);
    expect(firstLine(dir, 'customers.csv')).toBe(
      'customer_id,name,tax_id,country,segment,industry,credit_limit,payment_terms_days,collector,email,phone,customer_since',
    );
    expect(firstLine(dir, 'promises_to_pay.csv')).toBe('promise_id,customer_id,invoice_id,promise_date,promised_date,amount,status,collector');
    expect(firstLine(dir, 'collection_activities.csv')).toBe('activity_id,customer_id,invoice_id,activity_date,channel,outcome,collector,notes');
    expect(firstLine(dir, 'fx_rates.csv')).toBe('rate_date,currency,rate,base_currency');
    const invoices = readFileSync(join(dir, 'invoices.csv'), 'utf8');
    expect(invoices).toMatch(/,MXN,/);
    expect(invoices).toMatch(/,COP,/);
  });
});

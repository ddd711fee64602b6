/**
 * Hostile text files: every encoding Excel and ERPs write, stray bytes, line endings, quotes that
 * never close, and files that are not what their name says. Every data line of a file ends up
 * loaded, rejected with its line, or inside a file-level error that names the line.
 */
import iconv from 'iconv-lite';
import { INVOICE_HEADER, lines, matrix, put, type HostileCase } from './harness.ts';

const file = (name: string, content: string | Uint8Array) => (dir: string) => [put(dir, name, content)];
const byLine = 'select source_line::int as line, invoice_id from raw_invoices where not rejected order by source_line';
const named = 'select source_line::int as line, customer_name from raw_invoices where not rejected order by source_line';
const NAMES = ['invoice_id,customer_id,customer_name,invoice_date,amount', 'I1,C1,Martínez & Hijos,2024-01-10,1.00', 'I2,C2,Peña “La Única” – Sur,2024-01-11,2.00'];
const namedRows = [
  { line: 2, customer_name: 'Martínez & Hijos' },
  { line: 3, customer_name: 'Peña “La Única” – Sur' },
];
const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
/** Bytes of Latin-1/Windows-1252 text with raw bytes spliced in where `\x..` escapes stand. */
const bytes = (parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

const encodingCases: HostileCase[] = [
  {
    name: 'text: UTF-8 without a BOM',
    files: file('f.csv', lines(NAMES)),
    expect: { loaded: 2, rows: { sql: named, equals: namedRows }, notes: [] },
  },
  {
    name: "text: UTF-8 with a BOM and CRLF line ends (Excel's CSV UTF-8)",
    files: file('f.csv', '\uFEFF' + lines(NAMES, '\r\n')),
    expect: { loaded: 2, rows: { sql: named, equals: namedRows }, notes: [] },
  },
  {
    name: "text: UTF-16 LE with a BOM, tab separated, CRLF (Excel's Unicode text)",
    files: file('f.txt', Buffer.from('\uFEFF' + lines(NAMES.map((l) => l.replaceAll(',', '\t')), '\r\n'), 'utf16le')),
    expect: { loaded: 2, rows: { sql: named, equals: namedRows }, notes: ['text: UTF-16 LE'] },
  },
  {
    name: 'text: UTF-16 BE with a BOM',
    files: file('f.csv', utf16be('\uFEFF' + lines(NAMES))),
    expect: { loaded: 2, rows: { sql: named, equals: namedRows }, notes: ['text: UTF-16 BE'] },
  },
  {
    name: 'text: UTF-16 LE without a BOM',
    files: file('f.csv', Buffer.from(lines(NAMES), 'utf16le')),
    expect: { loaded: 2, rows: { sql: named, equals: namedRows }, notes: ['text: UTF-16 LE'] },
  },
  {
    name: 'text: Windows-1252 with €, curly quotes and dashes (Excel on Windows)',
    files: file('f.csv', iconv.encode(lines([...NAMES.map((l) => l.replaceAll(',', ';').replace(/(\d)\.00$/, '$1,00')), 'I3;C3;Café;2024-01-12;€ 1.234,50']), 'win1252')),
    expect: {
      loaded: 3,
      rows: { sql: 'select customer_name, amount::varchar as amount from raw_invoices order by source_line', equals: [...namedRows.map((r) => ({ customer_name: r.customer_name, amount: r.line === 2 ? '1.000000' : '2.000000' })), { customer_name: 'Café', amount: '1234.500000' }] },
      notes: ['text: Windows-1252'],
    },
  },
  {
    name: 'text: Latin-1',
    files: file('f.csv', iconv.encode(lines(['invoice_id,customer_id,customer_name,invoice_date,amount', 'I1,C1,José Peña,2024-01-10,1.00']), 'latin1')),
    expect: { loaded: 1, rows: { sql: named, equals: [{ line: 2, customer_name: 'José Peña' }] }, notes: ['text: Latin-1'] },
  },
  {
    name: 'text: one stray byte in a UTF-8 file repairs that line only, and says which',
    files: file('f.csv', bytes([lines([NAMES[0], 'I1,C1,Martínez,2024-01-10,1.00']), 'I2,C2,Mart', [0xed], 'nez,2024-01-11,2.00\nI3,C3,Muñoz,2024-01-12,3.00\n'])),
    expect: {
      loaded: 3,
      warnings: [[3, null, "byte 0xED is not UTF-8: read as Windows-1252 'í'", 'I2,C2,Martínez,2024-01-11,2.00']],
      rows: { sql: named, equals: [{ line: 2, customer_name: 'Martínez' }, { line: 3, customer_name: 'Martínez' }, { line: 4, customer_name: 'Muñoz' }] },
      notes: ['text: UTF-8, with 1 line holding bytes that are not UTF-8 (read as Windows-1252; see the warnings)'],
    },
  },
  {
    name: 'text: stray bytes on two lines give two warnings',
    files: file('f.csv', bytes([lines([NAMES[0], 'I1,C1,Ñandú,2024-01-10,1.00']), 'I2,C2,', [0x93], 'Sur', [0x94], ',2024-01-11,2.00\nI3,C3,Pe', [0xf1], 'a,2024-01-12,3.00\n'])),
    expect: {
      loaded: 3,
      warnings: [
        [3, null, "bytes 0x93, 0x94 are not UTF-8: read as Windows-1252 '“', '”'"],
        [4, null, "byte 0xF1 is not UTF-8: read as Windows-1252 'ñ'"],
      ],
      rows: { sql: named, equals: [{ line: 2, customer_name: 'Ñandú' }, { line: 3, customer_name: '“Sur”' }, { line: 4, customer_name: 'Peña' }] },
      notes: ['text: UTF-8, with 2 lines holding bytes that are not UTF-8 (read as Windows-1252; see the warnings)'],
    },
  },
  {
    name: 'text: binary data in a .csv is refused',
    files: file('f.csv', bytes([INVOICE_HEADER + '\nI1,C1,2024-01-10,', [0, 0, 1, 2], '\n'])),
    expect: { error: /f\.csv: not a text file: it holds binary data \(a NUL byte on line 2\)$/ },
  },
  {
    name: 'text: a zip named .csv is refused',
    files: file('f.csv', bytes([[0x50, 0x4b, 0x03, 0x04], 'rest of a zip'])),
    expect: { error: /f\.csv: a zip archive \(an Excel workbook\?\), not a text file: if it is a workbook, name it \.xlsx$/ },
  },
  {
    name: 'text: a PDF named .csv is refused',
    files: file('f.csv', '%PDF-1.7\n%âãÏÓ\n1 0 obj\n'),
    expect: { error: /f\.csv: a PDF document, not an export$/ },
  },
  {
    name: 'text: an Excel 97-2003 workbook named .csv is refused',
    files: file('f.csv', bytes([[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'x'.repeat(100)])),
    expect: { error: /f\.csv: an Excel 97-2003 workbook \(\.xls\) or a password-protected one: save it as \.xlsx \(without a password\)$/ },
  },
];

const invoices = (rows: string[], eol = '\n') => lines([INVOICE_HEADER, ...rows], eol);
/** A big file of one-line rows (with a description), where row `at` is `record`. */
const bigWithLateRecord = (rows: number, at: number, record: string) => {
  const out = [`${INVOICE_HEADER},description`];
  for (let i = 0; i < rows; i++) out.push(i === at ? record : `I${i},C1,2024-01-10,1.00,x`);
  return lines(out);
};

const structureCases: HostileCase[] = [
  {
    name: 'structure: an unclosed quote does not swallow the rows after it unheard',
    files: file('f.csv', invoices(['I1,C1,2024-01-10,1', 'I2,C1,"2024-01-10,2', 'I3,C1,2024-01-10,3', 'I4,C1,2024-01-10,4'])),
    expect: {
      loaded: 1,
      rejects: [
        [3, null, 'malformed row: a quote opens on this line and never closes, so lines 3-5 could not be read'],
        [4, null, 'not read: inside the quote opened on line 3'],
        [5, null, 'not read: inside the quote opened on line 3'],
      ],
    },
  },
  {
    name: 'structure: an unclosed quote in a streamed file',
    files: file('f.csv', invoices(['I1,C1,2024-01-10,1', 'I2,C1,2024-01-10,2', 'I3,"C1,2024-01-10,3', 'I4,C1,2024-01-10,4'])),
    env: { CARTERA_STREAM_BYTES: '0' },
    expect: {
      loaded: 2,
      rejects: [
        [4, null, 'malformed row: a quote opens on this line and never closes, so lines 4-5 could not be read'],
        [5, null, 'not read: inside the quote opened on line 4'],
      ],
    },
  },
  {
    name: 'structure: an unclosed quote with megabytes after it',
    files: file('f.csv', bigWithLateRecord(150_000, 2, 'IX,"C1,2024-01-10,1')),
    expect: { loaded: 2, rows: { sql: `select count(*)::int as n from ingest_rejects where reason like 'not read:%'`, equals: [{ n: 149_997 }] }, rejects: [[4, null, /^malformed row: a quote opens on this line and never closes, so lines 4-150001 could not be read$/], ...Array.from({ length: 149_997 }, (_, i) => [i + 5, null, 'not read: inside the quote opened on line 4'] as [number, null, string])] },
  },
  {
    name: 'structure: a quote closed lines later puts a line break inside an identifier, which is rejected',
    files: file('f.csv', invoices(['I1,C1,2024-01-10,1', 'I2,"C2,2024-01-10,2', 'I3,C3",2024-01-10,3', 'I4,C1,2024-01-10,4'])),
    expect: { loaded: 2, rejects: [[3, 'customer_id', 'line break inside an identifier (a quote left open on this line?)', 'C2,2024-01-10,2\nI3,C3']] },
  },
  {
    name: 'structure: a quote inside an unquoted value is kept as text',
    files: file('f.csv', lines(['invoice_id,customer_id,invoice_date,amount,description', 'I1,C1,2024-01-10,1,Monitor 27" curvo', 'I2,C1,2024-01-10,2,ok'])),
    expect: { loaded: 2, rows: { sql: 'select description from raw_invoices order by source_line', equals: [{ description: 'Monitor 27" curvo' }, { description: 'ok' }] } },
  },
  {
    name: 'structure: text after a closing quote rejects that line only',
    files: file('f.csv', invoices(['I1,"C1"x,2024-01-10,1', 'I2,C1,2024-01-10,2'])),
    expect: { loaded: 1, rejects: [[2, null, 'malformed row: text after a closing quote (quote the whole value, and double the quotes inside it)']] },
  },
  {
    name: 'structure: one CRLF line in an LF file',
    files: file('f.csv', invoices(['I1,C1,2024-01-10,1', 'I2,C1,2024-01-10,2\r', 'I3,C1,2024-01-10,3'])),
    expect: { loaded: 3, rows: { sql: byLine, equals: [{ line: 2, invoice_id: 'I1' }, { line: 3, invoice_id: 'I2' }, { line: 4, invoice_id: 'I3' }] } },
  },
  {
    name: 'structure: one LF line in a CRLF file, with a quoted newline',
    files: file('f.csv', `${INVOICE_HEADER},description\r\nI1,C1,2024-01-10,1,a\r\nI2,C1,2024-01-10,2,"two\nlines"\nI3,C1,2024-01-10,3,c\r\n`),
    expect: { loaded: 3, rows: { sql: 'select source_line::int as line, description from raw_invoices order by 1', equals: [{ line: 2, description: 'a' }, { line: 3, description: 'two\nlines' }, { line: 5, description: 'c' }] } },
  },
  {
    name: 'structure: CR line ends (classic Mac)',
    files: file('f.csv', invoices(['I1,C1,2024-01-10,1', 'I2,C1,2024-01-10,2'], '\r')),
    expect: { loaded: 2, rows: { sql: byLine, equals: [{ line: 2, invoice_id: 'I1' }, { line: 3, invoice_id: 'I2' }] } },
  },
  {
    name: 'structure: a quoted newline far past the first rows of a staged file',
    files: file('f.csv', bigWithLateRecord(300_000, 250_000, 'I250000,C1,2024-01-10,1.00,"two\nlines"')),
    expect: {
      loaded: 300_000,
      rows: { sql: `select source_line::int as line, invoice_id from raw_invoices where invoice_id in ('I249999', 'I250000', 'I250001', 'I299999') order by 1`, equals: [{ line: 250_001, invoice_id: 'I249999' }, { line: 250_002, invoice_id: 'I250000' }, { line: 250_004, invoice_id: 'I250001' }, { line: 300_002, invoice_id: 'I299999' }] },
    },
  },
  {
    name: 'structure: a quoted newline far past the first rows of a streamed file, and a short row',
    files: file('f.csv', bigWithLateRecord(300_000, 250_000, 'I250000,C1,2024-01-10,1.00,"two\nlines"').replace('\nI260000,C1,2024-01-10,1.00,x\n', '\nI260000,C1,2024-01-10\n')),
    env: { CARTERA_STREAM_BYTES: '0' },
    expect: {
      loaded: 299_999,
      rejects: [[260_003, 'amount', 'missing amount', null]],
      rows: { sql: `select source_line::int as line, invoice_id from raw_invoices where invoice_id in ('I250001', 'I299999') order by 1`, equals: [{ line: 250_004, invoice_id: 'I250001' }, { line: 300_002, invoice_id: 'I299999' }] },
    },
  },
  {
    name: 'structure: a short row is read with its missing fields empty',
    files: file('f.csv', invoices(['I1,C1,2024-01-10,1', 'I2,C1,2024-01-10'])),
    expect: { loaded: 1, rejects: [[3, 'amount', 'missing amount', null]] },
  },
  {
    name: 'structure: a row with more fields than the header is rejected with the count',
    files: file('f.csv', invoices(['I1,C1,2024-01-10,1', 'I2,C1,2024-01-10,1,234.50'])),
    expect: { loaded: 1, rejects: [[3, null, 'malformed row: 5 fields where the header has 4 (a delimiter inside an unquoted value?)', 'I2,C1,2024-01-10,1,234.50']] },
  },
  {
    name: 'structure: an empty file says it is empty',
    files: file('f.csv', ''),
    expect: { error: /f\.csv: the file is empty \(0 bytes\)$/ },
  },
  {
    name: 'structure: a file of blank lines and a BOM is empty',
    files: file('f.csv', '\uFEFF\r\n\r\n  \r\n'),
    expect: { error: /f\.csv: the file is empty: no header and no rows$/ },
  },
  {
    name: 'structure: a header without rows loads nothing, and says so',
    files: file('f.csv', lines([INVOICE_HEADER])),
    expect: { loaded: 0 },
  },
  {
    name: 'structure: two columns with the same name are an error naming both',
    files: file('f.csv', lines(['invoice_id,customer_id,invoice_date,amount,amount', 'I1,C1,2024-01-10,1,2'])),
    expect: { error: /f\.csv: columns 4 \('amount'\) and 5 \('amount'\) have the same name: rename one, so it is clear which to load$/ },
  },
  {
    name: 'structure: names that differ only in case are the same name',
    files: file('f.csv', lines(['invoice_id,customer_id,invoice_date,Amount,amount ', 'I1,C1,2024-01-10,1,2'])),
    expect: { error: /f\.csv: columns 4 \('Amount'\) and 5 \('amount'\) have the same name: rename one, so it is clear which to load$/ },
  },
  {
    name: 'structure: a file whose delimiter cannot be found says so',
    files: file('f.csv', lines(['invoice_id:customer_id:invoice_date:amount', 'I1:C1:2024-01-10:1'])),
    expect: { error: /f\.csv: cannot find the delimiter: no comma, semicolon, tab or pipe separates the fields of its first lines \(first line: 'invoice_id:customer_id:invoice_date:amount'\)\. Give it in a profile: "csv": \{"delimiter": "\.\.\."\}$/ },
  },
  {
    name: 'structure: blank lines between rows keep every line number (a line of spaces is a row of nothing)',
    files: file('f.csv', invoices(['I1,C1,2024-01-10,1', '', 'I2,C1,2024-01-10,2', '   ', 'I3,C1,2024-01-10,3'])),
    expect: {
      loaded: 3,
      rejects: [[5, 'amount', 'missing amount'], [5, 'customer_id', 'missing customer_id'], [5, 'invoice_date', 'missing invoice_date']],
      rows: { sql: byLine, equals: [{ line: 2, invoice_id: 'I1' }, { line: 4, invoice_id: 'I2' }, { line: 6, invoice_id: 'I3' }] },
    },
  },
  {
    name: 'structure: a delimiter at the end of every line',
    files: file('f.csv', lines([INVOICE_HEADER + ',', 'I1,C1,2024-01-10,1,', 'I2,C1,2024-01-10,2,'])),
    expect: { loaded: 2 },
  },
  {
    name: 'structure: a line of delimiters only is rejected for what it lacks',
    files: file('f.csv', invoices(['I1,C1,2024-01-10,1', ',,,'])),
    expect: { loaded: 1, rejects: [[3, 'amount', 'missing amount'], [3, 'customer_id', 'missing customer_id'], [3, 'invoice_date', 'missing invoice_date']] },
  },
  {
    name: 'structure: the last line without a newline',
    files: file('f.csv', `${INVOICE_HEADER}\nI1,C1,2024-01-10,1\nI2,C1,2024-01-10,2`),
    expect: { loaded: 2, rows: { sql: byLine, equals: [{ line: 2, invoice_id: 'I1' }, { line: 3, invoice_id: 'I2' }] } },
  },
  {
    name: "structure: Excel's sep=; line above the header",
    files: file('f.csv', lines(['sep=;', 'invoice_id;customer_id;invoice_date;amount', 'I1;C1;2024-01-10;1,50'])),
    expect: { loaded: 1, rows: { sql: 'select source_line::int as line, amount::varchar as amount from raw_invoices', equals: [{ line: 3, amount: '1.500000' }] } },
  },
  {
    name: 'structure: the header again in the middle (two exports joined) is named as such',
    files: file('f.csv', invoices(['I1,C1,2024-01-10,1', INVOICE_HEADER, 'I2,C1,2024-01-10,2'])),
    expect: { loaded: 2, rejects: [[3, null, 'the header again (two exports joined into one file?)']] },
  },
  {
    name: 'structure: a line longer than the reader takes is rejected with its line',
    files: file('f.csv', invoices([`I1,${'x'.repeat(3_000_000)},2024-01-10,1`, 'I2,C1,2024-01-10,2'])),
    expect: { loaded: 1, rejects: [[2, null, /^malformed row: longer than 2000000 bytes/]] },
  },
  {
    name: 'structure: a tab-separated file with commas in its values',
    files: file('f.tsv', lines(['invoice_id\tcustomer_id\tinvoice_date\tamount', 'I1\tC1, S.A.\t2024-01-10\t1,234.50'])),
    expect: { loaded: 1, rows: { sql: 'select customer_id, amount::varchar as amount from raw_invoices', equals: [{ customer_id: 'C1, S.A.', amount: '1234.500000' }] } },
  },
];

matrix('hostile encodings', encodingCases);
matrix('hostile structure', structureCases);

/**
 * Hostile JSON: nesting deep enough to crash a reader, documents that are not a list of records,
 * truncated and invalid files (and Parquet files that are not). Each is refused with one line
 * saying what was found.
 */
import { matrix, put, type HostileCase } from './harness.ts';

const file = (name: string, content: string) => (dir: string) => [put(dir, name, content)];
const rec = (id: string, amount: number | string = 1) => ({ invoice_id: id, customer_id: 'C1', invoice_date: '2024-01-10', amount });
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

const cases: HostileCase[] = [
  {
    name: 'json: 10,000 nested arrays do not crash the process',
    files: file('facturas.json', `[${deep(10_000)}]`),
    expect: { error: /facturas\.json:1: nested deeper than 100 levels: not a list of records$/ },
  },
  {
    name: 'json: a record holding a value nested 10,000 levels',
    files: file('facturas.json', `[\n${JSON.stringify(rec('J1'))},\n{"invoice_id":"J2","customer_id":"C1","invoice_date":"2024-01-10","amount":1,"x":${deep(10_000)}}\n]`),
    expect: { error: /facturas\.json:3: nested deeper than 100 levels: not a list of records$/ },
  },
  {
    name: 'json: an NDJSON line nested 10,000 levels',
    files: file('facturas.ndjson', `${JSON.stringify(rec('J1'))}\n{"x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}\n`),
    expect: { error: /facturas\.ndjson:2: nested deeper than 100 levels: not a list of records$/ },
  },
  {
    name: 'json: nesting within the limit is kept as JSON text',
    files: file('facturas.json', JSON.stringify([{ ...rec('J1'), detail: { lines: [{ sku: 'A', qty: 2 }] } }])),
    expect: { loaded: 1, rows: { sql: `select extra->>'detail' as detail from raw_invoices`, equals: [{ detail: '{"lines":[{"sku":"A","qty":2}]}' }] } },
  },
  {
    name: 'json: an object wrapping the records says where they are',
    files: file('facturas.json', JSON.stringify({ data: [rec('J1'), rec('J2'), rec('J3')], total: 3 }, null, 2)),
    expect: { error: /facturas\.json: a JSON object, not an array of records: its key 'data' holds an array of 3 records \(load that array, e\.g\. jq '\.data' FILE > records\.json\)$/ },
  },
  {
    name: 'json: an object without any list of records is one record, of nothing known',
    files: file('facturas.json', JSON.stringify({ status: 'ok', count: 0 }, null, 2)),
    expect: { error: /facturas\.json: cannot tell what this file holds\. Its headers \(status, count\) do not name the required columns of any entity/ },
  },
  {
    name: 'json: one record on one line is one record (NDJSON)',
    files: file('facturas.json', JSON.stringify(rec('J1')) + '\n'),
    expect: { loaded: 1 },
  },
  {
    name: 'json: a number is not a list of records',
    files: file('facturas.json', '42\n'),
    expect: { error: /facturas\.json: a JSON number, not an array of records$/ },
  },
  {
    name: 'json: an array of numbers',
    files: file('facturas.json', '[1, 2, 3]'),
    expect: { error: /facturas\.json: a JSON array of numbers, not of records \(objects with named fields\)$/ },
  },
  {
    name: 'json: an array of arrays (rows without names)',
    files: file('facturas.json', '[["invoice_id","amount"],["J1",1]]'),
    expect: { error: /facturas\.json: a JSON array of arrays, not of records \(objects with named fields\)$/ },
  },
  {
    name: 'json: an array mixing records and other values names the first odd one',
    files: file('facturas.json', `[\n${JSON.stringify(rec('J1'))},\n"J2",\n${JSON.stringify(rec('J3'))}\n]`),
    expect: { error: /facturas\.json:3: element 2 of the array is a string, not a record$/ },
  },
  {
    name: 'json: an empty array has no records',
    files: file('facturas.json', '[]'),
    expect: { error: /facturas\.json: an empty JSON array: no records$/ },
  },
  {
    name: 'json: an empty file',
    files: file('facturas.json', ''),
    expect: { error: /facturas\.json: the file is empty \(0 bytes\)$/ },
  },
  {
    name: 'json: a truncated array',
    files: file('facturas.json', `[\n${JSON.stringify(rec('J1'))},\n{"invoice_id":"J2","customer_id":"C`),
    expect: { error: /facturas\.json:3: the JSON ends inside a string, in an object, in an array: is the file truncated\?$/ },
  },
  {
    name: 'json: an NDJSON record cut short is named by its line',
    files: file('facturas.ndjson', `${JSON.stringify(rec('J1'))}\n{"invoice_id":"J2",\n${JSON.stringify(rec('J3'))}\n`),
    expect: { error: /facturas\.ndjson:2: invalid JSON: this record does not end on its line/ },
  },
  {
    name: 'json: invalid JSON is named by its line',
    files: file('facturas.json', `[\n${JSON.stringify(rec('J1'))},\n{"invoice_id": J2}\n]`),
    expect: { error: /facturas\.json:3: invalid JSON: / },
  },
  {
    name: 'json: a UTF-8 BOM',
    files: file('facturas.json', '\uFEFF' + JSON.stringify([rec('J1')])),
    expect: { loaded: 1 },
  },
  {
    name: 'json: pretty-printed NDJSON (several objects, each over lines)',
    files: file('facturas.json', `${JSON.stringify(rec('J1'), null, 2)}\n${JSON.stringify(rec('J2'), null, 2)}\n`),
    expect: { loaded: 2, rows: { sql: 'select invoice_id, source_line::int as line from raw_invoices order by 2', equals: [{ invoice_id: 'J1', line: 1 }, { invoice_id: 'J2', line: 7 }] } },
  },
  {
    name: 'json: amounts as text follow the column rules',
    files: file('facturas.json', `[\n${JSON.stringify(rec('J1', '12.50'))},\n${JSON.stringify(rec('J2', '1.234,56'))},\n${JSON.stringify(rec('J3', 3.25))}\n]`),
    expect: { loaded: 2, rejects: [[3, 'amount', 'decimal comma in a column whose amounts use a decimal point', '1.234,56']] },
  },
  {
    name: 'parquet: a text file named .parquet',
    files: file('facturas.parquet', 'invoice_id,customer_id,invoice_date,amount\nI1,C1,2024-01-10,1\n'),
    expect: { error: /facturas\.parquet: not a Parquet file \(it does not start with PAR1\)$/ },
  },
  {
    name: 'parquet: an empty .parquet',
    files: file('facturas.parquet', ''),
    expect: { error: /facturas\.parquet: the file is empty \(0 bytes\)$/ },
  },
];

matrix('hostile JSON and Parquet', cases);

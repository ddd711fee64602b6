/**
 * Hostile values: amounts and dates as ERPs, Excel and people write them. A value is stored
 * exactly as written or rejected with its reason; it is never rounded or read with the wrong mark.
 */
import { INVOICE_HEADER, lines, matrix, put, type HostileCase } from './harness.ts';

const amounts = 'select source_line::int as line, amount::varchar as amount from raw_invoices where not rejected order by source_line';
/** An invoices CSV with these amounts (already quoted where they need it), one per line from line 2. */
const invoices = (amountsText: string[], sep = ',') =>
  lines([INVOICE_HEADER.replaceAll(',', sep), ...amountsText.map((a, i) => [`I${i + 1}`, 'C1', '2024-01-10', a].join(sep))]);
const file = (name: string, text: string) => (dir: string) => [put(dir, name, text)];

const now = new Date();
const later = `${now.getUTCFullYear() + 50}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-${String(Math.min(now.getUTCDate(), now.getUTCMonth() === 1 ? 28 : 31)).padStart(2, '0')}`;
const outside = (from = '1900-01-01', to = later) => `date outside the plausible range ${from} to ${to} (--min-date, --max-date)`;
const DOT_COMMA = 'decimal comma in a column whose amounts use a decimal point';
const COMMA_DOT = 'decimal point in a column whose amounts use a decimal comma';

const amountCases: HostileCase[] = [
  {
    name: 'amounts: 10.005 and 0.001 are kept exactly, not rounded to cents',
    files: file('f.csv', invoices(['10.005', '0.001', '12.50'])),
    expect: { loaded: 3, rows: { sql: amounts, equals: [{ line: 2, amount: '10.005000' }, { line: 3, amount: '0.001000' }, { line: 4, amount: '12.500000' }] } },
  },
  {
    name: 'amounts: six decimals (CFDI) are kept',
    files: file('f.csv', invoices(['1234.567890', '0.000001'])),
    expect: { loaded: 2, rows: { sql: amounts, equals: [{ line: 2, amount: '1234.567890' }, { line: 3, amount: '0.000001' }] } },
  },
  {
    name: 'amounts: a seventh decimal is rejected, not rounded',
    files: file('f.csv', invoices(['1.1234567', '2.50'])),
    expect: { loaded: 1, rejects: [[2, 'amount', 'more than 6 decimals (the warehouse keeps 6 and never rounds)', '1.1234567']] },
  },
  {
    name: "amounts: '1.234,56' in a decimal-point column is rejected, not read as 1.23",
    files: file('f.csv', invoices(['12.50', '"1.234,56"', '7.25'])),
    expect: { loaded: 2, rejects: [[3, 'amount', DOT_COMMA, '1.234,56']] },
  },
  {
    name: "amounts: '$ 1.234,56' in a decimal-point column is rejected",
    files: file('f.csv', invoices(['"$ 1,000.00"', '"$ 1.234,56"', '3.10'])),
    expect: { loaded: 2, rejects: [[3, 'amount', DOT_COMMA, '$ 1.234,56']] },
  },
  {
    name: "amounts: '12.50' in a decimal-comma column is rejected",
    files: file('f.csv', invoices(['1.234,56', '12.50', '7,25'], ';')),
    expect: { loaded: 2, rejects: [[3, 'amount', COMMA_DOT, '12.50']] },
  },
  {
    name: 'amounts: a column of values like 1.234 and 2.500 stops the load and says how to choose',
    files: file('f.csv', invoices(['1.234', '2.500', '10.000'], ';')),
    expect: {
      error: /f\.csv: the amounts in column 'amount' read two ways: '1\.234' is 1234 with a decimal comma and 1\.234 with a decimal point, and no value tells which\.\n  Choose one: cartera ingest \.\.\. --decimal ,   \(or --decimal \.\)$/,
    },
  },
  {
    name: 'amounts: --decimal , reads them as thousands',
    files: file('f.csv', invoices(['1.234', '2.500'], ';')),
    args: ['--decimal', ','],
    expect: { loaded: 2, rows: { sql: amounts, equals: [{ line: 2, amount: '1234.000000' }, { line: 3, amount: '2500.000000' }] } },
  },
  {
    name: 'amounts: --decimal . reads them as decimals',
    files: file('f.csv', invoices(['1.234', '2.500'], ';')),
    args: ['--decimal', '.'],
    expect: { loaded: 2, rows: { sql: amounts, equals: [{ line: 2, amount: '1.234000' }, { line: 3, amount: '2.500000' }] } },
  },
  {
    name: 'amounts: --decimal takes only a comma or a point',
    files: file('f.csv', invoices(['1.234'])),
    args: ['--decimal', 'x'],
    expect: { error: "ingest: --decimal must be ',' (1.234,56) or '.' (1,234.56)", exit: 2 },
  },
  {
    name: 'amounts: an undecided column follows the other amount columns of the file',
    files: file('f.csv', lines(['invoice_id;customer_id;invoice_date;amount;outstanding', 'I1;C1;2024-01-10;1.234;1.234,56', 'I2;C1;2024-01-10;2.500;0,00'])),
    expect: {
      loaded: 2,
      rows: { sql: 'select amount::varchar a, outstanding::varchar o from raw_invoices order by source_line', equals: [{ a: '1234.000000', o: '1234.560000' }, { a: '2500.000000', o: '0.000000' }] },
    },
  },
  {
    name: 'amounts: each column has its own decimal mark',
    files: file('f.csv', lines(['invoice_id,customer_id,invoice_date,amount,outstanding', 'I1,C1,2024-01-10,"1,234.56","1.234,56"', 'I2,C1,2024-01-10,"2,000.10","0,10"'])),
    expect: {
      loaded: 2,
      rows: { sql: 'select amount::varchar a, outstanding::varchar o from raw_invoices order by source_line', equals: [{ a: '1234.560000', o: '1234.560000' }, { a: '2000.100000', o: '0.100000' }] },
    },
  },
  {
    name: 'amounts: as many decimal commas as decimal points in one column stops the load',
    files: file('f.csv', invoices(['12.50', '"7,25"'])),
    expect: { error: /f\.csv: the amounts in column 'amount' mix decimal marks: '12\.50' has a decimal point and '7,25' a decimal comma, as many of each\.\n  Choose one: cartera ingest \.\.\. --decimal ,   \(or --decimal \.\)$/ },
  },
  {
    name: 'amounts: the decimal mark comes from every value, not the first rows',
    files: file('f.csv', invoices([...Array.from({ length: 30_000 }, (_, i) => `${(i % 9) + 1}.${String((i * 7) % 1000).padStart(3, '0')}`), '5.678,90'], ';')),
    expect: {
      loaded: 30_001,
      rows: {
        sql: `select source_line::int as line, amount::varchar as amount from raw_invoices where source_line in (2, 30002) order by 1`,
        equals: [{ line: 2, amount: '1000.000000' }, { line: 30002, amount: '5678.900000' }],
      },
    },
  },
  {
    name: 'amounts: scientific notation is rejected (Excel writes long numbers so, and drops digits)',
    files: file('f.csv', invoices(['1.5E+07', '12.00'])),
    expect: { loaded: 1, rejects: [[2, 'amount', 'scientific notation: export the number written out in full', '1.5E+07']] },
  },
  {
    name: 'amounts: more than 16 digits before the decimal mark are rejected',
    files: file('f.csv', invoices(['1234567890123456789', '12.00'])),
    expect: { loaded: 1, rejects: [[2, 'amount', 'too large: more than 16 digits before the decimal mark', '1234567890123456789']] },
  },
  {
    name: "amounts: '1_000' and '12x' are not amounts",
    files: file('f.csv', invoices(['1_000', '12x', '3.00'])),
    expect: { loaded: 1, rejects: [[2, 'amount', 'not an amount', '1_000'], [3, 'amount', 'not an amount', '12x']] },
  },
  {
    name: "amounts: badly grouped thousands ('1,2,3') are not an amount",
    files: file('f.csv', invoices(['"1,2,3"', '"1,234.50"'])),
    expect: { loaded: 1, rejects: [[2, 'amount', 'not an amount', '1,2,3']] },
  },
  {
    name: "amounts: Excel's accounting zero '$ -' is not an amount",
    files: file('f.csv', invoices(['"$ -"', '"$ 5.00"'])),
    expect: { loaded: 1, rejects: [[2, 'amount', 'not an amount', '$ -']] },
  },
  {
    name: 'amounts: an empty amount is missing',
    files: file('f.csv', invoices(['', '5.00'])),
    expect: { loaded: 1, rejects: [[2, 'amount', 'missing amount', null]] },
  },
  {
    name: 'amounts: space and no-break space thousands with a decimal comma',
    files: file('f.csv', invoices(['1 234,56', '1\u00a0234\u00a0567,10', '2\u202f000,5'], ';')),
    expect: { loaded: 3, rows: { sql: amounts, equals: [{ line: 2, amount: '1234.560000' }, { line: 3, amount: '1234567.100000' }, { line: 4, amount: '2000.500000' }] } },
  },
  {
    name: "amounts: Swiss apostrophe thousands (1'234.56)",
    files: file('f.csv', invoices(["1'234.56", "12'000.00"])),
    expect: { loaded: 2, rows: { sql: amounts, equals: [{ line: 2, amount: '1234.560000' }, { line: 3, amount: '12000.000000' }] } },
  },
  {
    name: 'amounts: accounting parentheses, SAP trailing minus and a leading plus',
    files: file('f.csv', invoices(['(1.234,56)', '1.234,56-', '+12,50', '-0,00'], ';')),
    expect: {
      loaded: 4,
      rows: { sql: amounts, equals: [{ line: 2, amount: '-1234.560000' }, { line: 3, amount: '-1234.560000' }, { line: 4, amount: '12.500000' }, { line: 5, amount: '0.000000' }] },
    },
  },
  {
    name: 'amounts: currency codes and symbols around the number',
    files: file('f.csv', invoices(['"1,234.56 USD"', 'US$ 12.00', '-$5.25', 'MXN 3.10'])),
    expect: {
      loaded: 4,
      rows: { sql: amounts, equals: [{ line: 2, amount: '1234.560000' }, { line: 3, amount: '12.000000' }, { line: 4, amount: '-5.250000' }, { line: 5, amount: '3.100000' }] },
    },
  },
  {
    name: 'amounts: exchange rates keep 8 decimals and reject a ninth',
    files: file('fx_rates.csv', lines(['rate_date,currency,rate,base_currency', '2024-01-10,MXN,0.05812345,USD', '2024-01-11,MXN,0.058123456,USD'])),
    expect: { loaded: 1, rejects: [[3, 'rate', 'more than 8 decimals (the warehouse keeps 8 and never rounds)', '0.058123456']] },
  },
  {
    name: 'amounts: a JSON number is kept as written',
    files: file('facturas.json', '[{"invoice_id":"J1","customer_id":"C1","invoice_date":"2024-01-10","amount":10.005},{"invoice_id":"J2","customer_id":"C1","invoice_date":"2024-01-10","amount":"1234.567891"}]'),
    expect: { loaded: 2, rows: { sql: amounts, equals: [{ line: 1, amount: '10.005000' }, { line: 1, amount: '1234.567891' }] } },
  },
  {
    name: 'amounts: a JSON number too precise for any JSON reader is rejected, not rounded',
    files: file('facturas.json', '[\n{"invoice_id":"J1","customer_id":"C1","invoice_date":"2024-01-10","amount":123456789012.123456},\n{"invoice_id":"J2","customer_id":"C1","invoice_date":"2024-01-10","amount":5}\n]'),
    expect: { loaded: 1, rejects: [[2, 'amount', 'a number with more than 15 significant digits: JSON readers round it (write it as a string)', '123456789012.123456']] },
  },
  {
    name: 'amounts: a streamed file converts amounts with the same checks',
    files: file('f.csv', invoices(['10.005', '"1.234,56"', '1.1234567', '7.00'])),
    env: { CARTERA_STREAM_BYTES: '0' },
    expect: {
      loaded: 2,
      rejects: [[3, 'amount', DOT_COMMA, '1.234,56'], [4, 'amount', 'more than 6 decimals (the warehouse keeps 6 and never rounds)', '1.1234567']],
      rows: { sql: amounts, equals: [{ line: 2, amount: '10.005000' }, { line: 5, amount: '7.000000' }] },
    },
  },
];

const dates = (rows: [string, string?][]) =>
  lines(['invoice_id,customer_id,invoice_date,due_date,amount', ...rows.map(([d, due], i) => `I${i + 1},C1,${d},${due ?? ''},1.00`)]);

const dateCases: HostileCase[] = [
  {
    name: 'dates: year 20245 is rejected',
    files: file('f.csv', dates([['2024-01-10'], ['20245-01-10']])),
    expect: { loaded: 1, rejects: [[3, 'invoice_date', outside(), '20245-01-10']] },
  },
  {
    name: 'dates: before 1900 is rejected, 1900-01-01 is not',
    files: file('f.csv', dates([['1899-12-31'], ['1900-01-01']])),
    expect: { loaded: 1, rejects: [[2, 'invoice_date', outside(), '1899-12-31']] },
  },
  {
    name: 'dates: a due date in 2100 is rejected on its column',
    files: file('f.csv', dates([['2024-01-10', '2100-01-01'], ['2024-01-10', '2024-02-09']])),
    expect: { loaded: 1, rejects: [[2, 'due_date', outside(), '2100-01-01']] },
  },
  {
    name: 'dates: --max-date moves the upper bound',
    files: file('f.csv', dates([['2024-01-10', '2100-01-01']])),
    args: ['--max-date', '2199-12-31'],
    expect: { loaded: 1 },
  },
  {
    name: 'dates: --min-date moves the lower bound',
    files: file('f.csv', dates([['1999-12-31'], ['2000-01-01']])),
    args: ['--min-date', '2000-01-01'],
    expect: { loaded: 1, rejects: [[2, 'invoice_date', outside('2000-01-01'), '1999-12-31']] },
  },
  {
    name: 'dates: --min-date must be a date',
    files: file('f.csv', dates([['2024-01-10']])),
    args: ['--min-date', 'yesterday'],
    expect: { error: 'ingest: --min-date must be a date (YYYY-MM-DD)', exit: 2 },
  },
  {
    name: 'dates: day-first dates out of range are rejected too',
    files: file('f.csv', dates([['31/12/2024'], ['01/01/1850']])),
    expect: { loaded: 1, rejects: [[3, 'invoice_date', outside(), '01/01/1850']] },
  },
  {
    name: 'dates: Excel serial numbers past the range are rejected',
    files: file('f.csv', dates([['45292'], ['99999']])),
    expect: { loaded: 1, rejects: [[3, 'invoice_date', outside(), '99999']] },
  },
  {
    name: 'dates: a streamed file (dates typed by the reader) checks the range too',
    files: file('f.csv', dates([['2024-01-10'], ['20245-01-10'], ['2024-01-12']])),
    env: { CARTERA_STREAM_BYTES: '0' },
    expect: { loaded: 2, rejects: [[3, 'invoice_date', outside(), '20245-01-10']] },
  },
];

matrix('hostile amounts', amountCases);
matrix('hostile dates', dateCases);

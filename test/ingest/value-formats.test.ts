import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { boolExpr, currencyExpr, dateExpr, documentTypeExpr } from '../../src/ingest/value-formats.ts';
import { MONEY, numberEvidenceSql, numberExpr, styleFromEvidence, type NumberEvidence } from '../../src/ingest/numbers.ts';
import { guessEntity, mapHeaders } from '../../src/ingest/mapping.ts';
import { ENTITIES, normaliseHeader } from '../../src/canonical/entities.ts';
import { lineSteps, splitRecord } from '../../src/ingest/readers/csv.ts';
import { scanFile } from '../../src/ingest/files.ts';
import { scanJson } from '../../src/ingest/readers/json-scan.ts';
import { tempDir, writeFile } from './helpers.ts';

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => conn.closeSync());

/** Evaluates a conversion expression on each value; returns JSON-safe results. */
async function evalExpr(build: (v: string) => string, values: (string | null)[]): Promise<unknown[]> {
  const json = JSON.stringify(values);
  const r = await conn.runAndReadAll(
    `select ${build('v')} as out from (select unnest(from_json($1::json, '["VARCHAR"]')) as v, unnest(range(json_array_length($1::json)::bigint)) as i) order by i`,
    [json],
  );
  return r.getRowsJson().map((row) => row[0]);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

describe('dates', () => {
  const dateArb = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2060-12-31T00:00:00Z'), noInvalidDate: true });

  it('reads every layout back to the same day (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(dateArb, { minLength: 1, maxLength: 20 }), async (dates) => {
        const iso = dates.map((d) => d.toISOString().slice(0, 10));
        const parts = dates.map((d) => ({ y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() }));
        const layouts: [string, (p: { y: number; m: number; d: number }) => string][] = [
          ['iso', (p) => `${p.y}-${pad(p.m)}-${pad(p.d)}`],
          ['%d/%m/%Y', (p) => `${pad(p.d)}/${pad(p.m)}/${p.y}`],
          ['%m/%d/%Y', (p) => `${p.m}/${p.d}/${p.y}`],
          ['%d.%m.%Y', (p) => `${pad(p.d)}.${pad(p.m)}.${p.y}`],
          ['%d-%b-%y', (p) => `${pad(p.d)}-${MONTHS[p.m - 1]}-${String(p.y).slice(2)}`],
          ['%Y%m%d', (p) => `${p.y}${pad(p.m)}${pad(p.d)}`],
        ];
        for (const [fmt, write] of layouts) {
          if (fmt === '%d-%b-%y' && parts.some((p) => p.y < 1969 || p.y > 2068)) continue;
          expect(await evalExpr((v) => dateExpr(v, fmt), parts.map(write))).toEqual(iso);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('reads Excel serial day numbers (1900 system)', async () => {
    expect(await evalExpr((v) => dateExpr(v, 'excel'), ['45292', '45292.5', '36526', '7', 'abc'])).toEqual(['2024-01-01', '2024-01-01', '2000-01-01', null, null]);
  });

  it('reads Spanish month names', async () => {
    expect(await evalExpr((v) => dateExpr(v, '%d-%b-%y'), ['05-ene-24', '31-dic-23', '10-Abr-24', '01-Apr-24'])).toEqual(['2024-01-05', '2023-12-31', '2024-04-10', '2024-04-01']);
  });

  it('refuses impossible dates instead of rolling them over', async () => {
    expect(await evalExpr((v) => dateExpr(v, '%d/%m/%Y'), ['31/02/2024', '13/13/2024', '', null])).toEqual([null, null, null, null]);
  });
});

describe('numbers', () => {
  const cents = fc.bigInt({ min: -99_999_999_999n, max: 99_999_999_999n });
  const group = (int: string, sep: string) => int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const write = (c: bigint, style: 'comma' | 'dot', symbol: string, parens: boolean) => {
    const neg = c < 0n;
    const abs = neg ? -c : c;
    const int = (abs / 100n).toString();
    const frac = pad(Number(abs % 100n));
    const body = style === 'comma' ? `${group(int, '.')},${frac}` : `${group(int, ',')}.${frac}`;
    const s = `${symbol}${body}`;
    return neg ? (parens ? `(${s})` : `-${s}`) : s;
  };
  const exact = (c: bigint) => {
    const neg = c < 0n;
    const abs = neg ? -c : c;
    return `${neg ? '-' : ''}${abs / 100n}.${pad(Number(abs % 100n))}`;
  };

  it('reads decimal comma and decimal point amounts exactly, with symbols, thousands and parentheses (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(cents, fc.constantFrom('', '$', 'MXN ', '€'), fc.boolean()), { minLength: 1, maxLength: 30 }),
        fc.constantFrom<'comma' | 'dot'>('comma', 'dot'),
        async (rows, style) => {
          const text = rows.map(([c, sym, parens]) => write(c, style, sym, parens));
          const out = await evalExpr((v) => numberExpr(v, style, MONEY), text);
          expect(out).toEqual(rows.map(([c]) => `${exact(c)}0000`));
        },
      ),
      { numRuns: 40 },
    );
  });

  /** The decimal mark a column of these values gets. */
  const styleOf = async (values: string[]) => {
    const r = await conn.runAndReadAll(numberEvidenceSql('v', `(select unnest(from_json($1::json, '["VARCHAR"]')) as v)`), [JSON.stringify(values)]);
    return styleFromEvidence(r.getRowObjectsJson()[0] as unknown as NumberEvidence);
  };

  it('decides the decimal mark from every value of a column', async () => {
    expect(await styleOf(['1234', '500', '1.234,56'])).toBe('comma');
    expect(await styleOf(['1234', '500', '1,234.56'])).toBe('dot');
    expect(await styleOf(['55.94', '61.74'])).toBe('plain');
    expect(await styleOf(['1.234.567'])).toBe('comma');
    expect(await styleOf(['12'])).toBe('plain');
    expect(await styleOf(['1.234', '2.500'])).toBe('undecided');
    expect(await styleOf(['12.50', '7,25'])).toBe('tie');
    expect(await styleOf(['12.50', '7.25', '1.234,56'])).toBe('dot');
  });

  it('rejects text that is not a number', async () => {
    expect(await evalExpr((v) => numberExpr(v, 'dot', MONEY), ['abc', '12abc34', '', '1.5'])).toEqual([null, null, null, '1.500000']);
  });
});

describe('flags, currencies and document types', () => {
  it('reads Yes/No, Sí/No, true/false and 1/0', async () => {
    expect(await evalExpr(boolExpr, ['Yes', 'No', 'Sí', 'no', 'TRUE', 'false', '1', '0', 'maybe'])).toEqual([true, false, true, false, true, false, true, false, null]);
  });
  it('normalises currency aliases', async () => {
    expect(await evalExpr(currencyExpr, ['mxn', 'M.N.', 'US$', ' usd ', 'zzz'])).toEqual(['MXN', 'MXN', 'USD', 'USD', 'ZZZ']);
  });
  it('maps document type words in Spanish and English', async () => {
    expect(await evalExpr(documentTypeExpr, ['Factura', 'Nota de crédito', 'NC', 'credit_note', 'Nota de cargo', '', 'recibo'])).toEqual([
      'invoice', 'credit_note', 'credit_note', 'credit_note', 'debit_note', 'invoice', null,
    ]);
  });
});

describe('headers', () => {
  it('normalises accents, camelCase and punctuation', () => {
    expect(normaliseHeader('Fecha de Emisión')).toBe('fecha_de_emision');
    expect(normaliseHeader('InvoiceDate')).toBe('invoice_date');
    expect(normaliseHeader('\uFEFFcustomerID')).toBe('customer_id');
    expect(normaliseHeader('Fecha Venc.')).toBe('fecha_venc');
    expect(normaliseHeader('Nº Factura')).toBe('no_factura');
    expect(normaliseHeader('No. Documento')).toBe('no_documento');
    expect(normaliseHeader('notes')).toBe('notes');
    expect(normaliseHeader('Número de factura')).toBe('numero_de_factura');
  });

  it('maps Spanish ERP headers onto invoices', () => {
    const m = mapHeaders(['Folio', 'Cliente', 'Fecha de emisión', 'Vencimiento', 'Importe', 'Moneda', 'Saldo', 'Disputa'], ENTITIES.invoices);
    expect(m).toEqual({
      invoice_id: 'Folio', customer_id: 'Cliente', invoice_date: 'Fecha de emisión', due_date: 'Vencimiento',
      amount: 'Importe', currency: 'Moneda', outstanding: 'Saldo', disputed: 'Disputa',
    });
  });

  it('tells payments from invoices and customers by their columns and file name', () => {
    expect(guessEntity(['Folio Pago', 'Cliente', 'Factura', 'Fecha de pago', 'Importe'], 'pagos.csv')?.entity).toBe('payments');
    expect(guessEntity(['invoiceNumber', 'customerID', 'InvoiceDate', 'DueDate', 'InvoiceAmount', 'SettledDate'], 'x.csv')?.entity).toBe('invoices');
    expect(guessEntity(['Clave Cliente', 'Razón Social', 'RFC', 'Límite de Crédito'], 'clientes.xlsx')?.entity).toBe('customers');
    expect(guessEntity(['rate_date', 'currency', 'rate'], 'fx.parquet')?.entity).toBe('fx_rates');
    expect(guessEntity(['foo', 'bar'], 'x.csv')).toBeUndefined();
  });
});

describe('splitRecord', () => {
  it('splits a CSV record as DuckDB reads it: doubled quotes, quoted newlines, empty unquoted fields as NULL', () => {
    expect(splitRecord('a,"b,c","say ""hi""",,""\r\n', ',', '"')).toEqual(['a', 'b,c', 'say "hi"', null, '']);
    expect(splitRecord('1;"two\nlines";3', ';', '"')).toEqual(['1', 'two\nlines', '3']);
    expect(splitRecord('x|y', '|', '')).toEqual(['x', 'y']);
  });
});

describe('lineSteps', () => {
  it('gives one step where the line stops being position + offset: spanning records, blank lines, rejected records', () => {
    // A line above the header (skip 1), the header on line 2, rows on 3, 4-5 (quoted newline), 7 (6 blank), 8 (rejected), 9.
    const starts = [1, 2, 3, 4, 7, 8, 9];
    expect(lineSteps(starts, 1, [{ line: 8 }])).toEqual([
      { pos: 1, offset: 2 }, // rows 1-2 on lines 3-4
      { pos: 3, offset: 4 }, // row 3 on line 7
      { pos: 4, offset: 5 }, // row 4 on line 9 (line 8 rejected)
    ]);
    expect(lineSteps([1, 2, 3, 4], 0, [])).toEqual([{ pos: 1, offset: 1 }]);
    expect(lineSteps([1], 0, [])).toEqual([]);
  });

  it('gives the same steps from the rejected lines alone when every record sits on its own line', () => {
    // Header on line 3 (skip 2), rows from line 4; lines 5, 6 and 9 rejected, and the last line.
    expect(lineSteps({ records: 10 }, 2, [{ line: 5 }, { line: 6 }, { line: 9 }, { line: 10 }])).toEqual([
      { pos: 1, offset: 3 }, // row 1 on line 4
      { pos: 2, offset: 5 }, // rows 2-3 on lines 7-8
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: 1, max: 60 })), (records, skip, bad) => {
        const starts = Array.from({ length: records }, (_, i) => i + 1);
        const rejected = bad.filter((l) => l <= records).map((line) => ({ line }));
        expect(lineSteps({ records }, skip, rejected)).toEqual(lineSteps(starts, skip, rejected));
      }),
    );
  });
});

describe('scanFile', () => {
  it('counts lines, with or without a final newline, beside the hash and the encoding', async () => {
    const dir = tempDir();
    const a = await scanFile(writeFile(dir, 'a.csv', 'h\n1\n2\n'));
    const b = await scanFile(writeFile(dir, 'b.csv', 'h\r\n1\r\n2'));
    const empty = await scanFile(writeFile(dir, 'c.csv', ''));
    expect([a.lines, b.lines, empty.lines]).toEqual([3, 3, 0]);
    expect(a.sha256).toBe(createHash('sha256').update('h\n1\n2\n').digest('hex'));
    expect([a.utf8, b.utf8]).toEqual([true, true]);
  });
});

describe('scanJson', () => {
  it('finds the line each element of a top-level array starts on, whatever its strings and nesting hold', async () => {
    const dir = tempDir();
    const text = '\uFEFF[\n  {"a": "x,]}[{", "b": [1,\n 2]},\n  {"a": "say \\"}\\" ok"}, {"c": {"d": []}},\n\n  {"e": 7},\n  {"s": 1}\n]\n';
    expect((await scanJson(writeFile(dir, 'a.json', text), 'a.json')).lines).toEqual([2, 4, 4, 6, 7]);
    await expect(scanJson(writeFile(dir, 'empty.json', '[ ]'), 'empty.json')).rejects.toThrow('empty.json: an empty JSON array: no records');
    expect((await scanJson(writeFile(dir, 'obj.json', '{"a": [1, 2]}'), 'obj.json')).lines).toEqual([1]);
  });
});

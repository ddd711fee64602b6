import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { GENERATE_DEFAULTS, generateExports, type GenerateOptions } from '../../src/generate/generate.ts';

/** Small enough to run in well under a second, big enough to hit every code path. */
export const SMALL = { customers: 50, invoices: 2000, seed: 7, end: '2026-10-31', years: 3 } as const;

const made: string[] = [];

/** Generates into a fresh temporary folder and returns its path. */
export async function generateSmall(overrides: Partial<GenerateOptions> = {}): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'cartera-gen-'));
  made.push(out);
  await generateExports({ ...GENERATE_DEFAULTS, ...SMALL, ...overrides, out });
  return out;
}

/** Removes every folder `generateSmall` made in this test file (call from afterAll). */
export function removeGenerated(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A minimal RFC 4180 reader: rows of fields, header first; quoted fields may hold separators. */
export function parseDelimited(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Rows of a generated CSV as objects keyed by header. */
export function readRows(dir: string, file: string): Record<string, string>[] {
  const spanish = file.endsWith('_mx.csv');
  const bytes = readFileSync(join(dir, file));
  const text = spanish ? iconv.decode(bytes, 'win1252') : bytes.toString('utf8');
  const [header, ...rows] = parseDelimited(text, spanish ? ';' : ',');
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** Text amount ('-1234.56' or '1.234,56') to integer cents, without floats. */
export function cents(text: string, spanish = false): number {
  const t = spanish ? text.replace(/\./g, '').replace(',', '.') : text;
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(t);
  if (!m) throw new Error(`not an amount: '${text}'`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

/** DD/MM/YYYY to YYYY-MM-DD. */
export function isoFromDmy(text: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (!m) throw new Error(`not DD/MM/YYYY: '${text}'`);
  return `${m[3]}-${m[2]}-${m[1]}`;
}

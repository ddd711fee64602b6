import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBResultReader } from '@duckdb/node-api';
import { duckdb } from './duckdb.ts';
import { spreadsheetSafe } from './spreadsheet-text.ts';

export const OUTPUT_FORMATS = ['table', 'csv', 'json', 'parquet', 'arrow'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Column names and JSON-safe rows of a materialized result. */
export function columnsAndRows(r: DuckDBResultReader): { columns: string[]; rows: unknown[][] } {
  return { columns: r.columnNames(), rows: r.getRowsJson() as unknown[][] };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * CSV (RFC 4180 quoting; `eol: '\r\n'` for Excel). With `excelSafe`, text a spreadsheet would run as a
 * formula is prefixed with ' (see spreadsheetSafe: numbers and phone numbers are written as they are).
 * `decimal: ','` writes numbers with a decimal comma, for a locale whose spreadsheet reads them so.
 */
export function toCsv(
  columns: string[],
  rows: unknown[][],
  opts: { header?: boolean; delimiter?: string; decimal?: '.' | ','; excelSafe?: boolean; eol?: string } = {},
): string {
  const d = opts.delimiter ?? ',';
  const esc = (v: unknown, numeric: boolean) => {
    let s = cellText(v);
    if (numeric && opts.decimal === ',') s = s.replace('.', ',');
    if (opts.excelSafe && !numeric) s = spreadsheetSafe(s);
    return /["\n\r]/.test(s) || s.includes(d) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const out: string[] = [];
  if (opts.header !== false) out.push(columns.map((c) => esc(c, false)).join(d));
  for (const r of rows) out.push(r.map((v) => esc(v, typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)))).join(d));
  const eol = opts.eol ?? '\n';
  return out.join(eol) + (out.length ? eol : '');
}

/** A plain aligned text table for terminals. */
export function toTextTable(columns: string[], rows: unknown[][], opts: { header?: boolean } = {}): string {
  const cells = rows.map((r) => r.map(cellText));
  const widths = columns.map((c, i) => Math.min(60, Math.max(opts.header === false ? 0 : c.length, ...cells.map((r) => r[i].length))));
  const numeric = columns.map((_, i) => cells.length > 0 && cells.every((r) => r[i] === '' || /^-?[\d.]+$/.test(r[i])));
  const line = (vals: string[]) =>
    vals.map((v, i) => (v.length > widths[i] ? v.slice(0, widths[i] - 1) + '…' : numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  const out: string[] = [];
  if (opts.header !== false) {
    out.push(line(columns));
    out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const r of cells) out.push(line(r));
  if (opts.header !== false) out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}

/**
 * Parquet bytes of a result, written by DuckDB itself so DECIMAL, DATE and TIMESTAMP keep their
 * types. It uses its own in-memory DuckDB, so it works for results of a locked-down connection too.
 */
export async function toParquet(r: DuckDBResultReader, metadata: Record<string, string> = {}): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-pq-'));
  const json = join(dir, 'rows.ndjson');
  const file = join(dir, 'out.parquet');
  const names = r.columnNames();
  const types = r.columnTypes().map((t) => t.toString());
  try {
    const objs = r.getRowObjectsJson();
    writeFileSync(json, objs.map((o) => JSON.stringify(o)).join('\n'));
    const cols = names.map((n, i) => `'${n.replace(/'/g, "''")}': '${types[i].replace(/'/g, "''")}'`).join(', ');
    const inst = await duckdb.DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      const src = objs.length
        ? `read_json('${json}', format = 'newline_delimited', columns = {${cols}})`
        : `(select ${names.map((n, i) => `null::${types[i]} as "${n.replace(/"/g, '""')}"`).join(', ')} limit 0)`;
      // Key-value metadata is written as literals (COPY options take no parameters), quoted.
      const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
      const kv = Object.entries(metadata).map(([k, v]) => `${lit(k)}: ${lit(v)}`);
      await conn.run(`copy (select * from ${src}) to '${file}' (format parquet${kv.length ? `, kv_metadata {${kv.join(', ')}}` : ''})`);
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

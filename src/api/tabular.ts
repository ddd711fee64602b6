import type { Context } from 'hono';
import ExcelJS from 'exceljs';
import { z } from '@hono/zod-openapi';
import { DuckDBTypeId, VARCHAR, type DuckDBResultReader } from '@duckdb/node-api';
import { toArrow } from '../db/arrow-writer.ts';
import { toCsv, toParquet } from '../db/writers.ts';
import { requestCsvDialect } from './request-locale.ts';

/** `?format=` of tabular endpoints. */
export const TABULAR_FORMATS = ['json', 'csv', 'xlsx', 'parquet', 'arrow'] as const;
export type TabularFormat = (typeof TABULAR_FORMATS)[number];
export const formatParam = z
  .enum(TABULAR_FORMATS)
  .default('json')
  .openapi({ description: 'json (default), csv (Excel-safe), xlsx, parquet (DECIMAL kept) or arrow (IPC stream)' });

/** What the writers read of a result: a DuckDB result, or the first rows of one. */
export type TableLike = Pick<DuckDBResultReader, 'columnNames' | 'columnTypes' | 'getRowsJson' | 'getRowObjectsJson'>;

/** The first `n` rows of a result, with its column names and types. */
export function firstRows(r: DuckDBResultReader, n: number): TableLike {
  const rows = (r.getRowsJson() as unknown[][]).slice(0, n);
  const names = r.columnNames();
  return {
    columnNames: () => names,
    columnTypes: () => r.columnTypes(),
    getRowsJson: () => rows as never,
    getRowObjectsJson: () => rows.map((row) => Object.fromEntries(names.map((c, i) => [c, row[i]]))) as never,
  };
}

/** The table with one more text column made from each row (words for codes, in the reader's language). */
export function withTextColumn(t: TableLike, name: string, text: (row: Record<string, unknown>) => string): TableLike {
  const objects = t.getRowObjectsJson() as Record<string, unknown>[];
  const added = objects.map(text);
  const rows = (t.getRowsJson() as unknown[][]).map((r, i) => [...r, added[i]]);
  const names = [...t.columnNames(), name];
  return {
    columnNames: () => names,
    columnTypes: () => [...t.columnTypes(), VARCHAR],
    getRowsJson: () => rows as never,
    getRowObjectsJson: () => objects.map((o, i) => ({ ...o, [name]: added[i] })) as never,
  };
}

const NUMERIC = new Set([
  DuckDBTypeId.DECIMAL,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.FLOAT,
]);

async function toXlsx(t: TableLike, sheet: string, note?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet.slice(0, 31));
  const names = t.columnNames();
  const types = t.columnTypes();
  ws.addRow(names).font = { bold: true };
  for (const row of t.getRowsJson() as unknown[][]) {
    ws.addRow(
      row.map((v, i) => {
        if (v === null) return null;
        const id = types[i].typeId;
        // Excel cells are doubles: money arrives as text from DuckDB and becomes a number here, to 15 digits.
        if (NUMERIC.has(id)) return Number(v);
        if (id === DuckDBTypeId.DATE) return new Date(`${v as string}T00:00:00Z`);
        return typeof v === 'object' ? JSON.stringify(v) : v;
      }),
    );
  }
  types.forEach((ty, i) => {
    if (ty.typeId === DuckDBTypeId.DATE) ws.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
  });
  if (note) {
    ws.addRow([]);
    ws.addRow([note]).font = { italic: true, bold: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Answers with a table in the asked format. JSON is `{ data: [row objects], ...extra }`; the
 * others are files named after `name`. A `note` (a result cut short) goes inside every file, where
 * whoever opens it sees it: the last line of a CSV, a row under an XLSX's table, the key-value
 * metadata of Parquet (`cartera.note`) and the schema metadata of Arrow.
 */
export async function sendTable(
  c: Context,
  t: TableLike,
  format: TabularFormat,
  name: string,
  extra: Record<string, unknown> = {},
  note?: string,
): Promise<Response> {
  const metadata: Record<string, string> = note ? { 'cartera.truncated': 'true', 'cartera.note': note } : {};
  const file = (ext: string) => ({ 'Content-Disposition': `attachment; filename="${name}.${ext}"` });
  switch (format) {
    case 'csv': {
      // In the separators of the locale the request asks for (a spreadsheet's), else RFC 4180's.
      const dialect = requestCsvDialect(c);
      const opts = { excelSafe: true, eol: '\r\n', delimiter: dialect.separator, decimal: dialect.decimal };
      return c.body(toCsv(t.columnNames(), t.getRowsJson() as unknown[][], opts) + (note ? toCsv([], [[`# ${note}`]], { ...opts, header: false }) : ''), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        ...file('csv'),
      });
    }
    case 'xlsx':
      return c.body(new Uint8Array(await toXlsx(t, name, note)), 200, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ...file('xlsx'),
      });
    // The writers are typed on DuckDB's reader but read only the four TableLike methods.
    case 'parquet':
      return c.body(new Uint8Array(await toParquet(t as DuckDBResultReader, metadata)), 200, {
        'Content-Type': 'application/vnd.apache.parquet',
        ...file('parquet'),
      });
    case 'arrow':
      return c.body(new Uint8Array(toArrow(t as DuckDBResultReader, metadata)), 200, {
        'Content-Type': 'application/vnd.apache.arrow.stream',
        ...file('arrow'),
      });
    default:
      return c.json({ ...extra, ...(note ? { truncated: true, note } : {}), data: t.getRowObjectsJson() });
  }
}

/**
 * A stage is one source table (a CSV file, an XLSX sheet, a JSON file...) loaded as text into a
 * temporary DuckDB table, with the file's own line number of each row.
 */
export interface Stage {
  /** What to select the rows from: a temporary table, or a table function that streams the file. */
  source: string;
  /** Temporary table to drop once loaded, when the rows were staged in one. */
  table?: string;
  /** Source column names in file order. */
  headers: string[];
  /** SQL giving the source line of a row of `table` (header = line 1). */
  lineExpr: string;
  /** What the line number means, for messages: 'line' or 'row' (XLSX) or 'record' (JSON arrays). */
  lineKind: 'line' | 'row' | 'record';
  format: 'csv' | 'xlsx' | 'json' | 'ndjson' | 'parquet';
  /** Sheet name for XLSX stages. */
  sheet?: string;
  /** Structural problems found while reading (rows DuckDB could not split into columns). */
  malformed: { line: number; message: string; raw: string }[];
  /** Dialect facts worth keeping in the profile (delimiter, encoding...). */
  dialect: Record<string, string | number | boolean>;
  /**
   * For streamed CSV: the reader with some columns typed by DuckDB itself (e.g. ISO dates as DATE),
   * which is faster than converting their text. Rows it cannot type are rejected by the reader and
   * come back from `finish` as `retry`, to be converted as text like any other row.
   */
  typedSource?: (types: Record<string, string>) => string;
  /**
   * For streamed sources: called after the rows are in `raw_<entity>` (batch `batchId`); returns the
   * rows the reader could not split, corrects `source_line` where rows and lines did not match, and
   * names a temporary table (source columns as text, plus `__line`) of rows to load again as text.
   */
  finish?: (batchId: number, rawTable: string) => Promise<{ malformed: Stage['malformed']; retry?: string }>;
}

let counter = 0;
/** A fresh temporary table name for a stage. */
export const stageName = () => `__stage_${process.pid}_${++counter}`;

/**
 * SQL for a row's 0-based position in a freshly created stage table (or among the rows `where`
 * picks, e.g. one batch just inserted). Inside a transaction DuckDB numbers new rows from a large
 * offset, in insertion order, so the position is rowid minus the first. The first rowid is written
 * into the SQL as a constant: it is past a JS number's exact range, but the JSON readers return
 * it as text; and joining on an expression of a subquery instead made DuckDB compare every row
 * with every row.
 */
export async function positionExpr(wh: { scalar<T>(sql: string): Promise<T | undefined> }, table: string, where = 'true'): Promise<string> {
  const base = (await wh.scalar<string>(`select coalesce(min(rowid), 0) from ${table} where ${where}`)) ?? '0';
  return `(rowid - ${base})`;
}

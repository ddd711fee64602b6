import type { EntityName } from '../../canonical/entities.ts';
import type { ColumnMapping } from '../mapping.ts';
import type { ColumnFormat } from '../value-formats.ts';

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
  format: 'csv' | 'xlsx' | 'json' | 'ndjson' | 'parquet' | 'cfdi';
  /**
   * For readers that know what they produce (CFDI): the entity, the mapping of its fields onto the
   * stage's columns, and the columns' formats, instead of guessing them from headers and values.
   */
  known?: { entity: EntityName; mapping: ColumnMapping; formats: Record<string, ColumnFormat> };
  /**
   * For a stage gathering the rows of many files (CFDIs): the columns holding each row's own file and
   * line. Rejects and warnings name them, instead of the stage's label and row.
   */
  origin?: { file: string; line: string };
  /** Checks of the reader's own, run once the rows are in `raw_<entity>` (batch `batchId`); may add warnings. */
  afterLoad?: (batchId: number, where: string) => Promise<void>;
  /** Sheet name for XLSX stages. */
  sheet?: string;
  /** Structural problems found while reading (rows DuckDB could not split into columns). */
  malformed: { line: number; message: string; raw: string }[];
  /**
   * What the reader found on lines of the file: warnings (bytes that were not UTF-8, repaired), or
   * errors (a value no reader keeps exactly); an error rejects the row on its line.
   */
  findings?: Finding[];
  /** Lines the reader could not read at all (inside a quote that never closes): each is rejected with `reason`. */
  unread?: { from: number; to: number; reason: string };
  /** Header names that repeat, case aside: the first pair, 1-based columns. */
  duplicateHeaders?: DuplicateHeaders;
  /** What is worth telling about the file as a whole (its encoding when not UTF-8...). */
  notes?: string[];
  /** Removes temporary files the stage reads from; called once the stage is loaded or the load fails. */
  dispose?: () => void;
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

/** A finding on one line of a file, as `ingest_rejects` records it. */
export interface Finding {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
  severity: 'error' | 'warning';
}

/** Two columns whose header names are the same, case and surrounding spaces aside. */
export interface DuplicateHeaders {
  first: { column: number; name: string };
  second: { column: number; name: string };
}

/** The first pair of header names that repeat (case and surrounding spaces aside), if any. */
export function duplicateHeaders(names: string[]): DuplicateHeaders | undefined {
  const seen = new Map<string, number>();
  for (let i = 0; i < names.length; i++) {
    const key = names[i].trim().toLowerCase();
    if (!key) continue;
    const j = seen.get(key);
    if (j !== undefined) return { first: { column: j + 1, name: names[j].trim() }, second: { column: i + 1, name: names[i].trim() } };
    seen.set(key, i);
  }
  return undefined;
}

/** The message for repeated header names, after the file's label. */
export const duplicateHeadersMessage = (d: DuplicateHeaders) =>
  `columns ${d.first.column} ('${d.first.name}') and ${d.second.column} ('${d.second.name}') have the same name: rename one, so it is clear which to load`;

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

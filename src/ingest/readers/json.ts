import { readFileSync } from 'node:fs';
import { InputError } from '../../db/errors.ts';
import type { Warehouse } from '../../db/warehouse.ts';
import { KIND_MESSAGE, kindOf } from '../file-kinds.ts';
import type { FileScan } from '../files.ts';
import { MAX_STEPS_INLINE, lineOf, lineStepsOf } from '../line-map.ts';
import { lit } from '../sql-text.ts';
import { scanJson, type JsonShape } from './json-scan.ts';
import { positionExpr, stageName, type Stage } from './stage.ts';

/**
 * Loads a JSON array of objects, NDJSON, or objects one after another into a text stage. Nested
 * values are kept as JSON text. The file is scanned first (see json-scan.ts): what is not a list of
 * records is refused with one line before any JSON reader sees it, and each row carries the line
 * its record starts on.
 */
export async function readJson(wh: Warehouse, path: string, label: string, scan: FileScan): Promise<Stage> {
  if (scan.bytes === 0) throw new InputError(`${label}: the file is empty (0 bytes)`);
  const kind = kindOf(scan.head);
  if (kind) throw new InputError(`${label}: ${KIND_MESSAGE[kind]}`);
  const shape = await scanJson(path, label, { ndjson: /\.(ndjson|jsonl)$/i.test(path) });
  const table = stageName();
  const format = shape.kind === 'array' ? 'array' : shape.oneLine ? 'newline_delimited' : 'unstructured';
  const src = `read_json(${lit(path)}, format = ${lit(format)}, sample_size = -1)`;
  try {
    const cols = await wh.all<{ column_name: string }>(`select column_name from (describe select * from ${src})`);
    // Every field read as text, as written: strings without their quotes, numbers as the reader
    // writes them back, nested values as JSON; no date or type guessed on the way.
    const text = `read_json(${lit(path)}, format = ${lit(format)}, columns = {${cols.map((c) => `${lit(c.column_name)}: 'VARCHAR'`).join(', ')}})`;
    await wh.run(`create temp table ${table} as select * from ${text}`);
    const position = `(${await positionExpr(wh, table)} + 1)`;
    const lineExpr = await elementLines(wh, table, shape.lines, position);
    return {
      source: table,
      table,
      headers: cols.map((c) => c.column_name),
      lineExpr: lineExpr ?? position,
      lineKind: lineExpr ? 'line' : 'record',
      format: shape.kind === 'array' ? 'json' : 'ndjson',
      malformed: [],
      findings: shape.findings,
      dialect: {},
    };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw await invalidJson(path, label, err as Error);
  }
}

/**
 * The error for a file the JSON reader refused although the scan found its shape sound (a syntax
 * error inside a record): the line of the first record that does not parse, and why.
 */
async function invalidJson(path: string, label: string, err: Error): Promise<InputError> {
  const message = err.message.split('\n')[0].replace(/^Invalid Input Error: /, '');
  let shape: JsonShape;
  try {
    shape = await scanJson(path, label, { ranges: true, ndjson: /\.(ndjson|jsonl)$/i.test(path) });
  } catch (e) {
    return e as InputError;
  }
  const text = readFileSync(path);
  for (let k = 0; k < shape.lines.length; k++) {
    const [start, end] = shape.ranges![k];
    try {
      JSON.parse(text.subarray(start, end).toString('utf8'));
    } catch (e) {
      return new InputError(`${label}:${shape.lines[k]}: invalid JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return new InputError(`${label}: cannot be read: ${message}`);
}

/**
 * SQL for the line each record of the stage starts on: an expression of its position when a few
 * steps describe the lines (one record per line is one step), else a `__line` column added to the
 * stage. Undefined when the scan and DuckDB's reader disagree on how many records there are.
 */
async function elementLines(wh: Warehouse, table: string, lines: number[], position: string): Promise<string | undefined> {
  if (lines.length !== Number(await wh.scalar(`select count(*) from ${table}`))) return undefined;
  const steps = lineStepsOf(lines);
  if (steps.length <= MAX_STEPS_INLINE) return lineOf(position, steps);
  await wh.run(`alter table ${table} add column __line BIGINT`);
  await wh.run(`update ${table} set __line = ($1::bigint[])[${position}]`, [`[${lines.join(',')}]`]);
  return '__line';
}

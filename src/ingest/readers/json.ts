import { openSync, readSync, closeSync } from 'node:fs';
import type { Warehouse } from '../../db/warehouse.ts';
import { MAX_STEPS_INLINE, jsonArrayElementLines, lineOf, lineStepsOf } from '../line-map.ts';
import { ident, lit } from '../value-formats.ts';
import { positionExpr, stageName, type Stage } from './stage.ts';

function firstChar(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart()[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads a JSON array of objects or newline-delimited JSON into a text stage. Nested values are kept
 * as JSON text. Each row carries the file's line it starts on: NDJSON rows their own line, array
 * elements the line a scan of the file finds them on (their position only if the scan disagrees
 * with DuckDB's reader about how many there are).
 */
export async function readJson(wh: Warehouse, path: string): Promise<Stage> {
  const isArray = firstChar(path) === '[';
  const table = stageName();
  const src = `read_json(${lit(path)}, format = ${isArray ? "'array'" : "'newline_delimited'"}, sample_size = -1)`;
  const cols = await wh.all<{ column_name: string; column_type: string }>(`select column_name, column_type from (describe select * from ${src})`);
  const select = cols
    .map((c) => (c.column_type === 'VARCHAR' ? ident(c.column_name) : `cast(${ident(c.column_name)} as varchar) as ${ident(c.column_name)}`))
    .join(', ');
  await wh.run(`create temp table ${table} as select ${select} from ${src}`);
  const position = `(${await positionExpr(wh, table)} + 1)`;
  const lineExpr = isArray ? await elementLines(wh, table, path, position) : position;
  return {
    source: table,
    table,
    headers: cols.map((c) => c.column_name),
    lineExpr: lineExpr ?? position,
    lineKind: isArray && !lineExpr ? 'record' : 'line',
    format: isArray ? 'json' : 'ndjson',
    malformed: [],
    dialect: {},
  };
}

/**
 * SQL for the line each element of an array's stage starts on: an expression of its position when
 * a few steps describe the lines (one element per line is one step), else a `__line` column added
 * to the stage. Undefined when the scan and DuckDB's reader disagree on how many elements there are.
 */
async function elementLines(wh: Warehouse, table: string, path: string, position: string): Promise<string | undefined> {
  const lines = await jsonArrayElementLines(path);
  if (lines.length !== Number(await wh.scalar(`select count(*) from ${table}`))) return undefined;
  const steps = lineStepsOf(lines);
  if (steps.length <= MAX_STEPS_INLINE) return lineOf(position, steps);
  await wh.run(`alter table ${table} add column __line BIGINT`);
  await wh.run(`update ${table} set __line = ($1::bigint[])[${position}]`, [`[${lines.join(',')}]`]);
  return '__line';
}

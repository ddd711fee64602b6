import { statSync } from 'node:fs';
import type { Warehouse } from '../../db/warehouse.ts';
import { recordStartLines } from '../line-map.ts';
import { ident, lit } from '../value-formats.ts';
import { sniffDialect } from './dialect.ts';
import { positionExpr, stageName, type Stage } from './stage.ts';

/** Files below this size always get an exact line scan; larger ones only when rows and lines disagree. */
const EXACT_SCAN_BYTES = 64 * 1024 * 1024;

/**
 * Loads a delimited text file (any delimiter and quoting DuckDB's sniffer recognises; UTF-8 with or
 * without BOM, or Latin-1) into a text stage. Rows DuckDB cannot split are reported, not dropped silently.
 * The encoding is decided before DuckDB reads (an error inside the load's transaction would abort it).
 */
export async function readCsv(wh: Warehouse, path: string, opts: { encoding: string; delimiter?: string }): Promise<Stage> {
  const encoding = /^(latin|iso-?8859-?1|windows-?1252|cp1252)/i.test(opts.encoding) ? 'latin-1' : opts.encoding;
  const dialect = sniffDialect(path, encoding === 'latin-1' ? 'latin1' : 'utf8');
  const table = stageName();
  const rejects = `${table}_rejects`;
  const delimiter = opts.delimiter ?? dialect.delimiter;
  const quote = dialect.quote;
  const escape = quote;
  await wh.run(
      `create temp table ${table} as select * from read_csv(${lit(path)}, delim = ${lit(delimiter)}, quote = ${lit(quote)},
        escape = ${lit(escape)}, skip = ${dialect.skip}, header = true, all_varchar = true, encoding = ${lit(encoding)},
        null_padding = true, ignore_errors = true, store_rejects = true, rejects_table = ${lit(rejects)},
        rejects_scan = ${lit(rejects + '_scan')}, auto_detect = false,
        columns = {${dialect.headers.map((h) => `${lit(h)}: 'VARCHAR'`).join(', ')}})`,
    );
  const malformed = (
    await wh.all<{ line: string; message: string; raw: string }>(
      `select line::bigint as line, error_message as message, csv_line as raw from ${rejects} order by line`,
    )
  ).map((r) => ({ line: Number(r.line), message: String(r.message).split('\n')[0], raw: String(r.raw ?? '') }));
  await wh.run(`drop table if exists ${rejects}; drop table if exists ${rejects}_scan`);

  const headers = (await wh.all<{ column_name: string }>(`select column_name from (describe ${table})`)).map((r) => r.column_name);
  const skip = dialect.skip;
  let lineExpr = `(${await positionExpr(wh, table)} + ${skip + 2})`;
  const size = statSync(path).size;
  const multiline =
    size >= EXACT_SCAN_BYTES &&
    !malformed.length &&
    Number(await wh.scalar(`select count(*) from ${table} where ${headers.map((h) => `contains(${ident(h)}, chr(10))`).join(' or ')}`)) > 0;
  if (size < EXACT_SCAN_BYTES || malformed.length || multiline) {
    const starts = await recordStartLines(path, quote);
    const bad = new Set(malformed.map((m) => m.line));
    // Records before the header and the header itself are not data; malformed lines were not loaded.
    const dataLines = starts.slice(skip + 1).filter((l) => !bad.has(l));
    const rows = Number(await wh.scalar(`select count(*) from ${table}`));
    if (dataLines.length >= rows) {
      const map = `${table}_lines`;
      await wh.run(`create temp table ${map} (__line BIGINT)`);
      const app = await wh.conn.createAppender(map, 'main', 'temp');
      for (let i = 0; i < rows; i++) {
        app.appendBigInt(BigInt(dataLines[i]));
        app.endRow();
      }
      app.closeSync();
      await wh.run(`create temp table ${table}_l as select * from ${table} positional join ${map}`);
      await wh.run(`drop table ${table}; drop table ${map}; alter table ${table}_l rename to ${table}`);
      lineExpr = '__line';
    }
  }
  return {
    table,
    headers,
    lineExpr,
    lineKind: 'line',
    format: 'csv',
    malformed,
    dialect: { delimiter, quote, encoding, skip },
  };
}

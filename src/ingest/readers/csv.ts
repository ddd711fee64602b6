import { statSync } from 'node:fs';
import type { Warehouse } from '../../db/warehouse.ts';
import { recordStartLines } from '../line-map.ts';
import { ident, lit } from '../value-formats.ts';
import { sniffDialect } from './dialect.ts';
import { positionExpr, stageName, type Stage } from './stage.ts';

/**
 * Files from this size on (CARTERA_STREAM_BYTES, default 64 MiB) stream straight from DuckDB's CSV reader into the raw table in one pass
 * (line numbers from each row's ordinality, corrected afterwards in the rare file where rows and
 * lines differ). Smaller files are staged first and always get an exact line scan.
 */
const streamBytes = () => Number(process.env.CARTERA_STREAM_BYTES ?? 64 * 1024 * 1024);

type Malformed = Stage['malformed'];

async function readRejects(wh: Warehouse, rejects: string): Promise<Malformed> {
  const rows = await wh.all<{ line: string; message: string; raw: string }>(
    `select distinct line::bigint as line, error_message as message, csv_line as raw from ${rejects} order by line`,
  );
  await wh.run(`drop table if exists ${rejects}; drop table if exists ${rejects}_scan`);
  return rows.map((r) => ({ line: Number(r.line), message: String(r.message).split('\n')[0], raw: String(r.raw ?? '') }));
}

/** A temp table with the true line of each data record, in record order (malformed lines excluded). */
async function lineMap(wh: Warehouse, path: string, quote: string, skip: number, malformed: Malformed, name: string, limit = Infinity): Promise<string> {
  const starts = await recordStartLines(path, quote);
  const bad = new Set(malformed.map((m) => m.line));
  // Records above the header and the header itself are not data; malformed lines were not loaded.
  const dataLines = starts.slice(skip + 1).filter((l) => !bad.has(l)).slice(0, limit);
  await wh.run(`create temp table ${name} (__pos BIGINT, __line BIGINT)`);
  const app = await wh.conn.createAppender(name, 'main', 'temp');
  dataLines.forEach((line, i) => {
    app.appendBigInt(BigInt(i + 1));
    app.appendBigInt(BigInt(line));
    app.endRow();
  });
  app.closeSync();
  return name;
}

/**
 * Reads a delimited text file (comma, semicolon, tab or pipe; quoted fields; UTF-8 with or without
 * BOM, or Latin-1) as text. Rows DuckDB cannot split into the header's columns are reported with
 * their line, never dropped silently. The encoding is decided before DuckDB reads: any error inside
 * the load's transaction would abort it.
 */
export async function readCsv(wh: Warehouse, path: string, opts: { encoding: string; delimiter?: string }): Promise<Stage> {
  const encoding = /^(latin|iso-?8859-?1|windows-?1252|cp1252)/i.test(opts.encoding) ? 'latin-1' : opts.encoding;
  const dialect = sniffDialect(path, encoding === 'latin-1' ? 'latin1' : 'utf8');
  const name = stageName();
  const rejects = `${name}_rejects`;
  const delimiter = opts.delimiter ?? dialect.delimiter;
  const { quote, skip, headers } = dialect;
  const reader = `read_csv(${lit(path)}, delim = ${lit(delimiter)}, quote = ${lit(quote)}, escape = ${lit(quote)},
      skip = ${skip}, header = true, encoding = ${lit(encoding)}, null_padding = true, ignore_errors = true,
      store_rejects = true, rejects_table = ${lit(rejects)}, rejects_scan = ${lit(rejects + '_scan')}, auto_detect = false,
      columns = {${headers.map((h) => `${lit(h)}: 'VARCHAR'`).join(', ')}})`;
  const common = { headers, lineKind: 'line' as const, format: 'csv' as const, dialect: { delimiter, quote, encoding, skip } };

  if (statSync(path).size >= streamBytes()) {
    return {
      ...common,
      source: reader,
      // Filled in by finish(): numbering rows inside the insert (ordinality, row_number) costs DuckDB its parallel write.
      lineExpr: '0',
      malformed: [],
      async finish(batchId, rawTable) {
        // The insert kept file order, and rows new in a transaction get consecutive rowids: number them from there.
        await wh.run(
          `update ${rawTable} set source_line = rowid - (select min(rowid) from ${rawTable} where batch_id = $1) + ${skip + 2} where batch_id = $1`,
          [batchId],
        );
        const malformed = await readRejects(wh, rejects);
        const textCols = (await wh.all<{ column_name: string }>(
          `select column_name from duckdb_columns() where table_name = $1 and data_type = 'VARCHAR'`,
          [rawTable],
        )).map((c) => c.column_name);
        const multiline =
          !malformed.length &&
          Number(await wh.scalar(`select count(*) from ${rawTable} where batch_id = $1 and (${textCols.map((c) => `contains(${ident(c)}, chr(10))`).join(' or ')})`, [batchId])) > 0;
        if (malformed.length || multiline) {
          // Rows and lines differ: map each row's position to the line its record starts on.
          const map = await lineMap(wh, path, quote, skip, malformed, `${name}_lines`);
          await wh.run(
            `update ${rawTable} r set source_line = m.__line from ${map} m where r.batch_id = $1 and m.__pos = r.source_line - ${skip + 1}`,
            [batchId],
          );
          await wh.run(`drop table ${map}`);
        }
        return malformed;
      },
    };
  }

  await wh.run(`create temp table ${name} as select * from ${reader}`);
  const malformed = await readRejects(wh, rejects);
  const rows = Number(await wh.scalar(`select count(*) from ${name}`));
  const map = await lineMap(wh, path, quote, skip, malformed, `${name}_lines`, rows);
  const mapped = Number(await wh.scalar(`select count(*) from ${map}`));
  let lineExpr = `(${await positionExpr(wh, name)} + ${skip + 2})`;
  if (mapped === rows) {
    await wh.run(`create temp table ${name}_l as select * exclude (__pos) from ${name} positional join ${map}`);
    await wh.run(`drop table ${name}; drop table ${map}; alter table ${name}_l rename to ${name}`);
    lineExpr = '__line';
  } else {
    await wh.run(`drop table ${map}`);
  }
  return { ...common, source: name, table: name, lineExpr, malformed };
}

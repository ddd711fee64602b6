import { statSync } from 'node:fs';
import type { Warehouse } from '../../db/warehouse.ts';
import { UserError } from '../../cli/command.ts';
import { recordStartLines } from '../line-map.ts';
import { ident, lit } from '../value-formats.ts';
import { stageName, type Stage } from './stage.ts';

/** Files below this size always get an exact line scan; larger ones only when rows and lines disagree. */
const EXACT_SCAN_BYTES = 64 * 1024 * 1024;

interface Sniffed {
  Delimiter: string;
  Quote: string;
  Escape: string;
  SkipRows: number;
  HasHeader: boolean;
}

const isEncodingError = (e: unknown) => /not utf-8|unicode|byte sequence/i.test(String((e as Error)?.message ?? e));

async function sniff(wh: Warehouse, path: string, encoding: string): Promise<Sniffed> {
  const rows = await wh.all<Sniffed>(
    `select Delimiter, Quote, Escape, SkipRows, HasHeader from sniff_csv(${lit(path)}, sample_size = 20480, encoding = ${lit(encoding)}, null_padding = true)`,
  );
  return rows[0];
}

/**
 * Loads a delimited text file (any delimiter and quoting DuckDB's sniffer recognises; UTF-8 with or
 * without BOM, else Latin-1) into a text stage. Rows DuckDB cannot split are reported, not dropped silently.
 */
export async function readCsv(wh: Warehouse, path: string, opts: { encoding?: string; delimiter?: string } = {}): Promise<Stage> {
  let encoding = opts.encoding ?? 'utf-8';
  let dialect: Sniffed;
  try {
    dialect = await sniff(wh, path, encoding);
  } catch (e) {
    if (!isEncodingError(e) || opts.encoding) throw new UserError(`${path}: cannot read as CSV: ${(e as Error).message.split('\n')[0]}`);
    encoding = 'latin-1';
    dialect = await sniff(wh, path, encoding);
  }
  const table = stageName();
  const rejects = `${table}_rejects`;
  const delimiter = opts.delimiter ?? dialect.Delimiter;
  const quote = dialect.Quote && dialect.Quote !== '(empty)' ? dialect.Quote : '"';
  const escape = dialect.Escape && dialect.Escape !== '(empty)' ? dialect.Escape : quote;
  const load = (enc: string) =>
    wh.run(
      `create temp table ${table} as select * from read_csv(${lit(path)}, delim = ${lit(delimiter)}, quote = ${lit(quote)},
        escape = ${lit(escape)}, skip = ${Number(dialect.SkipRows)}, header = true, all_varchar = true, encoding = ${lit(enc)},
        null_padding = true, ignore_errors = true, store_rejects = true, rejects_table = ${lit(rejects)},
        rejects_scan = ${lit(rejects + '_scan')})`,
    );
  try {
    await load(encoding);
  } catch (e) {
    // The sniffer only reads a sample: a Latin-1 byte further down shows up here.
    if (!isEncodingError(e) || encoding !== 'utf-8' || opts.encoding) throw new UserError(`${path}: ${(e as Error).message.split('\n')[0]}`);
    await wh.run(`drop table if exists ${table}`);
    encoding = 'latin-1';
    await load(encoding);
  }
  const malformed = (
    await wh.all<{ line: string; message: string; raw: string }>(
      `select line::bigint as line, error_message as message, csv_line as raw from ${rejects} order by line`,
    )
  ).map((r) => ({ line: Number(r.line), message: String(r.message).split('\n')[0], raw: String(r.raw ?? '') }));
  await wh.run(`drop table if exists ${rejects}; drop table if exists ${rejects}_scan`);

  const headers = (await wh.all<{ column_name: string }>(`select column_name from (describe ${table})`)).map((r) => r.column_name);
  const skip = Number(dialect.SkipRows);
  let lineExpr = `(rowid + ${skip + 2})`;
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

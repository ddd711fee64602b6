import { statSync } from 'node:fs';
import { InputError } from '../../db/errors.ts';
import type { Warehouse } from '../../db/warehouse.ts';
import { MAX_STEPS_INLINE, lineOf, lineStepsOf, scanRecords, type LineStep } from '../line-map.ts';
import { ident, lit } from '../sql-text.ts';
import { cutAt, lineAt, type PreparedText } from '../text-file.ts';
import { sniffDialect, uniqueNames } from './dialect.ts';
import { duplicateHeaders, duplicateHeadersMessage, positionExpr, stageName, type Stage } from './stage.ts';

/**
 * Files from this size on (CARTERA_STREAM_BYTES, default 64 MiB) stream straight from DuckDB's CSV reader into the raw table in one pass
 * (line numbers from each row's ordinality, corrected afterwards in the rare file where rows and
 * lines differ). Smaller files are staged first and always get an exact line scan.
 */
const streamBytes = () => Number(process.env.CARTERA_STREAM_BYTES ?? 64 * 1024 * 1024);

type Malformed = Stage['malformed'];
type Rejected = Malformed[number] & { retry: boolean };

/** DuckDB's reason for a line it could not split, said for the person who must fix the file. */
function rejectMessage(type: string, message: string): string {
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (type === 'TOO MANY COLUMNS' && counts) return `${counts[2]} fields where the header has ${counts[1]} (a delimiter inside an unquoted value?)`;
  // A quote that never closes is cut off before DuckDB reads (see readCsv): what is left is text after a closing quote.
  if (type === 'UNQUOTED VALUE') return 'text after a closing quote (quote the whole value, and double the quotes inside it)';
  const size = /Maximum line size of (\d+) bytes/.exec(message);
  if (type === 'LINE SIZE OVER MAXIMUM' && size) return `longer than ${size[1]} bytes, the most a line may hold (is a line end missing?)`;
  return message.split('\n')[0];
}

/**
 * The reader's rejected lines, one entry per line; `retry` when its only errors were values of a
 * typed column or missing trailing fields, which the text conversion reads (padding with NULLs).
 */
async function readRejects(wh: Warehouse, rejects: string): Promise<Rejected[]> {
  const rows = await wh.all<{ line: string; type: string; message: string; raw: string; retry: boolean }>(
    `select line::bigint as line, min(error_type) as type, min(error_message) as message, any_value(csv_line) as raw,
            bool_and(error_type in ('CAST', 'MISSING COLUMNS')) as retry
       from ${rejects} group by line order by line`,
  );
  await wh.run(`drop table if exists ${rejects}; drop table if exists ${rejects}_scan`);
  return rows.map((r) => ({ line: Number(r.line), message: rejectMessage(String(r.type), String(r.message)), raw: String(r.raw ?? ''), retry: Boolean(r.retry) }));
}

/**
 * Splits one CSV record (possibly spanning lines) into fields, as DuckDB reads them: quotes
 * doubled inside quoted fields, an empty unquoted field is NULL.
 */
export function splitRecord(text: string, delimiter: string, quote: string): (string | null)[] {
  const fields: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch !== quote) field += ch;
      else if (text[i + 1] === quote) field += text[++i];
      else inQuotes = false;
    } else if (quote && ch === quote) {
      inQuotes = quoted = true;
    } else if (text.startsWith(delimiter, i)) {
      fields.push(field === '' && !quoted ? null : field);
      field = '';
      quoted = false;
      i += delimiter.length - 1;
    } else if (!((ch === '\r' || ch === '\n') && /^[\r\n]*$/.test(text.slice(i)))) {
      field += ch;
    }
  }
  fields.push(field === '' && !quoted ? null : field);
  return fields;
}

/** A temp table of rejected lines to load again as text: the source columns, plus `__line`. */
async function retryTable(wh: Warehouse, name: string, headers: string[], rows: Rejected[], delimiter: string, quote: string): Promise<{ table: string; unsplit: Rejected[] }> {
  await wh.run(`create temp table ${name} (${headers.map((h) => `${ident(h)} VARCHAR`).join(', ')}, __line BIGINT)`);
  const app = await wh.conn.createAppender(name, 'main', 'temp');
  const unsplit: Rejected[] = [];
  for (const r of rows) {
    const fields = splitRecord(r.raw, delimiter, quote);
    if (fields.length > headers.length) {
      unsplit.push(r);
      continue;
    }
    headers.forEach((_, i) => (fields[i] == null ? app.appendNull() : app.appendVarchar(fields[i]!)));
    app.appendBigInt(BigInt(r.line));
    app.endRow();
  }
  app.closeSync();
  return { table: name, unsplit };
}

/** Records that each sit on one line, in a file of `records` lines (none spans lines, none is blank). */
interface Aligned {
  records: number;
}

/**
 * The line each data row starts on, in row order: the file's records after the header (and the
 * lines above it), the rejected ones left out, since they are not among the rows.
 * `starts` is the line each record of the file starts on (`aligned`: record i on line i).
 */
function dataLines(starts: number[] | Aligned, skip: number, rejected: { line: number }[]): number[] {
  const bad = new Set(rejected.map((r) => r.line));
  const lines: number[] = [];
  const n = Array.isArray(starts) ? starts.length : starts.records;
  for (let i = skip + 1; i < n; i++) {
    const line = Array.isArray(starts) ? starts[i] : i + 1;
    if (!bad.has(line)) lines.push(line);
  }
  return lines;
}

/** The line steps of a CSV's data rows (see `lineStepsOf`). */
export function lineSteps(starts: number[] | Aligned, skip: number, rejected: { line: number }[]): LineStep[] {
  if (Array.isArray(starts)) return lineStepsOf(dataLines(starts, skip, rejected));
  // Every record on its own line: the steps come from the rejected lines alone (a 10M-row file
  // needs no 10M-element arrays).
  const bad = [...new Set(rejected.map((r) => r.line))].filter((l) => l > skip + 1 && l <= starts.records).sort((a, b) => a - b);
  const rows = starts.records - skip - 1 - bad.length;
  const steps: LineStep[] = [{ pos: 1, offset: skip + 1 }];
  bad.forEach((line, j) => {
    // The first row after the j-th rejected line: every line above it is the header, a row or rejected.
    const step = { pos: line - skip - 1 - j, offset: skip + 2 + j };
    if (steps[steps.length - 1].pos === step.pos) steps[steps.length - 1] = step;
    else steps.push(step);
  });
  return steps.filter((s) => s.pos <= rows);
}

/** A temp table `name` of two BIGINT columns, filled from `rows` through an appender. */
async function pairsTable(wh: Warehouse, name: string, columns: [string, string], rows: [number, number][]): Promise<string> {
  await wh.run(`create temp table ${name} (${columns.map((c) => `${ident(c)} BIGINT`).join(', ')})`);
  const app = await wh.conn.createAppender(name, 'main', 'temp');
  for (const [a, b] of rows) {
    app.appendBigInt(BigInt(a));
    app.appendBigInt(BigInt(b));
    app.endRow();
  }
  app.closeSync();
  return name;
}

/** A temp table with the line of each data row by position, for lines too irregular for steps. */
const lineMap = (wh: Warehouse, lines: number[], name: string) => pairsTable(wh, name, ['__pos', '__line'], lines.map((line, i) => [i + 1, line]));

/**
 * Where each record starts: `aligned` when rows and rejected records account for every line (each
 * record then sits on one line), else scanned from the file. Rejected records come back numbered
 * by line instead of by record.
 */
async function recordStarts<T extends { line: number }>(
  path: string,
  delimiter: string,
  quote: string,
  lines: number,
  skip: number,
  rows: number,
  rejected: T[],
): Promise<{ starts: number[] | Aligned; rejected: T[] }> {
  if (lines === skip + 1 + rows + rejected.length) return { starts: { records: lines }, rejected };
  const starts = (await scanRecords(path, delimiter, quote, true)).starts!;
  return { starts, rejected: toFileLines(rejected, starts) };
}

/**
 * Sets `source_line` of a streamed batch from its steps: position (rows keep file order, and rows
 * new in a transaction get consecutive rowids) plus the offset of the last step at or before it.
 */
async function numberRows(wh: Warehouse, rawTable: string, batchId: number, steps: LineStep[], name: string): Promise<void> {
  const pos = `(${await positionExpr(wh, rawTable, `batch_id = ${batchId}`)} + 1)`;
  if (steps.length <= MAX_STEPS_INLINE) {
    await wh.run(`update ${rawTable} set source_line = ${lineOf(pos, steps)} where batch_id = $1`, [batchId]);
    return;
  }
  await pairsTable(wh, name, ['pos', 'offset'], steps.map((s) => [s.pos, s.offset]));
  await wh.run(
    `update ${rawTable} r set source_line = x.line
       from (select p.rid, p.pos + s."offset" as line
               from (select rowid as rid, ${pos} as pos from ${rawTable} where batch_id = $1) p
               asof join ${name} s on p.pos >= s.pos) x
      where r.rowid = x.rid`,
    [batchId],
  );
  await wh.run(`drop table ${name}`);
}

/**
 * DuckDB numbers rejected rows by record (the header and the lines above it count as one record
 * each), not by line: a quoted field spanning lines shifts every later number. Translate to lines.
 */
function toFileLines<T extends { line: number }>(rejected: T[], starts: number[]): T[] {
  return rejected.map((r) => ({ ...r, line: starts[r.line - 1] ?? r.line }));
}

/**
 * Reads a delimited text file (comma, semicolon, tab or pipe; quoted fields), prepared as UTF-8 (see
 * text-file.ts), as text (a streamed file may have some columns typed by the reader: `typedSource`).
 * Rows DuckDB cannot split into the header's columns are reported with their line, never dropped
 * silently; a quote that never closes is cut off first, and every line after it reported as not read.
 * Everything that could fail is decided before DuckDB reads: any error inside the load's transaction would abort it.
 */
export async function readCsv(wh: Warehouse, text: PreparedText, label: string, opts: { delimiter?: string } = {}): Promise<Stage> {
  const dialect = sniffDialect(text.path, label, opts.delimiter);
  const repeated = duplicateHeaders(dialect.headers);
  if (repeated) throw new InputError(`${label}: ${duplicateHeadersMessage(repeated)}`);
  const headers = uniqueNames(dialect.headers);
  const { delimiter, quote, skip } = dialect;
  const malformed: Malformed = [];
  let unread: Stage['unread'];
  let spans = false;
  let source = text;
  if (text.quotes) {
    const scan = await scanRecords(text.path, delimiter, quote);
    spans = scan.spans;
    if (scan.unclosed) {
      const { line, offset } = scan.unclosed;
      if (line <= skip + 1) throw new InputError(`${label}:${line}: a quote opens in the header and never closes, so no line of the file can be read`);
      const last = text.lines;
      malformed.push({
        line,
        message: `a quote opens on this line and never closes, so ${last > line ? `lines ${line}-${last}` : 'it'} could not be read`,
        raw: lineAt(text.path, offset),
      });
      if (last > line) unread = { from: line + 1, to: last, reason: `not read: inside the quote opened on line ${line}` };
      // DuckDB reads the lines above it alone: past a quote that never closes it reads the rest of
      // the file as one value, or gives up part way and goes on with what follows.
      source = { ...cutAt(text, text.path, offset), lines: line - 1 };
    }
  }
  const path = source.path;
  const lines = source.lines;
  const name = stageName();
  const rejects = `${name}_rejects`;
  const streamed = statSync(path).size >= streamBytes();
  // DuckDB's parallel reader refuses NULL padding once a quoted value spans lines: a staged file is
  // then read on one thread, a streamed one without padding (its short rows come back and are padded on retry).
  const padding = !(streamed && spans);
  const reader = (types: Record<string, string> = {}) => `read_csv(${lit(path)}, delim = ${lit(delimiter)}, quote = ${lit(quote)}, escape = ${lit(quote)},
      skip = ${skip}, header = true, encoding = 'utf-8', null_padding = ${padding}, ignore_errors = true,${!streamed && spans ? ' parallel = false,' : ''}
      store_rejects = true, rejects_table = ${lit(rejects)}, rejects_scan = ${lit(rejects + '_scan')}, auto_detect = false,
      columns = {${headers.map((h) => `${lit(h)}: ${lit(types[h] ?? 'VARCHAR')}`).join(', ')}})`;
  const common = {
    headers,
    lineKind: 'line' as const,
    format: 'csv' as const,
    dialect: { delimiter, quote, encoding: text.encoding, skip },
    findings: text.findings,
    notes: text.notes,
    unread,
    dispose: () => {
      source.dispose();
      text.dispose();
    },
  };

  /** Stages the file as text in a temporary table, with the exact line of each row. */
  const staged = async (): Promise<Stage> => {
    await wh.run(`create temp table ${name} as select * from ${reader()}`);
    const rows = Number(await wh.scalar(`select count(*) from ${name}`));
    const found = await recordStarts(path, delimiter, quote, lines, skip, rows, await readRejects(wh, rejects));
    const { starts } = found;
    const lineRows = dataLines(starts, skip, found.rejected);
    const steps = lineStepsOf(lineRows);
    const position = `(${await positionExpr(wh, name)} + 1)`;
    let lineExpr = `(${position} + ${skip + 1})`;
    if (steps.length <= MAX_STEPS_INLINE && lineRows.length === rows) {
      // A few steps: each row's line is an expression of its position in the stage.
      lineExpr = lineOf(position, steps);
    } else {
      const map = await lineMap(wh, lineRows.slice(0, rows), `${name}_lines`);
      const mapped = Number(await wh.scalar(`select count(*) from ${map}`));
      if (mapped === rows) {
        await wh.run(`create temp table ${name}_l as select * exclude (__pos) from ${name} positional join ${map}`);
        await wh.run(`drop table ${name}; drop table ${map}; alter table ${name}_l rename to ${name}`);
        lineExpr = '__line';
      } else {
        await wh.run(`drop table ${map}`);
      }
    }
    return { ...common, source: name, table: name, lineExpr, malformed: [...malformed, ...found.rejected].sort((a, b) => a.line - b.line) };
  };

  if (streamed) {
    return {
      ...common,
      source: reader(),
      typedSource: reader,
      // Filled in by finish(): numbering rows inside the insert (ordinality, row_number) costs DuckDB its parallel write.
      lineExpr: '0',
      malformed: [],
      async finish(batchId, rawTable) {
        const rows = Number(await wh.scalar(`select count(*) from ${rawTable} where batch_id = $1`, [batchId]));
        const { starts, rejected } = await recordStarts(path, delimiter, quote, lines, skip, rows, await readRejects(wh, rejects));
        await numberRows(wh, rawTable, batchId, lineSteps(starts, skip, rejected), `${name}_steps`);
        // Lines rejected only for a typed value or missing trailing fields go through the text
        // conversions (and their checks) like every other row.
        const retry = rejected.filter((r) => r.retry);
        const failed: Malformed = [...malformed, ...rejected.filter((r) => !r.retry)];
        if (!retry.length) return { malformed: failed.sort((a, b) => a.line - b.line) };
        const { table, unsplit } = await retryTable(wh, `${name}_retry`, headers, retry, delimiter, quote);
        return { malformed: [...failed, ...unsplit].sort((a, b) => a.line - b.line), retry: table };
      },
    };
  }

  return staged();
}

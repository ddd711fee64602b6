import { basename } from 'node:path';
import type { Warehouse } from '../db/warehouse.ts';
import { InputError } from '../db/errors.ts';
import { ENTITIES, SQL_TYPE, type EntityName, type EntitySpec, type FieldSpec } from '../canonical/entities.ts';
import { describeDateFormat, detectFormats } from './detect-formats.ts';
import { guessEntity, mapHeaders, missingRequired, type ColumnMapping } from './mapping.ts';
import type { Profile } from './profiles.ts';
import { warnOfMeanings } from './meaning-warnings.ts';
import { withStandIns } from './stand-ins.ts';
import { MONEY, RATE, numberReason, spreadsheetReason, spreadsheetValue, type NumberStyle } from './numbers.ts';
import { duplicateHeadersMessage, type Finding, type Stage } from './readers/stage.ts';
import { ISO_CURRENCIES, convertExpr, defaultDateRange, ident, lit, outsideRange, type ColumnFormat, type DateRange } from './value-formats.ts';

export interface LoadOptions {
  strict: boolean;
  entity?: EntityName;
  profile?: Profile;
  dateFormat?: string;
  numberStyle?: NumberStyle;
  /** Currency for files that carry none. */
  currency?: string;
  /** Dates outside it are rejected (default `defaultDateRange()`). */
  dateRange?: DateRange;
}

export interface StageResult {
  batchId: number;
  file: string;
  sheet?: string;
  entity: EntityName;
  mapping: ColumnMapping;
  formats: Record<string, ColumnFormat>;
  rows: number;
  rejected: number;
  warnings: number;
  generatedIds: boolean;
  topReasons: { reason: string; count: number; severity: 'error' | 'warning' }[];
  /** What is worth telling about the file as a whole (its encoding when not UTF-8...). */
  notes: string[];
  /** The stage's format (csv, xlsx, cfdi...). */
  format: Stage['format'];
}

/** SQL for why the text `v` of field `f` (not blank) could not be converted. */
function reasonSql(f: FieldSpec, fmt: ColumnFormat | undefined, v: string): string {
  const t = `trim(${v})`;
  const or = (text: string) => `case when ${spreadsheetValue(t)} then ${spreadsheetReason(t)} else ${lit(text)} end`;
  switch (f.type) {
    case 'money':
      return numberReason(v, fmt?.number ?? 'dot', MONEY);
    case 'rate':
      return numberReason(v, fmt?.number ?? 'dot', RATE, 'not a number');
    case 'date':
      return or(`not a date in the file's layout (${describeDateFormat(fmt?.date ?? 'iso')})`);
    case 'integer':
      return or('not a whole number');
    case 'bool':
      return or('not a yes/no flag (expected Yes/No, Sí/No, true/false, 1/0)');
    case 'currency':
      return lit('not a currency code');
    default:
      return lit(f.name === 'document_type' ? 'unknown document type (expected invoice, credit note or debit note)' : 'unreadable');
  }
}

/** The SQL struct of one rejected value, as `ingest_rejects` takes it. */
const problem = (column: string | null, value: string, reason: string) =>
  `{'column_name': ${column === null ? 'null::varchar' : lit(column)}, 'value': ${value}, 'reason': ${reason}}`;

/** Resolves what a stage holds and how its columns map, from the profile, --entity, or the headers. */
function resolveMapping(stage: Stage, file: string, opts: LoadOptions): { entity: EntitySpec; mapping: ColumnMapping } | undefined {
  const where = `${file}${stage.sheet ? ` (sheet ${stage.sheet})` : ''}`;
  if (stage.known) return { entity: ENTITIES[stage.known.entity], mapping: { ...stage.known.mapping } };
  const p = opts.profile;
  if (p?.columns) {
    const entityName = p.entity ?? opts.entity ?? guessEntity(Object.values(p.columns), file)?.entity;
    if (!entityName) throw new InputError(`${where}: profile ${p.name} does not say which entity it describes (add "entity")`);
    const missing = Object.values(p.columns).filter((c) => !stage.headers.includes(c));
    if (missing.length) throw new InputError(`${where}: profile ${p.name} names columns the file lacks: ${missing.join(', ')} (file has: ${stage.headers.join(', ')})`);
    return { entity: ENTITIES[entityName], mapping: { ...p.columns } };
  }
  const forced = p?.entity ?? opts.entity;
  if (forced) return { entity: ENTITIES[forced], mapping: mapHeaders(stage.headers, ENTITIES[forced]) };
  const guess = guessEntity(stage.headers, basename(file));
  if (!guess) return undefined;
  return { entity: ENTITIES[guess.entity], mapping: guess.mapping };
}

/**
 * Validates and loads one stage into `raw_<entity>` as one batch: converts every mapped column,
 * records each rejected value in `ingest_rejects` with the file's own line, and flags its row `rejected`.
 * With `strict`, any rejected row aborts (the caller's transaction then rolls everything back).
 */
export async function loadStage(
  wh: Warehouse,
  stage: Stage,
  file: string,
  sha256: string,
  opts: LoadOptions,
  runBatches: Map<EntityName, number[]>,
): Promise<StageResult | undefined> {
  const where = `${file}${stage.sheet ? ` (sheet ${stage.sheet})` : ''}`;
  const whereLabel = where;
  const resolved = resolveMapping(stage, file, opts);
  if (!resolved && stage.format === 'xlsx') return undefined; // a sheet of notes or totals: not an entity
  if (stage.duplicateHeaders) throw new InputError(`${where}: ${duplicateHeadersMessage(stage.duplicateHeaders)}`);
  if (!resolved) {
    throw new InputError(
      `${where}: cannot tell what this file holds. Its headers (${stage.headers.join(', ')}) do not name the required columns of any entity ` +
        `(invoices need a customer, an invoice or due date, and an amount). Use --entity, or --profile with a "columns" mapping.`,
    );
  }
  const entity = resolved.entity;
  const mapping = withStandIns(entity, resolved.mapping);
  const missing = missingRequired(entity, mapping).filter((f) => f !== 'invoice_id' || entity.name !== 'invoices');
  if (missing.length)
    throw new InputError(`${where}: no column for ${missing.join(', ')} of ${entity.name} (headers: ${stage.headers.join(', ')}). Map it with --profile.`);
  const formats = stage.known?.formats ?? await detectFormats(wh, stage, entity, mapping, { date: opts.dateFormat ?? opts.profile?.formats?.date, number: opts.numberStyle ?? opts.profile?.formats?.number }, where);

  const batchId = Number(await wh.scalar(`select nextval('ingest_batch_seq')`));
  await wh.run(
    `insert into ingest_batches (batch_id, file, sha256, entity, profile, format, mapping, rows, rejected, started)
     values ($1, $2, $3, $4, $5, $6, $7::json, 0, 0, $8::timestamp)`,
    [batchId, where, sha256, entity.name, opts.profile?.name ?? null, stage.format, JSON.stringify({ columns: mapping, formats }), new Date().toISOString()],
  );

  const range = opts.dateRange ?? defaultDateRange();
  const outOfRange = `date outside the plausible range ${range.min} to ${range.max} (--min-date, --max-date)`;
  const defaults: Record<string, string> = { ...(opts.profile?.defaults ?? {}) };
  if (opts.currency && !defaults.currency) defaults.currency = opts.currency;
  const generatedIds = entity.name === 'invoices' && !mapping.invoice_id;
  const idParts = ['customer_id', 'invoice_date', 'due_date', 'amount', 'reference', 'description'].map((n) => (mapping[n] ? `coalesce(${ident(mapping[n])}, '')` : "''"));
  const idHash = `substr(md5(concat_ws('|', ${idParts.join(', ')})), 1, 12)`;

  // Columns DuckDB's CSV reader can type itself, faster than converting their text: ISO dates (not
  // amounts: its decimal parser rounds what does not fit, where ours rejects it). A value it cannot
  // read rejects the row from the reader, and the row is loaded again as text below, so it gets
  // exactly the same conversion and checks as before. (Generated ids hash the source text, which must stay as written.)
  const native: Record<string, string> = {};
  if (stage.typedSource && !generatedIds) {
    const uses = new Map<string, number>();
    for (const col of Object.values(mapping)) uses.set(col, (uses.get(col) ?? 0) + 1);
    for (const f of entity.fields) {
      const col = mapping[f.name];
      if (!col || uses.get(col) !== 1) continue;
      if (f.type === 'date' && formats[col]?.date === 'iso') native[col] = 'DATE';
    }
  }
  const mappedCols = new Set(Object.values(mapping));
  const unmapped = stage.headers.filter((h) => !mappedCols.has(h));
  const extra = unmapped.length ? `json_object(${unmapped.map((h) => `${lit(h)}, ${ident(h)}`).join(', ')})` : 'null::json';

  /** Inserts the rows of `source` (typed as `types` says, text otherwise) into raw_<entity> as this batch. */
  const insertRows = async (source: string, lineExpr: string, types: Record<string, string>, keepOrder = false) => {
    // One expression per canonical field: converted source column, profile default, or NULL.
    const fieldExpr = (f: FieldSpec): string => {
      const col = mapping[f.name];
      if (col && types[col]) return ident(col);
      if (col) return convertExpr(ident(col), f.type, formats[col], f.name);
      if (defaults[f.name] !== undefined) return `cast(${lit(defaults[f.name])} as ${SQL_TYPE[f.type]})`;
      return `cast(null as ${SQL_TYPE[f.type]})`;
    };
    // Converted values are computed once, in an inner query; the checks below read them by name.
    const conv = (f: FieldSpec) => ident(`__f_${f.name}`);
    const errors: string[] = [];
    for (const f of entity.fields) {
      const col = mapping[f.name];
      const typed = col !== undefined && types[col] !== undefined;
      const raw = col ? ident(col) : 'null';
      const value = typed ? `${raw}::varchar` : raw;
      const blank = !col ? 'true' : typed ? `${raw} is null` : `(${raw} is null or trim(${raw}) = '')`;
      if (col && !typed && f.type !== 'id' && !(f.type === 'text' && f.name !== 'document_type')) {
        errors.push(`case when not ${blank} and ${conv(f)} is null then ${problem(col, value, reasonSql(f, formats[col], raw))} end`);
      }
      if (col && f.type === 'date') {
        errors.push(`case when ${outsideRange(conv(f), range)} then ${problem(col, value, lit(outOfRange))} end`);
      }
      // An identifier never holds a line break: one means a quote opened and closed lines later, merging rows.
      if (col && !typed && f.type === 'id') {
        errors.push(`case when strpos(${raw}, chr(10)) > 0 or strpos(${raw}, chr(13)) > 0 then ${problem(col, value, "'line break inside an identifier (a quote left open on this line?)'")} end`);
      }
      if (f.required && !(generatedIds && f.name === 'invoice_id')) {
        errors.push(`case when ${blank} and ${conv(f)} is null then ${problem(col ?? f.name, value, lit(`missing ${f.name}`))} end`);
      }
    }
    if (entity.name === 'invoices' && mapping.due_date) {
      const field = (n: string) => conv(entity.fields.find((f) => f.name === n)!);
      errors.push(`case when ${field('due_date')} < ${field('invoice_date')} then ${problem(mapping.due_date, `${ident(mapping.due_date)}::varchar`, "'due date before invoice date'")} end`);
    }
    // A row that repeats the header (two exports joined into one file) says so, and nothing else.
    const named = stage.headers.filter((h) => !/^column\d+$/.test(h));
    const headerAgain = stage.format === 'csv' || stage.format === 'xlsx' ? named.map((h) => `${ident(h)}::varchar = ${lit(h)}`).join(' and ') || 'false' : 'false';

    const converted = entity.fields.map((f) => `${fieldExpr(f)} as ${conv(f)}`);
    if (generatedIds) converted[entity.fields.findIndex((f) => f.name === 'invoice_id')] = `'INV-' || ${idHash} as ${ident('__f_invoice_id')}`;
    // One pass: every row goes in with its converted values; a row with errors is flagged `rejected`
    // and carries them in extra.__errors, copied to ingest_rejects right after (still inside the
    // load's transaction). Rows are flagged, never deleted: a delete would make DuckDB's commit
    // append the whole batch again row by row (10M invoices: 9 s instead of 4.6 s).
    const errorList = `case when ${headerAgain} then [${problem(null, 'null::varchar', "'the header again (two exports joined into one file?)'")}]
                            else list_filter([${errors.join(', ') || 'null'}], e -> e is not null) end`;
    const anyError = [headerAgain, ...errors.map((e) => `(${e}) is not null`)].join(' or ');
    const cols = [...entity.fields.map((f) => ident(f.name)), 'extra', 'batch_id', 'source_line', 'rejected'];
    const insert = `insert into raw_${entity.name} (${cols.join(', ')})
       select ${entity.fields.map(conv).join(', ')},
              case when __errors is null then ${extra}
                   else json_merge_patch(coalesce(${extra}, '{}'::json), json_object('__errors', __errors)) end,
              ${batchId}, __line, __errors is not null
         from (select *, case when ${anyError} then ${errorList} end as __errors
                 from (select *, ${converted.join(', ')}, ${lineExpr} as __line from ${source}))`;
    if (keepOrder) await assertOrderedInsert(wh, insert, where);
    await wh.run(insert);
  };

  // A streamed file's lines are numbered after the insert, from the order rows went in.
  await insertRows(Object.keys(native).length ? stage.typedSource!(native) : stage.source, stage.lineExpr, native, stage.finish !== undefined);
  let malformed = stage.malformed;
  if (stage.finish) {
    const finished = await stage.finish(batchId, `raw_${entity.name}`);
    malformed = finished.malformed;
    if (finished.retry) {
      await insertRows(finished.retry, '__line', {});
      await wh.run(`drop table ${finished.retry}`);
    }
  }

  const raw = `raw_${entity.name}`;
  if (generatedIds) await numberRepeatedIds(wh, batchId);
  await wh.run(
    `insert into ingest_rejects (batch_id, file, line, column_name, value, reason, severity)
     select $1, $2, source_line, e.column_name, e.value, e.reason, 'error'
       from (select source_line, unnest(from_json(extra->'__errors', '[{"column_name":"VARCHAR","value":"VARCHAR","reason":"VARCHAR"}]')) as e
               from ${raw} where batch_id = $1 and rejected)`,
    [batchId, where],
  );
  // extra keeps only the source's unmapped columns.
  await wh.run(`update ${raw} set extra = nullif(json_merge_patch(extra, '{"__errors": null}'), '{}'::json) where batch_id = $1 and rejected`, [batchId]);

  // Currencies: a handful of distinct codes per file, checked against ISO 4217 after the insert
  // (a 170-code IN list evaluated on every row cost more than the rest of the conversion).
  const currencyField = entity.fields.find((f) => f.type === 'currency');
  if (currencyField) {
    const seen = await wh.all<{ c: string }>(`select distinct ${ident(currencyField.name)} as c from ${raw} where batch_id = $1 and not rejected and ${ident(currencyField.name)} is not null`, [batchId]);
    const unknown = seen.map((r) => r.c).filter((c) => !ISO_CURRENCIES.includes(c));
    if (unknown.length) {
      const col = mapping[currencyField.name] ?? currencyField.name;
      const where = `batch_id = $1 and not rejected and ${ident(currencyField.name)} in (${unknown.map(lit).join(', ')})`;
      await wh.run(
        `insert into ingest_rejects (batch_id, file, line, column_name, value, reason, severity)
         select $1, $2, source_line, ${lit(col)}, ${ident(currencyField.name)}, 'unknown currency (not an ISO 4217 code)', 'error' from ${raw} where ${where}`,
        [batchId, whereLabel],
      );
      await wh.run(`update ${raw} set rejected = true where ${where}`, [batchId]);
    }
  }

  // Duplicate natural keys: inside this file, and against files loaded earlier in the same run.
  const key = entity.key.map(ident);
  const keyList = key.join(', ');
  const earlier = runBatches.get(entity.name) ?? [];
  const keyLabel = entity.key.join(', ');
  await repeatedHashes(wh, 'dup_hashes', raw, keyList, `batch_id = ${batchId} and not rejected`);
  await wh.run(
    `create or replace temp table dups as
     select r.source_line, g.first_line, null::varchar as other_file
       from ${raw} r join (select ${keyList}, min(source_line) as first_line from ${raw}
                            where batch_id = $1 and not rejected and hash(${keyList}) in (select h from dup_hashes)
                            group by ${keyList} having count(*) > 1) g using (${keyList})
      where r.batch_id = $1 and not r.rejected and r.source_line > g.first_line
     ${earlier.length ? `union all select r.source_line, e.source_line, b.file from ${raw} r join ${raw} e using (${keyList}) join ingest_batches b on b.batch_id = e.batch_id where r.batch_id = $1 and not r.rejected and e.batch_id in (${earlier.join(', ')}) and not e.rejected` : ''}`,
    [batchId],
  );
  await wh.run(
    `insert into ingest_rejects (batch_id, file, line, column_name, value, reason, severity)
     select $1, $2, d.source_line, ${lit(mapping[entity.key[0]] ?? entity.key[0])}, null,
            case when d.other_file is null then 'duplicate ' || ${lit(keyLabel)} || ' in this file (first at line ' || d.first_line || ')'
                 else 'duplicate ' || ${lit(keyLabel)} || ' already in this load (' || d.other_file || ' line ' || d.first_line || ')' end, 'error'
       from dups d`,
    [batchId, where],
  );
  await wh.run(`update ${raw} set rejected = true where batch_id = $1 and source_line in (select source_line from dups)`, [batchId]);
  await wh.run(`drop table dups; drop table dup_hashes`);
  await insertFindings(wh, batchId, where, [
    ...malformed.map((m): Finding => ({ line: m.line, column: null, value: m.raw.slice(0, 500), reason: `malformed row: ${m.message}`, severity: 'error' })),
    ...(stage.findings ?? []),
  ]);
  // A row on a line the reader found an error on (a JSON number no reader keeps exactly) is rejected.
  const badLines = [...new Set((stage.findings ?? []).filter((f) => f.severity === 'error').map((f) => f.line))];
  if (badLines.length) await wh.run(`update ${raw} set rejected = true where batch_id = $1 and source_line in (select unnest($2::bigint[]))`, [batchId, `[${badLines.join(',')}]`]);
  if (stage.unread) {
    await wh.run(
      `insert into ingest_rejects (batch_id, file, line, column_name, value, reason, severity)
       select $1, $2, line, null, null, $3, 'error' from range($4::bigint, $5::bigint + 1) t(line)`,
      [batchId, where, stage.unread.reason, stage.unread.from, stage.unread.to],
    );
  }

  const rejectedRows = Number(
    await wh.scalar(`select count(distinct line) from ingest_rejects where batch_id = $1 and severity = 'error'`, [batchId]),
  );
  if (opts.strict && rejectedRows > 0) {
    await traceToOrigins(wh, stage, batchId);
    const first = (await wh.all<{ file: string; line: string; column_name: string | null; value: string | null; reason: string }>(
      `select file, line, column_name, value, reason from ingest_rejects where batch_id = $1 and severity = 'error' order by line, column_name nulls first, reason limit 1`,
      [batchId],
    ))[0];
    throw new InputError(
      `${first.file}:${first.line}: ${first.column_name ? `column '${first.column_name}': ` : ''}${first.reason}` +
        `${first.value !== null ? ` (value '${first.value}')` : ''}\n  ${rejectedRows} row(s) rejected; --strict loads nothing.`,
    );
  }

  const rows = Number(await wh.scalar(`select count(*) from raw_${entity.name} where batch_id = $1 and not rejected`, [batchId]));

  if (entity.name === 'payments') await unapplyUnknownInvoices(wh, batchId, where);
  await stage.afterLoad?.(batchId, where);
  await warnOfMeanings(wh, { batchId, where, entity, mapping });
  await traceToOrigins(wh, stage, batchId);
  const warnings = Number(await wh.scalar(`select count(*) from ingest_rejects where batch_id = $1 and severity = 'warning'`, [batchId]));
  if (stage.table) await wh.run(`drop table if exists ${stage.table}`);
  await wh.run(`update ingest_batches set rows = $2, rejected = $3, finished = $4::timestamp where batch_id = $1`, [batchId, rows, rejectedRows, new Date().toISOString()]);
  runBatches.set(entity.name, [...earlier, batchId]);

  // Reasons as the summary groups them: without the line they name, stray bytes of any value alike.
  const topReasons = (
    await wh.all<{ reason: string; count: string; severity: 'error' | 'warning' }>(
      `select regexp_replace(regexp_replace(reason, ' \\(first at line.*| \\(.*line \\d+\\)$', ''), '^bytes? .* not UTF-8: read as Windows-1252 .*$', 'bytes that are not UTF-8, read as Windows-1252') as reason,
              severity, count(*) as count
         from ingest_rejects where batch_id = $1 group by 1, 2 order by severity, 3 desc limit 5`,
      [batchId],
    )
  ).map((r) => ({ reason: r.reason, count: Number(r.count), severity: r.severity }));
  return { batchId, file, sheet: stage.sheet, entity: entity.name, mapping, formats, rows, rejected: rejectedRows, warnings, generatedIds, topReasons, notes: stage.notes ?? [], format: stage.format };
}

/**
 * Rejects and warnings of a stage that gathers many files name each row's own file and line (see
 * Stage.origin). Called once, before the batch's rejects are read: a second call would map lines again.
 */
async function traceToOrigins(wh: Warehouse, stage: Stage, batchId: number): Promise<void> {
  if (!stage.origin) return;
  await wh.run(
    `update ingest_rejects r set file = s.${ident(stage.origin.file)}, line = s.${ident(stage.origin.line)}::bigint
       from ${stage.source} s where r.batch_id = $1 and r.line = s.${stage.lineExpr}`,
    [batchId],
  );
}

/** Records what the reader found on lines of the file, in one statement. */
async function insertFindings(wh: Warehouse, batchId: number, file: string, findings: Finding[]): Promise<void> {
  if (!findings.length) return;
  await wh.run(
    `insert into ingest_rejects (batch_id, file, line, column_name, value, reason, severity)
     select $1, $2, f.line, f.column, f.value, f.reason, f.severity
       from (select unnest(from_json($3::json, '[{"line":"BIGINT","column":"VARCHAR","value":"VARCHAR","reason":"VARCHAR","severity":"VARCHAR"}]')) as f)`,
    [batchId, file, JSON.stringify(findings)],
  );
}

/**
 * A temp table `name` of the hashes of `key` that repeat among the rows of `table` that `where`
 * picks. Grouping 10M text keys is costly: sorting their 64-bit hashes is faster (0.7 s against
 * 1.5 s for a hash aggregate at 10M rows), and the few candidates are then looked at exactly.
 */
async function repeatedHashes(wh: Warehouse, name: string, table: string, key: string, where: string): Promise<void> {
  await wh.run(
    `create or replace temp table ${name} as
     select distinct h from (select h, h = lag(h) over (order by h) as again from (select hash(${key}) as h from ${table} where ${where}))
      where again`,
  );
}

/**
 * Stable ids for invoices exported without a document number: 'INV-' and a hash of what identifies
 * the document (inserted with the row), plus '-2', '-3'... on the second, third... identical row in
 * file order. Only ids that repeat are looked at, once the batch's lines are known.
 */
async function numberRepeatedIds(wh: Warehouse, batchId: number): Promise<void> {
  await repeatedHashes(wh, '__id_repeats', 'raw_invoices', 'invoice_id', `batch_id = ${batchId}`);
  await wh.run(
    `update raw_invoices r set invoice_id = r.invoice_id || '-' || c.n
       from (select source_line, row_number() over (partition by invoice_id order by source_line) as n
               from raw_invoices where batch_id = $1 and hash(invoice_id) in (select h from __id_repeats)) c
      where r.batch_id = $1 and r.source_line = c.source_line and c.n > 1`,
    [batchId],
  );
  await wh.run(`drop table __id_repeats`);
}

/**
 * Fails unless DuckDB will insert the rows in the order it reads them: with several threads that
 * takes its order-preserving batch insert. Anything in the plan that reorders rows (a join, which
 * DuckDB makes of a long `IN` list, for one) would number every row of the file with a wrong line.
 */
async function assertOrderedInsert(wh: Warehouse, insert: string, where: string): Promise<void> {
  const plan = (await wh.all<{ explain_value: string }>(`explain ${insert}`)).map((r) => r.explain_value).join('\n');
  const threads = Number(await wh.scalar(`select current_setting('threads')`));
  if (threads > 1 && !plan.includes('BATCH_INSERT'))
    throw new Error(`${where}: the load's plan would not keep the file's row order, so source lines would be wrong (an internal error: please report it)`);
}

/** Payments naming an invoice no load has brought are kept as unapplied cash, with a warning. */
async function unapplyUnknownInvoices(wh: Warehouse, batchId: number, where: string): Promise<number> {
  // One anti join, kept for the three uses below (at 10M payments each NOT EXISTS took 5 s, this 1 s).
  await wh.run(
    `create or replace temp table unknown_invoice_refs as
     select p.rowid as rid, p.source_line, p.invoice_id
       from raw_payments p anti join (select invoice_id from raw_invoices where not rejected) i using (invoice_id)
      where p.batch_id = $1 and not p.rejected and p.invoice_id is not null`,
    [batchId],
  );
  const n = Number(await wh.scalar(`select count(*) from unknown_invoice_refs`));
  if (n) {
    await wh.run(
      `insert into ingest_rejects (batch_id, file, line, column_name, value, reason, severity)
       select $1, $2, source_line, 'invoice_id', invoice_id, 'payment for an unknown invoice: kept as unapplied cash', 'warning'
         from unknown_invoice_refs`,
      [batchId, where],
    );
    await wh.run(
      `update raw_payments p set extra = json_merge_patch(coalesce(p.extra, '{}'::json), json_object('unknown_invoice_id', p.invoice_id)), invoice_id = null
         from unknown_invoice_refs u where p.rowid = u.rid`,
    );
  }
  await wh.run(`drop table unknown_invoice_refs`);
  return n;
}

import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout, stderr } from '../cli/output.ts';
import { basename } from 'node:path';
import { resolveDbPath, withWarehouse, type Warehouse } from '../db/warehouse.ts';
import { ENTITY_NAMES, type EntityName } from '../canonical/entities.ts';
import { ingestFiles, type IngestReport } from '../ingest/ingest.ts';
import type { CfdiSummary } from '../ingest/cfdi-load.ts';
import { describeMapping } from '../ingest/mapping.ts';
import { loadProfile } from '../ingest/profiles.ts';
import { describeDateFormat } from '../ingest/detect-formats.ts';
import { defaultDateRange, type NumberStyle } from '../ingest/value-formats.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A --min-date or --max-date value: a real calendar date. */
function dateOption(opts: Record<string, unknown>, name: string, fallback: string): string {
  const v = opts[name] as string | undefined;
  if (v === undefined) return fallback;
  const d = new Date(`${v}T00:00:00Z`);
  if (!ISO_DATE.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw new UserError(`ingest: --${name} must be a date (YYYY-MM-DD)`, 2);
  return v;
}

/** The decimal mark --decimal (or the older --decimal-comma) gives, if any. */
function decimalOption(opts: Record<string, unknown>): NumberStyle | undefined {
  const v = opts.decimal as string | undefined;
  if (v === undefined) return opts['decimal-comma'] ? 'comma' : undefined;
  if (v === ',' || v === 'comma') return 'comma';
  if (v === '.' || v === 'point' || v === 'dot') return 'dot';
  throw new UserError("ingest: --decimal must be ',' (1.234,56) or '.' (1,234.56)", 2);
}

export const ingestCommand: Command = {
  name: 'ingest',
  args: 'PATH...',
  options: {
    ...dbOption,
    profile: { type: 'string', description: 'a profile name (data/profiles/NAME.json) or a profile file', placeholder: 'NAME|FILE' },
    entity: { type: 'string', description: `what the files hold: ${ENTITY_NAMES.join('|')}|cfdi (default: detected)`, placeholder: 'E' },
    rfc: { type: 'string', description: "CFDI: the company's own RFC (default: the issuer of most Ingreso CFDIs); CFDIs it received are payables, skipped", placeholder: 'RFC' },
    terms: { type: 'string', description: 'CFDI: days of credit for invoices whose CondicionesDePago states none (default: the customer\'s terms, else due at issue)', placeholder: 'DAYS' },
    strict: { type: 'boolean', description: 'any rejected row fails the whole load (nothing is loaded)' },
    sheet: { type: 'string', description: 'XLSX: load only this sheet (default: every sheet)', placeholder: 'NAME' },
    'date-format': { type: 'string', description: "date layout when detection cannot tell, e.g. '%d/%m/%Y'", placeholder: 'FMT' },
    decimal: { type: 'string', description: "the decimal mark of amounts when their values cannot tell: ',' (1.234,56) or '.' (1,234.56)", placeholder: ', | .' },
    'decimal-comma': { type: 'boolean', description: 'the same as --decimal ,' },
    'min-date': { type: 'string', description: 'dates before it are rejected as typos (default 1900-01-01)', placeholder: 'YYYY-MM-DD' },
    'max-date': { type: 'string', description: 'dates after it are rejected as typos (default: 50 years from today)', placeholder: 'YYYY-MM-DD' },
    currency: { type: 'string', description: 'currency for files that carry none (ISO code)', placeholder: 'CUR' },
    json: { type: 'boolean', description: 'print one JSON object per file (the default when stdout is not a terminal)' },
  },
  details: `PATH may be files or folders (read recursively). Every call is one transaction: all files load or none.
A file whose content was loaded before is skipped. Set CARTERA_PROGRESS=json for progress events on stderr. Rejected rows go to table ingest_rejects with the file's own line
(header = line 1); the inferred column mapping is printed and saved as a reusable profile beside the warehouse.
Values are loaded exactly as written or rejected with the reason, never rounded: amounts keep up to 6 decimals, and each
column's decimal mark is decided from all of its values. Hidden XLSX sheets are skipped unless --sheet names them.`,
  async run(opts, positionals) {
    if (!positionals.length) throw new UserError('ingest: give at least one file or folder', 2);
    const entity = opts.entity as string | undefined;
    if (entity && entity !== 'cfdi' && !ENTITY_NAMES.includes(entity as EntityName)) throw new UserError(`ingest: --entity must be one of ${ENTITY_NAMES.join(', ')}, cfdi`, 2);
    const terms = opts.terms === undefined ? undefined : String(opts.terms);
    if (terms !== undefined && !/^\d{1,3}$/.test(terms)) throw new UserError('ingest: --terms must be a whole number of days (0-999)', 2);
    const rfc = opts.rfc as string | undefined;
    if (rfc !== undefined && !/^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$/i.test(rfc.trim())) throw new UserError(`ingest: --rfc '${rfc}' is not an RFC (3-4 letters, YYMMDD, 3 characters)`, 2);
    const currency = (opts.currency as string | undefined)?.toUpperCase();
    const numberStyle = decimalOption(opts);
    const range = defaultDateRange();
    const dateRange = { min: dateOption(opts, 'min-date', range.min), max: dateOption(opts, 'max-date', range.max) };
    if (dateRange.min > dateRange.max) throw new UserError('ingest: --min-date must not be after --max-date', 2);
    const json = Boolean(opts.json) || !stdout.isTTY;
    const dbPath = resolveDbPath(opts.db as string | undefined);
    const started = Date.now();
    const report = await withWarehouse(dbPath, async (wh) => {
      const bar = json ? undefined : await progressBar(wh);
      try {
        return await ingestFiles(wh, positionals, {
        strict: Boolean(opts.strict),
        entity: entity === 'cfdi' ? undefined : (entity as EntityName | undefined),
        cfdi: { rfc, terms: terms === undefined ? undefined : Number(terms), force: entity === 'cfdi' },
        profile: opts.profile ? loadProfile(String(opts.profile)) : undefined,
        sheet: opts.sheet as string | undefined,
        dateFormat: opts['date-format'] as string | undefined,
        numberStyle,
        dateRange,
        currency,
        dbPath,
        onProgress: process.env.CARTERA_PROGRESS === 'json' ? jsonProgress : bar?.onProgress,
      });
      } finally {
        bar?.stop();
      }
    }, { create: true });
    if (json) for (const line of jsonLines(report)) stdout.write(JSON.stringify(line) + '\n');
    else printSummary(report, Date.now() - started);
    return 0;
  },
};

/** Machine-readable progress on stderr for scripts (CARTERA_PROGRESS=json): one JSON object per step. */
function jsonProgress(e: { file: string; phase: string }): void {
  stderr.write(JSON.stringify({ file: e.file, phase: e.phase, at: new Date().toISOString() }) + '\n');
}

/**
 * A progress bar on a terminal: the step and file, and DuckDB's own progress of the running
 * statement (a big CSV is read inside one statement).
 */
async function progressBar(wh: Warehouse) {
  await wh.run('set enable_progress_bar = true; set enable_progress_bar_print = false');
  let label = '';
  const draw = () => {
    const pct = wh.conn.progress.percentage;
    const bar = pct >= 0 ? `[${'#'.repeat(Math.round(pct / 5)).padEnd(20, '.')}] ${pct.toFixed(0).padStart(3)}% ` : '';
    if (label) stderr.write(`\u001b[2K\r${bar}${label}`.slice(0, (process.stderr.columns || 100) + 4));
  };
  const timer = setInterval(draw, 200);
  return {
    onProgress(e: { file: string; phase: string }) {
      label = e.phase === 'read' ? `reading ${basename(e.file)}` : e.phase === 'load' ? `validating and loading ${basename(e.file)}` : '';
      if (!label) stderr.write('\u001b[2K\r');
      else draw();
    },
    stop() {
      clearInterval(timer);
      stderr.write('\u001b[2K\r');
    },
  };
}

function jsonLines(report: IngestReport): object[] {
  return [
    ...report.loaded.map((r) => ({
      file: r.file,
      sheet: r.sheet,
      batch_id: r.batchId,
      entity: r.entity,
      rows: r.rows,
      rejected: r.rejected,
      warnings: r.warnings,
      generated_ids: r.generatedIds,
      mapping: r.mapping,
      formats: r.formats,
      reasons: r.topReasons,
      notes: r.notes,
    })),
    ...report.skipped.map((s) => ({ file: s.file, skipped: s.reason })),
    ...(report.cfdi ? [{ cfdi: report.cfdi }] : []),
  ];
}

function printSummary(report: IngestReport, ms: number): void {
  const out: string[] = [];
  for (const r of report.loaded) {
    out.push(`${r.file}${r.sheet ? ` [${r.sheet}]` : ''}: ${r.rows.toLocaleString()} ${r.entity} loaded (batch ${r.batchId})` + (r.rejected ? `, ${r.rejected.toLocaleString()} rejected` : '') + (r.warnings ? `, ${r.warnings} warnings` : ''));
    out.push(`    columns: ${describeMapping(r.mapping)}`);
    const dates = [...new Set(Object.values(r.formats).map((f) => f.date).filter(Boolean))] as string[];
    const nums = [...new Set(Object.values(r.formats).map((f) => f.number).filter(Boolean))];
    if (dates.length || nums.length) out.push(`    formats: ${[...dates.map((d) => `dates ${describeDateFormat(d)}`), ...nums.map((n) => `numbers ${n}`)].join(', ')}`);
    if (r.generatedIds) out.push('    note: no invoice number column; stable ids were made from customer, dates, amount and description (INV-<hash>)');
    for (const n of r.notes) out.push(`    note: ${n}`);
    for (const t of r.topReasons) out.push(`    ${t.severity === 'warning' ? 'warning' : 'rejected'}: ${t.count} x ${t.reason}`);
  }
  for (const s of report.skipped) out.push(`${s.file}: skipped, ${s.reason}`);
  if (report.cfdi) out.push(...describeCfdi(report.cfdi));
  if (report.loaded.some((r) => r.rejected || r.warnings)) out.push(`See every rejected value and warning: cartera query "select * from ingest_rejects order by batch_id, line"`);
  if (report.profiles.length) out.push(`Inferred mappings saved as profiles: ${report.profiles.join(', ')}`);
  out.push(`Done in ${(ms / 1000).toFixed(1)} s.`);
  stdout.write(out.join('\n') + '\n');
}

/** The CFDI part of the summary: whose receivables these are, what was skipped, and where due dates came from. */
function describeCfdi(c: CfdiSummary): string[] {
  const from = { given: 'given with --rfc', detected: 'detected: the issuer of most Ingreso CFDIs', 'earlier load': 'as an earlier CFDI load settled it', none: 'none' }[c.rfcFrom];
  const out = [`CFDI: company RFC ${c.companyRfc ?? '(none)'} (${from}): ${c.invoices} invoices, ${c.creditNotes} credit notes, ${c.payments} payments loaded`];
  out.push(`    skipped: ${c.payables} payables (CFDIs ${c.companyRfc ?? 'the company'} received), ${c.otherParties} of other parties, ${c.notReceivables} traslado/nómina`);
  out.push(`    due dates: ${c.dueDates.CondicionesDePago} from CondicionesDePago, ${c.dueDates['--terms']} from --terms, ${c.dueDates.none} without terms (the customer's terms, else due at issue)`);
  if (c.cancellations || c.metadataIgnored) out.push(`    SAT metadata: ${c.cancellations} cancelled invoices leave receivables on their cancellation date; ${c.metadataIgnored} rows not acted on`);
  return out;
}

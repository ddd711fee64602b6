import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { closest, dbOption, UserError, type Command } from '../cli/command.ts';
import { stderr } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { requirePublication } from '../pipeline/index.ts';
import {
  collectorNames,
  companyPath,
  customerLocale,
  layoutStatement,
  loadCompany,
  parseLocale,
  readStatements,
  statementAsOf,
  statementFileName,
  statementPdf,
  statementsZipName,
  type Company,
  type Read,
  type StatementData,
  type StatementLocale,
} from '../statements/index.ts';

type Scope = { kind: 'customer' | 'collector'; value: string } | { kind: 'all-open' };

export const statementCommand: Command = {
  name: 'statement',
  options: {
    ...dbOption,
    customer: { type: 'string', description: "one customer's statement", placeholder: 'ID' },
    collector: { type: 'string', description: "the statements of a collector's customers with open items", placeholder: 'C' },
    'all-open': { type: 'boolean', description: 'the statements of every customer with open items' },
    'as-of': { type: 'string', description: 'the date of the statements, YYYY-MM-DD (default: the data as-of)', placeholder: 'D' },
    out: { type: 'string', description: 'folder the PDFs (or the zip) are written into', placeholder: 'DIR' },
    locale: { type: 'string', description: "language and formats: es-MX, es-CO, en-US... (default: by each customer's country)", placeholder: 'L' },
    zip: { type: 'boolean', description: 'write one zip of the PDFs instead of one file each' },
    company: { type: 'string', description: "the seller's details (default: $CARTERA_COMPANY or company.yaml beside the warehouse)", placeholder: 'FILE' },
  },
  details: `One PDF per customer, named statement_<customer id>_<as-of>.pdf: the company's details, the customer's
open items at the as-of with their aging bucket and days past due, the payments and credits of the
last 90 days, and the balance, one section per currency (currencies are never added together).
--collector and --all-open make one for each customer with an open item at the as-of.
The same statement as a page or a PDF: GET /api/customers/ID/statement?as_of=D&format=html|pdf.`,
  async run(opts) {
    const scope = scopeOf(opts);
    if (!opts.out) throw new UserError('statement: give --out DIR, the folder to write the statements into', 2);
    const requested = opts['as-of'] as string | undefined;
    if (requested !== undefined && !isDate(requested)) throw new UserError(`statement: --as-of must be a date as YYYY-MM-DD, not '${requested}'`, 2);
    const locale = opts.locale === undefined ? undefined : parseLocale(String(opts.locale));
    const dbPath = resolveDbPath(opts.db as string | undefined);
    const companyFile = String(opts.company ?? companyPath(dbPath));
    const company = loadCompany(companyFile);
    if (!company) stderr.write(`statement: no company details at ${companyFile}; the statements carry no seller block (see data/company.yaml)\n`);
    await withWarehouse(dbPath, async (wh) => {
      await requirePublication(wh);
      const read: Read = (sql, params) => wh.all(sql, params);
      const asOf = await statementAsOf(read, requested);
      const statements = await statementsOf(read, scope, asOf);
      if (statements.length === 0) {
        stderr.write(`statement: no customer ${scope.kind === 'collector' ? `of collector '${scope.value}' ` : ''}has open items on ${asOf}; nothing written\n`);
        return;
      }
      const files = await renderAll(statements, asOf, locale, company);
      const out = String(opts.out);
      mkdirSync(out, { recursive: true });
      if (opts.zip) {
        const name = join(out, statementsZipName(scope.kind === 'all-open' ? 'all-open' : scope.value, asOf));
        writeFileSync(name, await zipOf(files, asOf));
        stderr.write(`statement: ${files.length} statement${files.length === 1 ? '' : 's'} as of ${asOf} in ${name}\n`);
      } else {
        for (const f of files) writeFileSync(join(out, f.name), f.pdf);
        stderr.write(`statement: ${files.length} statement${files.length === 1 ? '' : 's'} as of ${asOf} written to ${out}\n`);
      }
    });
  },
};

/** A real calendar day as YYYY-MM-DD (2024-02-30 is not one). */
function isDate(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
}

/** Exactly one of --customer, --collector, --all-open. */
function scopeOf(opts: Record<string, unknown>): Scope {
  const given = [opts.customer !== undefined, opts.collector !== undefined, opts['all-open'] === true].filter(Boolean).length;
  if (given !== 1) throw new UserError('statement: give one of --customer ID, --collector C or --all-open', 2);
  if (opts.customer !== undefined) return { kind: 'customer', value: String(opts.customer) };
  if (opts.collector !== undefined) return { kind: 'collector', value: String(opts.collector) };
  return { kind: 'all-open' };
}

/** The statements a scope covers, or a usage error that says how to find what exists. */
async function statementsOf(read: Read, scope: Scope, asOf: string): Promise<StatementData[]> {
  if (scope.kind === 'all-open') return readStatements(read, asOf, { openOnly: true });
  if (scope.kind === 'customer') {
    const one = await readStatements(read, asOf, { customer: scope.value });
    if (!one.length) {
      throw new UserError(
        `statement: no customer with id '${scope.value}'; find ids with: cartera query "select customer_id, name from dim_customers where name ilike '%part of the name%'"`,
        2,
      );
    }
    return one;
  }
  const names = await collectorNames(read);
  if (!names.includes(scope.value)) {
    const near = closest(scope.value, names);
    const shown = names.length > 20 ? `${names.slice(0, 20).join(', ')}, ... (${names.length} in all)` : names.join(', ');
    throw new UserError(`statement: no collector named '${scope.value}'${near ? ` (did you mean '${near}'?)` : ''}; the collectors are: ${shown || 'none'}`, 2);
  }
  return readStatements(read, asOf, { collector: scope.value, openOnly: true });
}

/** Each customer's PDF, under a file name no other customer's takes (ids that differ only in unsafe characters). */
async function renderAll(statements: StatementData[], asOf: string, locale: StatementLocale | undefined, company: Company | undefined) {
  const created = new Date(`${asOf}T00:00:00Z`);
  const used = new Set<string>();
  const files: { name: string; pdf: Buffer }[] = [];
  for (const data of statements) {
    const id = data.customer.id;
    const pdf = await statementPdf(layoutStatement(data, locale ?? customerLocale(data.customer.country), company), created);
    let name = statementFileName(id, asOf);
    for (let n = 2; used.has(name); n++) name = statementFileName(`${id}-${n}`, asOf);
    used.add(name);
    files.push({ name, pdf });
  }
  return files;
}

/** One zip of the PDFs, every entry dated the as-of (the same statements make the same zip). */
async function zipOf(files: { name: string; pdf: Buffer }[], asOf: string): Promise<Buffer> {
  const zip = new JSZip();
  const date = new Date(`${asOf}T00:00:00Z`);
  for (const f of files) zip.file(f.name, f.pdf, { date, binary: true });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

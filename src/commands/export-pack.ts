import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { UserError } from '../cli/command.ts';
import { stderr, stdout } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { requirePublication } from '../pipeline/index.ts';
import { layoutPack, packPdf, readPack } from '../reports/index.ts';
import { parseLocale } from '../statements/index.ts';

/** A real calendar day as YYYY-MM-DD (2024-02-30 is not one). */
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/**
 * `cartera export pack`: the CFO's month-end pack as one PDF (KPIs, aged receivables, provision
 * matrix, 13-week cash forecast), read from the warehouse opened read-only and drawn with pdfkit.
 */
export async function exportPack(opts: Record<string, unknown>): Promise<void> {
  const out = opts.out as string | undefined;
  if (!out || extname(out).toLowerCase() !== '.pdf') throw new UserError('export: pack writes a PDF: give --out FILE.pdf', 2);
  if (opts.filter) throw new UserError('export: pack takes --as-of, --currency and --locale, not --filter: it covers the whole portfolio', 2);
  const asOf = opts['as-of'] as string | undefined;
  if (asOf !== undefined && !isDate(asOf)) throw new UserError(`export: --as-of must be a date as YYYY-MM-DD, not '${asOf}'`, 2);
  const locale = parseLocale(String(opts.locale ?? 'es-MX'));
  const currency = (opts.currency as string | undefined)?.toUpperCase();
  const t0 = performance.now();
  const pdf = await withWarehouse(
    resolveDbPath(opts.db as string | undefined),
    async (wh) => {
      await requirePublication(wh);
      const data = await readPack((sql, params) => wh.result(sql, params), { asOf, currency });
      for (const n of data.notes) stderr.write(`export: ${n[locale.lang]}\n`);
      return packPdf(layoutPack(data, locale), new Date(`${data.asOf}T00:00:00Z`));
    },
    { readOnly: true },
  );
  const path = resolve(out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, pdf);
  stderr.write(`export: month-end pack (${locale.tag}) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  stdout.write(`${path}\n`);
}

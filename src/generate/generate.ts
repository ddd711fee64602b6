import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCustomers, type Customer, type Horizon } from './customers.ts';
import { DayFormats, parseIsoDay, yearsBefore } from './days.ts';
import { CfdiSet } from './cfdi/cfdi-set.ts';
import { ExportSet, type Dialect, type FileSummary } from './export-set.ts';
import { fxRates, type FxRate } from './fx-rates.ts';
import { customerLedger } from './ledger.ts';
import { newCounters, type Ledger } from './ledger-types.ts';
import { readmeText } from './readme.ts';

export interface GenerateOptions {
  /** Folder to write into (created if missing; files in it are overwritten). */
  out: string;
  customers: number;
  /** Documents in the invoice files (invoices + credit notes + debit notes), exactly. */
  invoices: number;
  seed: number;
  /** Last day of the history, 'YYYY-MM-DD': nothing is paid after it, recent invoices are open. */
  end: string;
  years: number;
  dialect: Dialect;
}

export const GENERATE_DEFAULTS = {
  customers: 2000,
  invoices: 200_000,
  seed: 42,
  end: '2026-10-31',
  years: 3,
  dialect: 'all' as Dialect,
};

/**
 * Writes a folder of synthetic ERP exports for a receivables portfolio. Same options, same bytes.
 * Customers are generated one at a time and streamed out, so memory does not grow with --invoices.
 *
 * @example await generateExports({ ...GENERATE_DEFAULTS, out: 'data/demo', invoices: 2000, customers: 50 })
 */
export async function generateExports(o: GenerateOptions): Promise<FileSummary[]> {
  const end = parseIsoDay(o.end);
  const horizon: Horizon = { start: yearsBefore(end, o.years), end };
  // Customers date back up to ten years before the window; due and promised dates run past its end.
  const days = new DayFormats(horizon.start - 3700, end + 500);
  const seed = o.seed >>> 0;
  mkdirSync(o.out, { recursive: true });

  const customers = makeCustomers(seed, o.customers, o.invoices, horizon);
  // Fixed-width ids (7 digits unless the run needs more); payments and activities run to a few per document.
  const widths = { document: Math.max(7, String(o.invoices).length), other: Math.max(7, String(o.invoices * 3).length) };
  const ids = newCounters();
  const rates = fxRates(seed, horizon.start - 30, end);
  const ledgerOf = (c: Customer) => customerLedger(seed, c, horizon, days, ids, widths);
  const written =
    o.dialect === 'cfdi'
      ? writeCfdi(new CfdiSet(o.out, seed, rates, days), customers, ledgerOf)
      : await writeExports(new ExportSet(o.out, o.dialect, days), rates, end, customers, ledgerOf);

  const args = `--customers ${o.customers} --invoices ${o.invoices} --seed ${o.seed} --end ${o.end} --years ${o.years} --dialects ${o.dialect}`;
  const readme = readmeText(written.map((w) => w.file), o.dialect, args);
  writeFileSync(join(o.out, 'README.txt'), readme);
  written.push({ file: 'README.txt', rows: readme.split('\n').length - 1, bytes: Buffer.byteLength(readme) });
  return written;
}

type LedgerOf = (c: Customer) => Ledger;

/** The ERP dialects: every entity, streamed customer by customer. */
async function writeExports(files: ExportSet, rates: FxRate[], end: number, customers: Customer[], ledgerOf: LedgerOf): Promise<FileSummary[]> {
  for (const c of customers) files.add(c, ledgerOf(c));
  return files.finish(customers, rates, end);
}

/** The CFDI dialect: invoices, credit notes and payment complements as XML, and the FX rates. */
function writeCfdi(files: CfdiSet, customers: Customer[], ledgerOf: LedgerOf): FileSummary[] {
  for (const c of customers) files.add(c, ledgerOf(c));
  return files.finish();
}

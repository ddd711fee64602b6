/**
 * Workbook ingest: `cartera ingest` (a whole CLI process) on a one-sheet XLSX of N invoices, the
 * largest sheet Excel itself can hold at N = 1,000,000. DuckDB has no built-in XLSX reader to time
 * beside it (its excel extension is not installed here), so the comparison is the same rows as a
 * canonical CSV, loaded by the same command in the same run.
 *
 * Run alone: node --import tsx test/bench/xlsx.ts [invoices]
 */
import ExcelJS from 'exceljs';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { canonicalExport, measure } from './ingest.ts';
import { compiledCli } from './compiled.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** Writes the canonical CSV's rows as one sheet, with real dates and numbers, as an ERP's export would. */
async function csvToXlsx(csv: string, out: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: `${out}.tmp` });
  const ws = wb.addWorksheet('Facturas');
  let header: string[] | undefined;
  for await (const line of createInterface({ input: createReadStream(csv), crlfDelay: Infinity })) {
    if (!line) continue;
    const f = line.split(',');
    if (!header) {
      header = f;
      ws.addRow(f).commit();
      continue;
    }
    const typed = f.map((v, i) => (/_date$/.test(header![i]) && v ? new Date(`${v}T00:00:00Z`) : header![i] === 'amount' ? Number(v) : v === '' ? null : v));
    ws.addRow(typed).commit();
  }
  await wb.commit();
  renameSync(`${out}.tmp`, out);
}

export async function benchXlsx(opts: { invoices: number; log?: (line: string) => void }) {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const dir = join(ROOT, 'data/bench', `xlsx-${opts.invoices}`);
  const csv = await canonicalExport(dir, opts.invoices, log);
  const xlsx = join(dir, 'invoices.xlsx');
  if (!existsSync(xlsx)) {
    log(`writing the same invoices as one XLSX sheet ...`);
    await csvToXlsx(csv, xlsx);
  }
  mkdirSync(dir, { recursive: true });
  const cli = compiledCli(log);
  const run = async (file: string, db: string) => {
    const path = join(dir, db);
    for (const f of [path, `${path}.wal`]) rmSync(f, { force: true });
    return measure(process.execPath, [cli, 'ingest', file, '--db', path, '--json']);
  };
  const fromCsv = await run(csv, 'from-csv.duckdb');
  const fromXlsx = await run(xlsx, 'from-xlsx.duckdb');
  const rows = (r: { stdout: string }) => (JSON.parse(r.stdout.trim().split('\n')[0]) as { rows: number }).rows;
  log('');
  log(`ingest: ${opts.invoices.toLocaleString()} invoices as CSV (${(statSync(csv).size / 2 ** 20).toFixed(0)} MiB) and as one XLSX sheet (${(statSync(xlsx).size / 2 ** 20).toFixed(0)} MiB)`);
  log(`  cartera ingest, CSV   ${fromCsv.seconds.toFixed(2).padStart(7)} s   peak ${fromCsv.peakMiB.toFixed(0)} MiB   ${rows(fromCsv).toLocaleString()} rows`);
  log(`  cartera ingest, XLSX  ${fromXlsx.seconds.toFixed(2).padStart(7)} s   peak ${fromXlsx.peakMiB.toFixed(0)} MiB   ${rows(fromXlsx).toLocaleString()} rows`);
  if (fromCsv.code !== 0 || fromXlsx.code !== 0 || rows(fromCsv) !== rows(fromXlsx)) throw new Error(`a run failed or the row counts differ (exit ${fromCsv.code}/${fromXlsx.code})`);
  return { fromCsv, fromXlsx };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchXlsx({ invoices: Number(process.argv[2] ?? 1_000_000) });
}

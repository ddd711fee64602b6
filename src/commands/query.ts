import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout, stderr } from '../cli/output.ts';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDbPath, withWarehouse, type Warehouse } from '../db/warehouse.ts';
import { OUTPUT_FORMATS, columnsAndRows, toCsv, toParquet, toTextTable, type OutputFormat } from '../db/writers.ts';

export const queryCommand: Command = {
  name: 'query',
  args: '"SQL"',
  options: {
    ...dbOption,
    format: { type: 'string', default: 'table', description: `output format: ${OUTPUT_FORMATS.join('|')}`, placeholder: 'F' },
    'no-header': { type: 'boolean', description: 'omit the header row (table and csv)' },
  },
  details: 'Parquet and Arrow are binary: redirect them to a file, e.g. --format parquet > out.parquet.',
  async run(opts, positionals) {
    const sql = positionals.join(' ').trim();
    if (!sql) throw new UserError('query: give the SQL to run, e.g. cartera query "select count(*) from fct_invoices"', 2);
    const format = String(opts.format) as OutputFormat;
    if (!OUTPUT_FORMATS.includes(format)) throw new UserError(`query: --format must be one of ${OUTPUT_FORMATS.join(', ')}`, 2);
    const header = !opts['no-header'];
    await withSnapshotWhenBusy(resolveDbPath(opts.db as string | undefined), async (wh) => {
      const r = await wh.result(sql).catch(async (e: Error) => {
        // Loaded only for an error: no part of a query's start-up.
        const { explainMissing } = await import('../pipeline/readiness.ts');
        const why = await explainMissing(wh, e);
        throw why === e ? new UserError(e.message) : why;
      });
      const { columns, rows } = columnsAndRows(r);
      if (format === 'table') stdout.write(toTextTable(columns, rows, { header }));
      else if (format === 'csv') stdout.write(toCsv(columns, rows, { header }));
      else if (format === 'json') stdout.write(JSON.stringify(r.getRowObjectsJson()) + '\n');
      else if (format === 'arrow') stdout.write((await import('../db/arrow-writer.ts')).toArrow(r));
      else stdout.write(await toParquet(r));
    });
  },
};

/**
 * Opens the warehouse; when another process (a running `cartera serve`) holds it, reads a
 * snapshot copy instead and says so on stderr, so analysts can still query while it serves.
 */
async function withSnapshotWhenBusy(path: string, fn: (wh: Warehouse) => Promise<void>): Promise<void> {
  try {
    await withWarehouse(path, fn);
  } catch (err) {
    if (!/Could not set lock on file/i.test(String((err as Error).message))) throw err;
    const dir = mkdtempSync(join(tmpdir(), 'cartera-snapshot-'));
    try {
      const copy = join(dir, 'warehouse.duckdb');
      copyFileSync(path, copy);
      if (existsSync(`${path}.wal`)) copyFileSync(`${path}.wal`, `${copy}.wal`);
      stderr.write(`cartera: ${path} is in use by another process (cartera serve?); reading a snapshot copy\n`);
      await withWarehouse(copy, fn);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

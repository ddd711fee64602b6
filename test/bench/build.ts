/**
 * Build benchmark: N synthetic invoices (+ a payment for most, some credit notes and unapplied
 * cash) loaded straight into the raw tables with SQL, then `runBuild`, each model's time beside
 * a plain full scan of raw_invoices, and aging_at for three past dates.
 *
 * Run alone: node --import tsx test/bench/build.ts 1000000 [db-path]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ensureRawSchema } from '../../src/canonical/raw-schema.ts';
import { runBuild, type ModelTiming } from '../../src/models/index.ts';

export interface BenchBuildOptions {
  invoices: number;
  customers?: number;
  /** Warehouse file; default: a temp file removed afterwards. */
  db?: string;
  log?: (line: string) => void;
}

export interface BenchBuildResult {
  invoices: number;
  loadSeconds: number;
  scanSeconds: number;
  buildSeconds: number;
  models: ModelTiming[];
  agingAt: { asOf: string; seconds: number; rows: number }[];
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** Fills raw tables with `n` invoices over five years; deterministic (hash of the row number). */
async function load(wh: Warehouse, n: number, customers: number): Promise<void> {
  await ensureRawSchema(wh);
  await wh.run(
    `insert into raw_customers (customer_id, name, segment, collector, country, credit_limit, payment_terms_days, batch_id, source_line)
     select 'C' || i, 'Customer ' || i, ['retail', 'wholesale', 'government'][1 + i % 3], 'collector ' || (i % 12),
            ['MX', 'CO', 'US', 'ES'][1 + i % 4], (10000 + i % 90 * 1000)::decimal(18, 2), 30, 1, i + 1
     from range($1) t(i)`,
    [customers],
  );
  await wh.run(
    `insert into raw_invoices (invoice_id, customer_id, invoice_date, due_date, amount, currency, document_type, reference, batch_id, source_line)
     select
       'INV' || i,
       'C' || (hash(i) % $2),
       date '2020-01-01' + (i * 1826 // $1)::integer,
       date '2020-01-01' + (i * 1826 // $1)::integer + 30,
       (10 + hash(i * 7) % 500000 / 100)::decimal(18, 2),
       'USD',
       case when i % 50 = 49 then 'credit_note' end,
       case when i % 50 = 49 then 'INV' || (i - 1) end,
       1, i + 2
     from range($1) t(i)`,
    [n, customers],
  );
  // 95% of invoices are paid, in full, 0-119 days after issue; 1 in 200 payments names no invoice.
  await wh.run(
    `insert into raw_payments (payment_id, customer_id, invoice_id, payment_date, amount, currency, method, batch_id, source_line)
     select
       'P' || i,
       'C' || (hash(i) % $2),
       case when i % 200 <> 0 then 'INV' || i end,
       date '2020-01-01' + (i * 1826 // $1)::integer + (hash(i * 13) % 120)::integer,
       (10 + hash(i * 7) % 500000 / 100)::decimal(18, 2),
       'USD',
       case when i % 97 = 0 then 'write_off' else 'transfer' end,
       1, i + 2
     from range($1) t(i)
     where i % 50 <> 49 and hash(i * 3) % 100 < 95`,
    [n, customers],
  );
}

/** Loads, builds and times; prints a table through `log`. */
export async function benchBuild(opts: BenchBuildOptions): Promise<BenchBuildResult> {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const dir = opts.db ? undefined : mkdtempSync(join(tmpdir(), 'cartera-bench-'));
  const wh = await Warehouse.open(opts.db ?? join(dir!, 'bench.duckdb'));
  try {
    let t0 = performance.now();
    await load(wh, opts.invoices, opts.customers ?? Math.max(100, Math.floor(opts.invoices / 200)));
    const loadSeconds = seconds(t0);
    log(`loaded ${opts.invoices.toLocaleString('en-US')} invoices in ${loadSeconds.toFixed(2)} s`);

    t0 = performance.now();
    await wh.all('select count(*), sum(amount) from raw_invoices');
    const scanSeconds = seconds(t0);

    // CPU seconds (all DuckDB threads of this process) beside wall seconds: on a shared machine
    // the wall clock measures the neighbours as much as the build.
    log(`${'model'.padEnd(36)}${'seconds'.padStart(9)}${'cpu s'.padStart(9)}${'x scan'.padStart(9)}${'rows'.padStart(14)}`);
    let cpu = process.cpuUsage();
    const cpu0 = cpu;
    const result = await runBuild(wh, {
      asOf: '2024-12-31',
      onModel: (m) => {
        const used = process.cpuUsage(cpu);
        cpu = process.cpuUsage();
        const rows = m.rows === null ? m.materialized : m.rows.toLocaleString('en-US');
        const cpuS = (used.user + used.system) / 1e6;
        log(`${m.name.padEnd(36)}${m.seconds.toFixed(3).padStart(9)}${cpuS.toFixed(3).padStart(9)}${(m.seconds / scanSeconds).toFixed(1).padStart(9)}${rows.padStart(14)}`);
      },
    });
    const total = process.cpuUsage(cpu0);
    log(`full scan of raw_invoices: ${scanSeconds.toFixed(3)} s; build: ${result.seconds.toFixed(2)} s (cpu ${((total.user + total.system) / 1e6).toFixed(1)} s)`);

    const agingAt: BenchBuildResult['agingAt'] = [];
    for (const asOf of ['2021-06-30', '2022-12-31', '2024-03-31']) {
      t0 = performance.now();
      const rows = await wh.scalar<string>(
        `select count(*) from (select * from aging_at($1::date)) where outstanding_reporting is not null`,
        [asOf],
      );
      agingAt.push({ asOf, seconds: seconds(t0), rows: Number(rows) });
      log(`aging_at(${asOf}): ${Number(rows).toLocaleString('en-US')} open items in ${seconds(t0).toFixed(3)} s`);
    }
    return { invoices: opts.invoices, loadSeconds, scanSeconds, buildSeconds: result.seconds, models: result.models, agingAt };
  } finally {
    wh.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchBuild({ invoices: Number(process.argv[2] ?? 1_000_000), db: process.argv[3] });
}

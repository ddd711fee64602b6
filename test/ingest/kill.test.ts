import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ingestFiles } from '../../src/ingest/ingest.ts';
import { tempDir, writeFile } from './helpers.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Counts that describe the warehouse's loaded state. */
async function state(db: string) {
  const wh = await Warehouse.open(db);
  try {
    return await wh.one(
      `select (select count(*) from raw_invoices) invoices, (select count(*) from ingest_batches) batches,
              (select count(*) from ingest_rejects) rejects, (select sum(amount) from raw_invoices) amount`,
    );
  } finally {
    wh.close();
  }
}

describe('a load killed mid-way', () => {
  it('leaves the warehouse exactly as it was (SIGKILL during validation and insert)', async () => {
    const dir = tempDir('cartera-kill-');
    const db = join(dir, 'w.duckdb');
    const small = writeFile(dir, 'first.csv', 'invoice_id,customer_id,invoice_date,amount\nA1,C1,2024-01-02,10.00\nA2,C2,2024-01-03,20.50\n');
    const big = join(dir, 'big.csv');
    const wh = await Warehouse.open(db);
    await wh.run(
      `copy (select 'B' || i as invoice_id, 'C' || (i % 5000) as customer_id, date '2023-01-01' + (i % 700)::int as invoice_date,
                    date '2023-01-31' + (i % 700)::int as due_date, ((i * 7919) % 100000) / 100.0 as amount, 'MXN' as currency
               from range(1500000) t(i)) to '${big}' (header, delimiter ',')`,
    );
    wh.close();

    const run = (file: string, onLoad?: (child: ReturnType<typeof spawn>) => void) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null; sawLoad: boolean }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', file, '--db', db], {
          cwd: ROOT,
          env: { ...process.env, CARTERA_PROGRESS: 'json' },
        });
        let sawLoad = false;
        let buf = '';
        child.stderr.on('data', (d: Buffer) => {
          buf += d.toString();
          if (!sawLoad && buf.includes('"phase":"load"')) {
            sawLoad = true;
            onLoad?.(child);
          }
        });
        child.on('exit', (code, signal) => resolve({ code, signal, sawLoad }));
      });

    expect((await run(small)).code).toBe(0);
    const before = await state(db);
    expect(before).toMatchObject({ invoices: '2', batches: '1' });

    // Kill while the big file is being validated and inserted inside the load's transaction.
    const killed = await run(big, (child) => setTimeout(() => child.kill('SIGKILL'), 400));
    expect(killed.sawLoad).toBe(true);
    expect(killed.signal).toBe('SIGKILL');
    expect(await state(db)).toEqual(before);

    // The warehouse is still healthy: the same file loads completely afterwards.
    expect((await run(big)).code).toBe(0);
    expect(await state(db)).toMatchObject({ invoices: '1500002', batches: '2', rejects: '0' });
  }, 120_000);
});

describe('a load that crashes while its commit writes the database file', () => {
  // A load's commit skips the write-ahead log and checkpoints its rows straight into the file
  // (Warehouse.transaction, bulk). DuckDB's debug_checkpoint_abort stops that checkpoint at a
  // given step, as a crash would, and invalidates the database for the rest of the process.
  const crashAt = async (step: string) => {
    const dir = tempDir('cartera-crash-');
    const db = join(dir, 'w.duckdb');
    const first = writeFile(dir, 'first.csv', 'invoice_id,customer_id,invoice_date,amount\nA1,C1,2024-01-02,10.00\n');
    const second = writeFile(dir, 'second.csv', 'invoice_id,customer_id,invoice_date,amount\nB1,C1,2024-01-03,20.00\nB2,C1,2024-01-04,x\n');
    let wh = await Warehouse.open(db);
    await ingestFiles(wh, [first], { strict: false });
    wh.close();
    const before = await state(db);
    wh = await Warehouse.open(db, { config: { debug_checkpoint_abort: step } });
    const failed = await ingestFiles(wh, [second], { strict: false }).then(
      () => false,
      () => true,
    );
    try {
      wh.close();
    } catch {
      // An invalidated database may refuse to close cleanly, as after a crash.
    }
    return { before, after: await state(db), failed };
  };

  it('leaves the warehouse as it was when the crash comes before the new header is written', async () => {
    const { before, after, failed } = await crashAt('before_header');
    expect(failed).toBe(true);
    expect(before).toMatchObject({ invoices: '1', batches: '1' });
    expect(after).toEqual(before);
  });

  it('keeps the whole load when the crash comes after the header', async () => {
    const { after } = await crashAt('before_truncate');
    expect(after).toEqual({ invoices: '3', batches: '2', rejects: '1', amount: '30.000000' });
  });
});

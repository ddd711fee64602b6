/**
 * A small demo warehouse for tests of the layers above the models (API, dashboards, notebooks):
 * generated exports, ingested, built and scored through the real pipeline. Built once per test run
 * (by the global setup, or lazily when a file runs alone); every call returns a private copy, since
 * DuckDB lets only one process open a file for writing.
 */
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { generateExports } from '../../src/generate/generate.ts';
import { ingestFiles } from '../../src/ingest/ingest.ts';
import { runBuild } from '../../src/models/index.ts';
import { backtest, scoreWarehouse } from '../../src/risk/index.ts';

export const DEMO = { customers: 150, invoices: 6000, seed: 1, end: '2026-10-31', years: 3 } as const;

/** Builds the demo warehouse in `dir` and returns its path. */
export async function buildDemoWarehouse(dir: string): Promise<string> {
  const exportsDir = join(dir, 'exports');
  await generateExports({ ...DEMO, out: exportsDir, dialect: 'all' });
  const db = join(dir, 'demo.duckdb');
  const wh = await Warehouse.open(db);
  try {
    await ingestFiles(wh, [exportsDir], { strict: true });
    await runBuild(wh, {});
    await scoreWarehouse(wh, {});
    await backtest(wh, { trainUntil: '2025-11-01' });
    await wh.run('checkpoint');
  } finally {
    wh.close();
  }
  return db;
}

let built: Promise<string> | undefined;

/** Path to a private copy of the demo warehouse. */
export async function demoWarehouse(): Promise<string> {
  const shared = process.env.CARTERA_TEST_DEMO_DB;
  const source = shared && existsSync(shared) ? shared : await (built ??= buildDemoWarehouse(mkdtempSync(join(tmpdir(), 'cartera-demo-'))));
  const copy = join(mkdtempSync(join(tmpdir(), 'cartera-demo-copy-')), 'demo.duckdb');
  copyFileSync(source, copy);
  return copy;
}

/**
 * A small demo warehouse for tests of the layers above the models (API, dashboards, notebooks):
 * generated exports, ingested, built, scored and published by the real pipeline (`runRefresh`). Built once per test run
 * (by the global setup, or lazily when a file runs alone); every call returns a private copy, since
 * DuckDB lets only one process open a file for writing.
 */
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { generateExports } from '../../src/generate/generate.ts';
import { runRefresh } from '../../src/pipeline/index.ts';
import { backtest } from '../../src/risk/index.ts';

export const DEMO = { customers: 150, invoices: 6000, seed: 1, end: '2026-10-31', years: 3 } as const;

/** Builds the demo warehouse in `dir` and returns its path. */
export async function buildDemoWarehouse(dir: string): Promise<string> {
  const exportsDir = join(dir, 'exports');
  await generateExports({ ...DEMO, out: exportsDir, dialect: 'all' });
  const db = join(dir, 'demo.duckdb');
  const wh = await Warehouse.open(db);
  try {
    await runRefresh(wh, { inbox: [exportsDir], ingest: { strict: true }, trigger: 'test' });
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

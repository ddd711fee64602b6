import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchBuild } from './build.ts';

/** A built warehouse of `n` invoices for the API benchmark, made once by the build benchmark and kept. */
export async function apiWarehouse(n: number, log: (l: string) => void): Promise<{ db: string }> {
  const db = resolve(join(import.meta.dirname, '../../data/bench', `api-${n}.duckdb`));
  if (!existsSync(db)) {
    log(`building a warehouse of ${n.toLocaleString()} invoices for the API benchmark (${db}) ...`);
    await benchBuild({ invoices: n, db, log });
  }
  return { db };
}

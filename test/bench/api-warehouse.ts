import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchBuild } from './build.ts';

/** Where the build benchmark leaves its warehouse of `n` invoices (the API benchmark serves it). */
export const benchWarehousePath = (n: number) => resolve(join(import.meta.dirname, '../../data/bench', `build-${n}.duckdb`));

/** A built warehouse of `n` invoices for the API benchmark: the build benchmark's, or made now. */
export async function apiWarehouse(n: number, log: (l: string) => void): Promise<{ db: string }> {
  const db = benchWarehousePath(n);
  if (!existsSync(db)) {
    log(`building a warehouse of ${n.toLocaleString()} invoices for the API benchmark (${db}) ...`);
    await benchBuild({ invoices: n, db, log });
  }
  return { db };
}

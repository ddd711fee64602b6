import { resolve } from 'node:path';

/** Where the warehouse lives unless `--db` or `CARTERA_DB` says otherwise. */
export const DEFAULT_DB = 'data/warehouse.duckdb';

/**
 * Resolves the warehouse path: explicit flag, then `CARTERA_DB`, then the default. Kept apart
 * from `warehouse.ts` so that finding the path loads no DuckDB (the CLI's start-up).
 */
export function resolveDbPath(flag?: string): string {
  return resolve(flag ?? process.env.CARTERA_DB ?? DEFAULT_DB);
}

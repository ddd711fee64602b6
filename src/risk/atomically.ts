import type { Warehouse } from '../db/warehouse.ts';

/**
 * Runs `fn` in its own transaction, or directly when the caller already holds one open
 * (`inTransaction`): DuckDB does not nest transactions, and a failed BEGIN would abort the
 * caller's, so the caller has to say.
 */
export async function atomically<T>(wh: Warehouse, inTransaction: boolean, fn: () => Promise<T>): Promise<T> {
  return inTransaction ? fn() : wh.transaction(fn);
}

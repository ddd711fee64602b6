import { resolve } from 'node:path';
import type { Warehouse } from './warehouse.ts';

/** Runs work on a warehouse this process already holds open (the server's), one piece at a time. */
export type WarehouseHolder = <T>(fn: (wh: Warehouse) => Promise<T>) => Promise<T>;

const held = new Map<string, WarehouseHolder>();

/**
 * Declares that this process holds the warehouse at `path` (a running server): `withWarehouse`
 * on that path then runs on it through `holder` instead of opening the file a second time.
 * Returns the function that ends the hold. Apart from `warehouse.ts` so that the CLI's socket
 * server loads no DuckDB of its own.
 */
export function holdWarehouse(path: string, holder: WarehouseHolder): () => void {
  const key = resolve(path);
  held.set(key, holder);
  return () => {
    if (held.get(key) === holder) held.delete(key);
  };
}

/** The holder of the warehouse at `path` in this process, if one holds it. */
export function heldWarehouse(path: string): WarehouseHolder | undefined {
  return held.get(resolve(path));
}

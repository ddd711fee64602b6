import { buildMemoryLimit, type Warehouse } from '../db/warehouse.ts';

/**
 * DuckDB settings for the length of a build, each measured at 10M invoices:
 * - memory: half the machine (the 2 GB of `memoryLimit` made every large join spill to disk);
 * - preserve_insertion_order off: a model is a set of rows, read with its own ORDER BY; keeping
 *   the scan order made each large CREATE TABLE wait on one thread (int_invoices_enriched 22 s -> 10 s);
 * - text columns compressed as dictionary + FSST without trying every other scheme first: writing
 *   text was most of a large table's time, and this halves it.
 */
const BUILD_SETTINGS = (): [string, string][] => [
  ['memory_limit', buildMemoryLimit()],
  ['preserve_insertion_order', 'false'],
  ['force_compression', 'dict_fsst'],
];

/** Sets each setting; returns the previous values, to restore with another call. */
export async function applySettings(wh: Warehouse, settings: [string, string][]): Promise<[string, string][]> {
  const previous: [string, string][] = [];
  for (const [name, value] of settings) {
    previous.push([name, String(await wh.scalar(`select current_setting('${name}')`))]);
    await wh.run(`set ${name} = '${value.replace(/'/g, "''")}'`);
  }
  return previous;
}

/**
 * Applies BUILD_SETTINGS for a build and returns the previous values, to restore with
 * `applySettings`. A server locks its configuration (analyst SQL must not change it): a build
 * there runs with the server's settings, and nothing is changed.
 */
export async function applyBuildSettings(wh: Warehouse): Promise<[string, string][]> {
  const locked = await wh.scalar<boolean>(`select current_setting('lock_configuration')`);
  return locked ? [] : applySettings(wh, BUILD_SETTINGS());
}

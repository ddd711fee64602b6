import type { Warehouse } from '../db/warehouse.ts';
import type { ModelFile } from './discover.ts';

/**
 * Creates one model in the build's fresh schema (nothing of its name there yet): a view or
 * table named like the file from its `select`, or runs a macro file as written. Returns the row
 * count (null for macros and views: counting a view would run its whole query once more just to
 * print a number).
 */
export async function materialize(wh: Warehouse, f: ModelFile): Promise<number | null> {
  if (f.materialized === 'macro') {
    await wh.run(f.sql);
    return null;
  }
  try {
    await wh.run(`create ${f.materialized} ${f.name} as\n${f.sql}`);
  } catch (err) {
    throw new Error(`model ${f.name} (${f.path}): ${(err as Error).message}`);
  }
  if (f.materialized === 'view') return null;
  return Number(await wh.scalar<string | number>(`select count(*) from ${f.name}`));
}

import type { Warehouse } from '../db/warehouse.ts';
import type { ModelFile } from './discover.ts';

/**
 * Creates one model in the build's fresh schema (nothing of its name there yet): a view or
 * table named like the file from its `select`, or runs a macro file as written. An ephemeral
 * model becomes a temporary table of this connection, which DuckDB resolves before any schema
 * on the search path; `publishEphemeral` replaces it with a view once the build is done.
 * Returns the row count (null for macros and views: counting a view would run its whole query
 * once more just to print a number).
 */
export async function materialize(wh: Warehouse, f: ModelFile): Promise<number | null> {
  if (f.materialized === 'macro') {
    await wh.run(f.sql);
    return null;
  }
  const create = f.materialized === 'ephemeral' ? `create temp table ${f.name}` : `create ${f.materialized} ${f.name}`;
  try {
    await wh.run(`${create} as\n${f.sql}`);
  } catch (err) {
    throw new Error(`model ${f.name} (${f.path}): ${(err as Error).message}`);
  }
  if (f.materialized === 'view') return null;
  return Number(await wh.scalar<string | number>(`select count(*) from ${f.name}`));
}

/**
 * Replaces the ephemeral models' temporary tables with views of their SQL in `schema`, in build
 * order (a view binds the relations it reads when created, so what it reads must be there first).
 */
export async function publishEphemeral(wh: Warehouse, schema: string, ephemeral: ModelFile[]): Promise<void> {
  await dropEphemeral(wh, ephemeral);
  for (const f of ephemeral) await wh.run(`create view ${schema}.${f.name} as\n${f.sql}`);
}

/** Drops the temporary tables of ephemeral models, if any are left (also after a failed build). */
export async function dropEphemeral(wh: Warehouse, ephemeral: ModelFile[]): Promise<void> {
  for (const f of ephemeral) await wh.run(`drop table if exists temp.main.${f.name}`);
}

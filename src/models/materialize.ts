import type { Warehouse } from '../db/warehouse.ts';
import type { ModelFile } from './discover.ts';

/** Kind of catalog object already called `name`, if any. */
async function existingKind(wh: Warehouse, name: string): Promise<'table' | 'view' | undefined> {
  const row = await wh.one<{ kind: 'table' | 'view' }>(
    `select 'table' as kind from duckdb_tables() where table_name = $1 and schema_name = current_schema() and not temporary
     union all
     select 'view' from duckdb_views() where view_name = $1 and schema_name = current_schema() and not internal`,
    [name],
  );
  return row?.kind;
}

/**
 * Creates one model: a view or table named like the file from its `select`, or runs a macro
 * file as written. Returns the row count (null for macros and views: counting a view would
 * run its whole query once more just to print a number).
 */
export async function materialize(wh: Warehouse, f: ModelFile): Promise<number | null> {
  if (f.materialized === 'macro') {
    await wh.run(f.sql);
    return null;
  }
  // A model may switch between view and table; `create or replace` cannot change the kind.
  const kind = await existingKind(wh, f.name);
  if (kind) await wh.run(`drop ${kind} ${f.name}`);
  try {
    await wh.run(`create ${f.materialized} ${f.name} as\n${f.sql}`);
  } catch (err) {
    throw new Error(`model ${f.name} (${f.path}): ${(err as Error).message}`);
  }
  if (f.materialized === 'view') return null;
  return Number(await wh.scalar<string | number>(`select count(*) from ${f.name}`));
}

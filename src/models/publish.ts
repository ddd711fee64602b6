import type { Warehouse } from '../db/warehouse.ts';
import type { ModelFile } from './discover.ts';

/**
 * Schemas that hold what a publication serves: `cartera_build_<n>` (the models, and the scores
 * and call list made with them) and `cartera_score_<n>` (a re-scoring of a published build).
 * `main` holds only views of them, so one short transaction switches every reader at once.
 */
export const PUBLICATION_SCHEMA = /^cartera_(build|score)_\d+$/;

/** A main view this scheme made: `select * from cartera_<kind>_<n>.<name>`, and the schema it points at. */
const VIEW_TARGET = /^\s*create view (?:main\.)?"?(\w+)"?\s+as\s+select \* from (cartera_(?:build|score)_\d+)\.\w+;?\s*$/i;

/** The schemas the current publication's views point at (none before the first build). */
export async function publishedSchemas(wh: Warehouse): Promise<string[]> {
  await wh.run(`create table if not exists main.published_build (schema_name VARCHAR NOT NULL)`);
  return (await wh.all<{ schema_name: string }>(`select schema_name from main.published_build order by schema_name`)).map((r) => r.schema_name);
}

/**
 * Switches `main` to a new publication; run inside the transaction that also records it.
 * Every table and view of each schema in `from` gets a view in `main` of the same name
 * (`select * from <schema>.<name>`), the `macros` are re-created in `main`, views that pointed at
 * a schema no longer kept are dropped, and then every publication schema but `keep` is dropped,
 * orphans of killed builds included. Readers holding a snapshot from before keep reading the old
 * schemas until their transaction ends (DuckDB's catalog is versioned like its rows).
 */
export async function switchPublication(wh: Warehouse, from: string[], keep: string[], macros: ModelFile[] = []): Promise<void> {
  const replaced = new Set<string>();
  // Builds before this scheme kept tables in main; a view cannot replace a table.
  const tables = new Set(
    (await wh.all<{ name: string }>(`select table_name as name from duckdb_tables() where schema_name = 'main' and not temporary`)).map((t) => t.name),
  );
  for (const schema of from) {
    for (const name of await schemaRelations(wh, schema)) {
      if (tables.has(name)) await wh.run(`drop table main.${name}`);
      await wh.run(`create or replace view main.${name} as select * from ${schema}.${name}`);
      replaced.add(name);
    }
  }
  for (const { name, target } of await publicationViews(wh)) {
    if (!replaced.has(name) && !keep.includes(target)) await wh.run(`drop view main.${name}`);
  }
  for (const f of macros) await wh.run(f.sql);
  await wh.run(`delete from main.published_build`);
  for (const s of keep) await wh.run(`insert into main.published_build values ($1)`, [s]);
  for (const s of await publicationSchemas(wh)) if (!keep.includes(s)) await wh.run(`drop schema ${s} cascade`);
}

/**
 * The published schemas that still serve something once `schema`'s relations are published:
 * those a `main` view points at whose name `schema` does not also have. A publication of part of
 * the models (a records build, a re-scoring) keeps them beside `schema`.
 */
export async function servedBeside(wh: Warehouse, schema: string): Promise<string[]> {
  const own = new Set(await schemaRelations(wh, schema));
  const published = await publishedSchemas(wh);
  const served = new Set((await publicationViews(wh)).filter((v) => !own.has(v.name)).map((v) => v.target));
  return published.filter((s) => served.has(s));
}

/** The tables and views of a schema, by name. */
async function schemaRelations(wh: Warehouse, schema: string): Promise<string[]> {
  const rows = await wh.all<{ name: string }>(
    `select table_name as name from duckdb_tables() where schema_name = $1
     union all select view_name from duckdb_views() where schema_name = $1 and not internal`,
    [schema],
  );
  return rows.map((r) => r.name);
}

/** Views in `main` made by `switchPublication`, with the schema each points at. */
async function publicationViews(wh: Warehouse): Promise<{ name: string; target: string }[]> {
  const views = await wh.all<{ name: string; sql: string }>(`select view_name as name, sql from duckdb_views() where schema_name = 'main' and not internal`);
  return views.flatMap((v) => {
    const m = VIEW_TARGET.exec(v.sql);
    return m ? [{ name: v.name, target: m[2] }] : [];
  });
}

/** Every publication schema in the file, published or not. */
export async function publicationSchemas(wh: Warehouse): Promise<string[]> {
  const all = await wh.all<{ schema_name: string }>(`select schema_name from duckdb_schemas() where schema_name like 'cartera\\_%' escape '\\'`);
  return all.map((s) => s.schema_name).filter((s) => PUBLICATION_SCHEMA.test(s));
}

/**
 * Drops schemas left by killed or failed builds and scorings (every publication schema that the
 * current publication does not point at), in a transaction of their own.
 */
export async function dropOrphanSchemas(wh: Warehouse): Promise<string[]> {
  const keep = await publishedSchemas(wh);
  const orphans = (await publicationSchemas(wh)).filter((s) => !keep.includes(s));
  if (orphans.length) await wh.transaction(async () => {
    for (const s of orphans) await wh.run(`drop schema ${s} cascade`);
  });
  return orphans;
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { discoverModels, orderModels, type ModelFile } from '../models/index.ts';
import { referencedNames } from '../models/dependencies.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { ANALYST_MACRO_FILES, ANALYST_RELATIONS } from './analyst-relations.ts';

/** The alias the copy is attached under, only for the time of the copy. */
const ALIAS = 'analyst_copy';

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Copies what analysts may read of the current publication into a new database file `file`:
 * every analyst relation as a table, what the aging macros read, and the macros themselves.
 * Runs on a connection of its own in one transaction, so the copy is one publication even when
 * a refresh publishes meanwhile. Returns the id of the publication copied (null before any build).
 *
 * Nothing else reaches the file: no raw or staging table, no keys, sessions or audit log.
 */
export async function copyPublication(wh: Warehouse, file: string): Promise<string | null> {
  const conn = await wh.instance.connect();
  try {
    const home = String((await conn.runAndReadAll('select current_database()')).getRowsJson()[0][0]);
    // The path is the server's own (never a user's); ATTACH takes no bound parameters.
    await conn.run(`attach '${file.replace(/'/g, "''")}' as ${ALIAS}`);
    try {
      return await copyInTransaction(conn, home);
    } finally {
      await conn.run(`use ${quoteIdent(home)}`).catch(() => {});
      await conn.run(`detach ${ALIAS}`);
    }
  } finally {
    conn.closeSync();
  }
}

/** The aging macros' files, in the order they must be created. */
const analystMacros = (): ModelFile[] =>
  orderModels(discoverModels().filter((f) => f.layer === 'macros' && (ANALYST_MACRO_FILES as readonly string[]).includes(f.name)));

async function copyInTransaction(conn: DuckDBConnection, home: string): Promise<string | null> {
  await conn.run('begin transaction');
  try {
    const macros = analystMacros();
    const names = await relationsToCopy(conn, home, macros);
    for (const name of names) {
      await conn.run(`create table ${ALIAS}.main.${quoteIdent(name)} as select * from ${quoteIdent(home)}.main.${quoteIdent(name)}`);
    }
    const buildId = names.includes('builds')
      ? ((await conn.runAndReadAll(`select max(build_id)::varchar from ${quoteIdent(home)}.main.builds`)).getRowsJson()[0][0] as string | null)
      : null;
    if (names.includes('build_options')) {
      // The macros name their inputs unqualified: they are created with the copy as the default catalog.
      await conn.run(`use ${ALIAS}`);
      for (const m of macros) await conn.run(m.sql);
      await conn.run(`use ${quoteIdent(home)}`);
    }
    await conn.run('commit');
    return buildId;
  } catch (err) {
    await conn.run('rollback').catch(() => {});
    throw err;
  }
}

/** The analyst relations of the current publication, and whatever the aging macros read. */
async function relationsToCopy(conn: DuckDBConnection, home: string, macros: ModelFile[]): Promise<string[]> {
  const r = await conn.runAndReadAll(
    `select name, ${ANALYST_RELATIONS} as analysts from (
       select table_name as name from duckdb_tables() where database_name = $1 and schema_name = 'main' and not temporary
       union select view_name from duckdb_views() where database_name = $1 and schema_name = 'main' and not internal
     )
     order by name`,
    [home],
  );
  const rows = r.getRowObjectsJson() as { name: string; analysts: boolean }[];
  const macroInputs = new Set<string>();
  for (const m of macros) for (const n of referencedNames(m.sql, new Set(rows.map((x) => x.name)))) macroInputs.add(n);
  return rows.filter((x) => x.analysts || macroInputs.has(x.name)).map((x) => x.name);
}

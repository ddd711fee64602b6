import type { Warehouse } from '../db/warehouse.ts';
import { ENTITIES, ENTITY_NAMES, INGEST_DDL, SQL_TYPE, rawTableDdl } from './entities.ts';

/** Creates every raw table and the ingestion bookkeeping tables if they do not exist. */
export async function ensureRawSchema(wh: Warehouse): Promise<void> {
  for (const ddl of INGEST_DDL) await wh.run(ddl);
  for (const name of ENTITY_NAMES) await wh.run(rawTableDdl(ENTITIES[name]));
  // Warehouses from before rejected rows were kept (flagged) in the raw tables held none.
  const old = await wh.all<{ table_name: string }>(
    `select table_name from duckdb_tables() t
      where not temporary and table_name in (${ENTITY_NAMES.map((n) => `'raw_${n}'`).join(', ')})
        and not exists (select 1 from duckdb_columns() c where c.table_oid = t.table_oid and c.column_name = 'rejected')`,
  );
  for (const { table_name } of old) await wh.run(`alter table ${table_name} add column rejected BOOLEAN DEFAULT false`);
  // Warehouses from before raw money kept its exported decimals held it as cents: widening loses nothing.
  const money = ENTITY_NAMES.flatMap((n) => ENTITIES[n].fields.filter((f) => f.type === 'money').map((f) => [`raw_${n}`, f.name] as const));
  const narrow = await wh.all<{ table_name: string; column_name: string }>(
    `select table_name, column_name from duckdb_columns()
      where database_name = current_database() and schema_name = 'main' and data_type <> $1 and (table_name, column_name) in (${money.map(([t, c]) => `('${t}', '${c}')`).join(', ')})`,
    [SQL_TYPE.money],
  );
  for (const { table_name, column_name } of narrow) await wh.run(`alter table ${table_name} alter column ${column_name} set data type ${SQL_TYPE.money}`);
}

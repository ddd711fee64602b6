import type { Warehouse } from '../db/warehouse.ts';
import { ENTITIES, ENTITY_NAMES, INGEST_DDL, rawTableDdl } from './entities.ts';

/** Creates every raw table and the ingestion bookkeeping tables if they do not exist. */
export async function ensureRawSchema(wh: Warehouse): Promise<void> {
  for (const ddl of INGEST_DDL) await wh.run(ddl);
  for (const name of ENTITY_NAMES) await wh.run(rawTableDdl(ENTITIES[name]));
}

import type { Warehouse } from '../db/warehouse.ts';

/**
 * The batch each of these file hashes was loaded in, for those loaded before: a file of its own
 * (ingest_batches) or one of the files a batch gathered (ingest_files). One query for many files:
 * a load of 100,000 CFDIs asks once per thousand, not once per file.
 */
export async function loadedBefore(wh: Warehouse, shas: string[]): Promise<Map<string, string>> {
  if (!shas.length) return new Map();
  const rows = await wh.all<{ sha256: string; batch_id: string }>(
    `with wanted as (select unnest(from_json($1::json, '["VARCHAR"]')) as sha256)
     select sha256, min(batch_id)::varchar as batch_id from (
       select sha256, batch_id from ingest_batches where finished is not null
       union all
       select sha256, batch_id from ingest_files
     ) where sha256 in (select sha256 from wanted) group by sha256`,
    [JSON.stringify(shas)],
  );
  return new Map(rows.map((r) => [r.sha256, r.batch_id]));
}

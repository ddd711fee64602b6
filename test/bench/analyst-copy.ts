/**
 * `npm run bench -- analyst [size]`: how long the server takes to copy a publication into the
 * analysts' own database (what the first analyst query after a refresh may wait for), beside
 * DuckDB reading the same relations once (the floor: the copy reads them, then writes them).
 */
import { rmSync, statSync } from 'node:fs';
import { Warehouse } from '../../src/db/warehouse.ts';
import { copyPublication } from '../../src/api/analyst-copy.ts';
import { ANALYST_RELATIONS } from '../../src/api/analyst-relations.ts';

export async function benchAnalystCopy(o: { db: string; log: (l: string) => void }): Promise<void> {
  const wh = await Warehouse.open(o.db);
  const file = `${o.db}.bench-analyst.duckdb`;
  try {
    const names = (
      await wh.all<{ name: string }>(
        `select name from (select view_name as name from duckdb_views() where schema_name = 'main' and not internal
                           union select table_name from duckdb_tables() where schema_name = 'main')
         where ${ANALYST_RELATIONS} or name in ('build_options', 'int_open_item_intervals', 'int_customers_resolved')`,
      )
    ).map((r) => r.name);
    let t0 = performance.now();
    for (const name of names) await wh.run(`select count(*), sum(hash(columns(*))) from main.${name}`);
    const read = (performance.now() - t0) / 1000;
    rmSync(file, { force: true });
    t0 = performance.now();
    const id = await copyPublication(wh, file);
    const copy = (performance.now() - t0) / 1000;
    o.log(`relations: ${names.length}; publication ${id}`);
    o.log(`DuckDB reading every relation once: ${read.toFixed(2)} s`);
    o.log(`copy into the analysts' database:     ${copy.toFixed(2)} s (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`);
  } finally {
    wh.close();
    rmSync(file, { force: true });
  }
}

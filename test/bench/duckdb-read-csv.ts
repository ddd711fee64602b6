/**
 * The benchmark's baselines: DuckDB alone reading a CSV into a table. Prints the seconds the
 * statement took (in-process, no start-up), so the comparison with `cartera ingest` is strict, and
 * the CPU seconds it used (all of DuckDB's threads).
 *
 *   plain   `create table ... as select * from read_csv(file)`: DuckDB's own detection and types.
 *   shaped  the same rows into an empty `raw_invoices` (the warehouse's table: every canonical
 *           column, money as DECIMAL, batch and line), each column typed by the reader, nothing
 *           converted or checked: how fast the table Cartera loads can be filled at all.
 *
 * Usage: node --import tsx test/bench/duckdb-read-csv.ts DB CSV [plain|shaped]
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { memoryLimit } from '../../src/db/warehouse.ts';
import { ENTITIES, SQL_TYPE, rawTableDdl } from '../../src/canonical/entities.ts';

const [db, csv, mode = 'plain'] = process.argv.slice(2);
const inst = await DuckDBInstance.create(db, { memory_limit: memoryLimit() });
const conn = await inst.connect();
const file = `'${csv.replace(/'/g, "''")}'`;
let sql = `create table invoices as select * from read_csv(${file})`;
if (mode === 'shaped') {
  await conn.run(rawTableDdl(ENTITIES.invoices));
  const header = (await conn.runAndReadAll(`select * from read_csv(${file}, all_varchar = true) limit 0`)).columnNames();
  const types = Object.fromEntries(ENTITIES.invoices.fields.map((f) => [f.name, SQL_TYPE[f.type]]));
  const columns = header.map((h) => `'${h}': '${types[h] ?? 'VARCHAR'}'`).join(', ');
  sql = `insert into raw_invoices by name
         select *, 1 as batch_id, 0 as source_line from read_csv(${file}, header = true, auto_detect = false, columns = {${columns}})`;
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await conn.run(sql);
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(3)} ${((cpu.user + cpu.system) / 1e6).toFixed(3)}\n`);

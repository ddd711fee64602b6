/**
 * The benchmark's baseline: DuckDB alone reading a CSV into a table. Prints the seconds the
 * statement took (in-process, no start-up), so the comparison with `cartera ingest` is strict.
 * Usage: node --import tsx test/bench/duckdb-read-csv.ts DB CSV
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { memoryLimit } from '../../src/db/warehouse.ts';

const [db, csv] = process.argv.slice(2);
const inst = await DuckDBInstance.create(db, { memory_limit: memoryLimit() });
const conn = await inst.connect();
const t0 = performance.now();
await conn.run(`create table invoices as select * from read_csv('${csv.replace(/'/g, "''")}')`);
process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(3)}\n`);

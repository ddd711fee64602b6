import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Writes FX rates (canonical CSV text, header included) as Parquet through an in-memory DuckDB,
 * with the column types the warehouse uses: rate_date DATE, currency VARCHAR, rate DECIMAL(18,8),
 * base_currency VARCHAR. One thread, ordered rows: the same input gives the same bytes.
 */
export async function writeFxParquet(path: string, csv: string): Promise<number> {
  // COPY ... TO takes no bound parameters, so it writes into a folder of our own naming and the
  // file is then copied to the user's path: no user text ever enters the SQL.
  const work = mkdtempSync(join(tmpdir(), 'cartera-fx-'));
  try {
    const csvPath = join(work, 'fx.csv');
    const parquetPath = join(work, 'fx.parquet');
    writeFileSync(csvPath, csv);
    const db = await DuckDBInstance.create(':memory:', { threads: '1' });
    const conn = await db.connect();
    try {
      await conn.run(
        `create table fx as select * from read_csv($1, header = true, columns = {
           'rate_date': 'DATE', 'currency': 'VARCHAR', 'rate': 'DECIMAL(18,8)', 'base_currency': 'VARCHAR'})`,
        [csvPath],
      );
      await conn.run(`copy (select * from fx order by rate_date, currency) to '${parquetPath.replace(/'/g, "''")}' (format parquet)`);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
    copyFileSync(parquetPath, path);
    return statSync(path).size;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

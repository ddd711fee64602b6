import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../db/warehouse.ts';
import { toParquet } from '../db/writers.ts';

/**
 * Writes FX rates (canonical CSV text, header included) as Parquet with the column types the
 * warehouse uses: rate_date DATE, currency VARCHAR, rate DECIMAL(18,8), base_currency VARCHAR.
 */
export async function writeFxParquet(path: string, csv: string): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'cartera-fx-'));
  const wh = await Warehouse.open(':memory:');
  try {
    const csvPath = join(work, 'fx.csv');
    writeFileSync(csvPath, csv);
    const rates = await wh.result(
      `select * from read_csv($1, header = true, columns = {
         'rate_date': 'DATE', 'currency': 'VARCHAR', 'rate': 'DECIMAL(18,8)', 'base_currency': 'VARCHAR'})
       order by rate_date, currency`,
      [csvPath],
    );
    writeFileSync(path, await toParquet(rates));
    return statSync(path).size;
  } finally {
    wh.close();
    rmSync(work, { recursive: true, force: true });
  }
}

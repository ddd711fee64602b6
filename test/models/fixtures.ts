import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ensureRawSchema } from '../../src/canonical/raw-schema.ts';

/** A fresh warehouse file in its own temp dir with the raw tables; `close` removes both. */
export async function tempWarehouse(): Promise<{ wh: Warehouse; dir: string; close: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-models-'));
  const wh = await Warehouse.open(join(dir, 'wh.duckdb'));
  await ensureRawSchema(wh);
  return {
    wh,
    dir,
    close: () => {
      wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Value = string | number | boolean | null;

/**
 * Inserts rows into `raw_<entity>` naming only the columns given; batch_id defaults to 1 and
 * source_line to the row's position, as ingestion would set them.
 */
export async function insertRaw(wh: Warehouse, entity: string, rows: Record<string, Value>[], batchId = 1): Promise<void> {
  let line = 2;
  for (const row of rows) {
    const full = { batch_id: batchId, source_line: line++, ...row };
    const cols = Object.keys(full);
    const params = cols.map((_, i) => `$${i + 1}`).join(', ');
    await wh.run(`insert into raw_${entity} (${cols.join(', ')}) values (${params})`, Object.values(full) as never);
  }
}

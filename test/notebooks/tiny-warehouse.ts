import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withWarehouse } from '../../src/db/warehouse.ts';

/**
 * A hand-made warehouse with one small mart, enough to exercise the runner: three segments over
 * three months, money as DECIMAL like the real marts. Returns its path and a cleanup.
 */
export async function tinyWarehouse(): Promise<{ dir: string; db: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-nb-'));
  const db = join(dir, 'warehouse.duckdb');
  await withWarehouse(db, async (wh) => {
    await wh.run(`
      create table kpi_monthly_by_segment as
      select month::date as month, segment, ar_end::decimal(18,2) as ar_end, overdue_pct::decimal(9,2) as overdue_pct
      from (values
        ('2024-01-01', 'corporativo', 120000.50, 10.5), ('2024-02-01', 'corporativo', 125000.00, 12.0),
        ('2024-03-01', 'corporativo', 130000.25, 11.0), ('2024-01-01', 'pyme', 40000.00, 20.0),
        ('2024-02-01', 'pyme', 42000.00, 22.5), ('2024-03-01', 'pyme', 39000.75, 25.0),
        ('2024-01-01', 'gobierno', 80000.00, 30.0), ('2024-02-01', 'gobierno', 81000.00, 31.0),
        ('2024-03-01', 'gobierno', 82000.00, 29.5)
      ) t(month, segment, ar_end, overdue_pct);
      create table canary (id integer);
      insert into canary values (1);
    `);
  }, { create: true });
  return { dir, db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

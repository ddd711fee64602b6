import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { demoWarehouse } from '../support/demo-warehouse.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('cartera build', () => {
  it('re-scores the open invoices with the stored model after each build', async () => {
    const db = await demoWarehouse();
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'build', '--db', db, '--as-of', '2026-06-30'], { cwd: ROOT, stdio: 'pipe' });
    const wh = await Warehouse.open(db);
    try {
      // Scores now exist for the new build's date (earlier dates' scores are kept) and cover its open invoices.
      const scored = Number(await wh.scalar(`select count(*) from risk_scores where as_of = '2026-06-30'`));
      expect(scored).toBeGreaterThan(0);
      // Every open document that is not written off (those are not chased) is scored.
      const open = Number(
        await wh.scalar(`select count(*) from fct_invoices where outstanding > 0 and document_type <> 'credit_note' and status <> 'written_off'`),
      );
      expect(scored).toBe(open);
      expect(await wh.scalar(`select count(*) from risk_models`)).toBe('1');
    } finally {
      wh.close();
    }
  });
});

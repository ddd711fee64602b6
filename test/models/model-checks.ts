import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { SQL_ROOT } from '../../src/models/index.ts';

/**
 * The names of the reconciliation checks kept next to `models` (their `.yml`, as assertions.test.ts runs
 * them on the mixed fixture) that fail on this warehouse, with a failing row each: none = all hold.
 *
 * @example expect(await failingChecks(wh, ['marts/ar_aging'])).toEqual([])
 */
export async function failingChecks(wh: Warehouse, models: string[]): Promise<string[]> {
  const failed: string[] = [];
  for (const model of models) {
    const spec = parse(readFileSync(join(SQL_ROOT, `${model}.yml`), 'utf8')) as { checks?: { name: string; failing_rows: string }[] };
    for (const check of spec.checks ?? []) {
      const rows = await wh.all(`select * from (${check.failing_rows}) limit 1`);
      if (rows.length) failed.push(`${model}: ${check.name}: ${JSON.stringify(rows[0])}`);
    }
  }
  return failed;
}

/** The checks that bear on balances, buckets and settlement dates. */
export const BALANCE_MODELS = [
  'intermediate/int_ar_movements',
  'intermediate/int_open_item_intervals',
  'marts/fct_invoices',
  'marts/fct_payments',
  'marts/ar_aging',
  'marts/kpi_monthly',
  'marts/dim_customers',
];

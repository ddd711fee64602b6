import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { ingestFiles } from '../../src/ingest/ingest.ts';
import { runBuild } from '../../src/models/index.ts';
import { tempWarehouse } from './fixtures.ts';

const IBM = resolve(fileURLToPath(import.meta.url), '../../fixtures/ibm_accounts_receivable.csv');

// The real IBM sample: invoices only, every one settled; its DaysToSettle and DaysLate are the truth.
let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await ingestFiles(wh, [IBM], { strict: false, dbPath: `${t.dir}/wh.duckdb` });
  await runBuild(wh);
});
afterAll(() => close());

describe('the IBM accounts-receivable export', () => {
  it("keeps every attribute in dim_attributes: its country dated, the unmapped PaperlessBill and the Disputed flag undated", async () => {
    const rows = await wh.all<{ attribute: string; dated: boolean; n: number; v: string }>(
      `select attribute, dated, count(*)::integer as n, string_agg(distinct value, ',' order by value) as v
       from dim_attributes where attribute <> 'PaperlessDate' group by all order by attribute`,
    );
    // The file: 502 invoices disputed ('Yes'), PaperlessBill 'Paper' or 'Electronic' on every row, five country codes.
    const expected = await wh.all<{ disputed: number; paper: number; countries: string }>(
      `select count(*) filter (where Disputed = 'Yes')::integer as disputed, count(PaperlessBill)::integer as paper,
         string_agg(distinct countryCode::varchar, ',' order by countryCode::varchar) as countries
       from read_csv($1, header = true)`,
      [IBM],
    );
    expect(rows).toEqual([
      { attribute: 'PaperlessBill', dated: false, n: expected[0].paper, v: 'Electronic,Paper' },
      { attribute: 'country', dated: true, n: 2466, v: expected[0].countries },
      { attribute: 'disputed', dated: false, n: expected[0].disputed, v: 'true' },
    ]);
  });

  it('gives every invoice the export own days to settle and days late', async () => {
    const rows = await wh.all<{ n: number; matched: number; days_to_pay_off: number; days_late_off: number }>(
      `with expected as (
         select invoiceNumber::varchar as invoice_id, DaysToSettle as days_to_settle, DaysLate as days_late
         from read_csv($1, header = true, all_varchar = false, types = {'invoiceNumber': 'VARCHAR'})
       )
       select
         count(*)::integer as n,
         count(fct_invoices.invoice_id)::integer as matched,
         count(*) filter (where fct_invoices.days_to_pay is distinct from expected.days_to_settle)::integer as days_to_pay_off,
         count(*) filter (where fct_invoices.days_late is distinct from expected.days_late)::integer as days_late_off
       from expected
       left join fct_invoices on fct_invoices.invoice_id = expected.invoice_id`,
      [IBM],
    );
    expect(rows[0]).toEqual({ n: 2466, matched: 2466, days_to_pay_off: 0, days_late_off: 0 });
  });

  it('settles everything: nothing open, collections equal sales', async () => {
    expect(await wh.scalar('select count(*)::integer from ar_aging')).toBe(0);
    const totals = await wh.one<{ sales: string; collections: string }>(
      'select sum(credit_sales)::varchar as sales, sum(collections)::varchar as collections from kpi_monthly',
    );
    expect(totals?.sales).toBe(totals?.collections);
  });
});

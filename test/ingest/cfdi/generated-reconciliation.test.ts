// The demo written as canonical CSV (the ERP) and as CFDIs, same seed, loaded into one warehouse: the same ledger twice, so
// agg_cfdi_reconciliation must pair every invoice and debit note by Serie+Folio (the CSV carries no UUID) with nothing on one
// side only and no difference in amount, currency, date, status or customer: a customer abroad is the generic RFC with its
// country and tax id abroad (NumRegIdTrib) on the CFDIs, and its tax id in the ERP's customers export.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/db/warehouse.ts';
import { generateExports } from '../../../src/generate/generate.ts';
import { runBuild } from '../../../src/models/index.ts';
import { failingChecks } from '../../models/model-checks.ts';
import { ingestInto, tempDir } from '../helpers.ts';

// generated-cfdi.test.ts's demo: it writes a debit note (ND-...), an Ingreso CFDI as every invoice is, and foreign customers.
const OPTIONS = { customers: 8, invoices: 120, seed: 1, end: '2025-06-30', years: 1 } as const;
let wh: Warehouse;
/** The same ERP export alone: the receivables the warehouse with both must equal. */
let erpOnly: Warehouse;

beforeAll(async () => {
  const dir = tempDir('cartera-gen-reconcile-');
  for (const dialect of ['canonical', 'cfdi'] as const) await generateExports({ ...OPTIONS, out: join(dir, dialect), dialect });
  // The CFDI folder's own fx_rates.csv is the same as the CSV's: one copy is enough.
  ({ wh } = await ingestInto(dir, [join(dir, 'canonical'), join(dir, 'cfdi', 'cfdi')], { strict: true }));
  await runBuild(wh, { asOf: OPTIONS.end });
  ({ wh: erpOnly } = await ingestInto(tempDir('cartera-gen-erp-'), [join(dir, 'canonical')], { strict: true }));
  await runBuild(erpOnly, { asOf: OPTIONS.end });
}, 300_000);

describe('the demo as the ERP and as CFDIs, in one warehouse', () => {
  it('pairs every document by Serie+Folio, with no difference, customers abroad included', async () => {
    const documents = await wh.all<{ n: number; debit_notes: number }>(
      `select count(*)::int n, count(*) filter (where invoice_id like 'ND-%')::int debit_notes from stg_erp_invoices where invoice_date <= '${OPTIONS.end}'`,
    );
    expect(documents[0].n).toBeGreaterThan(50);
    expect(documents[0].debit_notes).toBeGreaterThan(0);
    expect(await wh.all(`select finding, count(*)::int n from agg_cfdi_reconciliation group by all`)).toEqual([]);
    // Customers abroad are among those paired: invoices to the generic RFC, each under its own country and tax id.
    const abroad = await wh.all<{ country: string }>(
      `select distinct c.country from stg_erp_invoices e join stg_customers c using (customer_id) where c.country <> 'MX'`,
    );
    expect(abroad.length).toBeGreaterThan(1);
    expect(await wh.scalar(`select count(distinct customer_id) from stg_cfdi_invoices where customer_id like 'XEXX010101000-%'`)).toBe(
      await wh.scalar(`select count(distinct e.customer_id) from stg_erp_invoices e join stg_customers c using (customer_id) where c.country <> 'MX'`),
    );
    expect(await failingChecks(wh, ['marts/agg_cfdi_reconciliation'])).toEqual([]);
  });

  it('counts each receivable once: with an ERP export loaded, the CFDIs check it and do not add to it', async () => {
    const ledger = (w: Warehouse) =>
      w.all(
        `select (select count(*)::int from fct_invoices) invoices, (select sum(outstanding)::varchar from fct_invoices) open,
                (select count(*)::int from fct_payments) payments, (select sum(amount)::varchar from fct_payments) paid,
                (select count(*)::int from dim_customers) customers, (select sum(outstanding_reporting)::varchar from ar_aging) aged`,
      );
    expect(await ledger(wh)).toEqual(await ledger(erpOnly));
  });
});

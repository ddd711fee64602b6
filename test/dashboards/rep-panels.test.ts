// The CFO page's REP panels on a warehouse built from CFDIs (a real stamped invoice and its real payment complement from
// test/fixtures/cfdi, re-dated late, plus two hand-made PPD invoices an ERP payments export shows paid), through the real API,
// at the publication's as-of and at the page's earlier as-of dates.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiContext } from '../../src/api/context.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { createApp } from '../../src/web/app.ts';
import { ingestInto, tempDir, writeFile } from '../ingest/helpers.ts';
import { ingreso } from '../ingest/cfdi/handmade.ts';
import { createKeys, type RoleKeys } from '../support/keys.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/cfdi');
const HE = 'H&amp;E951128469';
const KIJ = { Rfc: 'KIJ0906199R1', Nombre: 'KIJ, S.A DE C.V.' };
const PAID_BY_ERP = 'CCCCCCCC-0000-4000-8000-000000000001';
const PAID_LATER = 'CCCCCCCC-0000-4000-8000-000000000002';

let wh: Warehouse;
let api: ApiContext;
let app: ReturnType<typeof createApp>;
let keys: RoleKeys;

beforeAll(async () => {
  const dir = tempDir('cartera-rep-panels-');
  // 6D7434A6: PPD, 17852.75, paid in full on 2020-01-02 by complement 5B64ADA3, here re-dated as issued on 2020-02-06 (deadline 2020-02-05).
  copyFileSync(join(FIXTURES, 'cfdi40_I_PPD_MXN_satcfdi_HE951128469_iva16_stamped.xml'), join(dir, 'factura.xml'));
  const pago = readFileSync(join(FIXTURES, 'cfdi40_P_pago20_satcfdi_pays_HE951128469_iva16.xml'), 'utf8');
  writeFile(dir, 'pago_tardio.xml', pago.replace('Fecha="2020-01-01T22:40:38"', 'Fecha="2020-02-06T10:00:00"'));
  // A PPD invoice of 5000.00 the ERP shows 1200.00 paid on 2020-01-20, with no complement: deadline 2020-02-05, 25 days past on 2020-03-01.
  writeFile(dir, 'ppd.xml', ingreso({ uuid: PAID_BY_ERP, emisor: HE, receptor: KIJ, fecha: '2020-01-10', total: '5000.00', serie: 'B', folio: '7' }));
  // A PPD invoice of 3000.00 the ERP shows paid in full on 2020-02-10, with no complement: deadline 2020-03-05, not late on 2020-03-01.
  writeFile(dir, 'ppd_later.xml', ingreso({ uuid: PAID_LATER, emisor: HE, receptor: KIJ, fecha: '2020-01-15', total: '3000.00', serie: 'B', folio: '8' }));
  writeFile(
    dir,
    'pagos_erp.csv',
    `payment_id,customer_id,invoice_id,payment_date,amount,currency\nP-1,KIJ0906199R1,${PAID_BY_ERP},2020-01-20,1200.00,MXN\nP-2,KIJ0906199R1,${PAID_LATER},2020-02-10,3000.00,MXN\n`,
  );
  ({ wh } = await ingestInto(dir, [dir], { cfdi: { rfc: 'H&E951128469', terms: 30 } }));
  await runBuild(wh, { asOf: '2020-03-01' });
  keys = await createKeys(wh, 'nobody');
  api = await ApiContext.create(wh, { uploadDir: join(dir, 'uploads') });
  app = createApp(api);
});
afterAll(async () => {
  await api?.close();
  wh?.close();
});

async function panel(id: string, query = ''): Promise<Record<string, unknown>[]> {
  const r = await app.request(`/api/dashboards/cfo/panels/${id}?${query}`, { headers: { Authorization: `Bearer ${keys.cfo}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { rows: Record<string, unknown>[] }).rows;
}

describe("the CFO page's REP panels", () => {
  it('list the PPD invoices paid without a complement, as agg_cfdi_rep_compliance has them', async () => {
    const rows = await panel('rep_paid_without_complement');
    expect(rows).toEqual([
      { invoice_id: PAID_BY_ERP, cfdi_uuid: PAID_BY_ERP, customer_id: 'KIJ0906199R1', customer_name: 'KIJ, S.A DE C.V.', currency: 'MXN', payment_date: '2020-01-20', deadline: '2020-02-05', days_late: 25, amount: 1200 },
      { invoice_id: PAID_LATER, cfdi_uuid: PAID_LATER, customer_id: 'KIJ0906199R1', customer_name: 'KIJ, S.A DE C.V.', currency: 'MXN', payment_date: '2020-02-10', deadline: '2020-03-05', days_late: 0, amount: 3000 },
    ]);
    const mart = await wh.all<{ invoice_id: string; amount: string }>(
      `select invoice_id, amount::varchar amount from agg_cfdi_rep_compliance where finding = 'paid_without_complement' order by invoice_id`,
    );
    expect(mart).toEqual([{ invoice_id: PAID_BY_ERP, amount: '1200.00' }, { invoice_id: PAID_LATER, amount: '3000.00' }]);
  });

  it("list them as of the page's as-of: cash dated and complements issued after it do not count, days late count to it", async () => {
    // 2020-01-31: 6D7434A6's cash of 2020-01-02 is in, its complement (issued 2020-02-06) is not: paid without a complement,
    // not late yet (deadline 2020-02-05); PAID_LATER's cash of 2020-02-10 is not in: not listed.
    expect(await panel('rep_paid_without_complement', 'as_of=2020-01-31')).toEqual([
      { invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', cfdi_uuid: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', customer_id: 'KIJ0906199R1', customer_name: 'KIJ, S.A DE C.V.', currency: 'MXN', payment_date: '2020-01-02', deadline: '2020-02-05', days_late: 0, amount: 17852.75 },
      { invoice_id: PAID_BY_ERP, cfdi_uuid: PAID_BY_ERP, customer_id: 'KIJ0906199R1', customer_name: 'KIJ, S.A DE C.V.', currency: 'MXN', payment_date: '2020-01-20', deadline: '2020-02-05', days_late: 0, amount: 1200 },
    ]);
    expect(await panel('rep_late_complements', 'as_of=2020-01-31')).toEqual([]);
    // 2020-02-29: PAID_BY_ERP is 2020-02-29 - 2020-02-05 = 24 days late; the complement issued 2020-02-06 is late by 1.
    expect(await panel('rep_paid_without_complement', 'as_of=2020-02-29')).toEqual([
      { invoice_id: PAID_BY_ERP, cfdi_uuid: PAID_BY_ERP, customer_id: 'KIJ0906199R1', customer_name: 'KIJ, S.A DE C.V.', currency: 'MXN', payment_date: '2020-01-20', deadline: '2020-02-05', days_late: 24, amount: 1200 },
      { invoice_id: PAID_LATER, cfdi_uuid: PAID_LATER, customer_id: 'KIJ0906199R1', customer_name: 'KIJ, S.A DE C.V.', currency: 'MXN', payment_date: '2020-02-10', deadline: '2020-03-05', days_late: 0, amount: 3000 },
    ]);
    expect((await panel('rep_late_complements', 'as_of=2020-02-29')).map((r) => [r.complement_uuid, r.days_late])).toEqual([['5B64ADA3-AA4C-40B4-A2F5-572CED52BE31', 1]]);
  });

  it('list the complements issued after the 5th of the month after the payment', async () => {
    expect(await panel('rep_late_complements')).toEqual([
      { complement_uuid: '5B64ADA3-AA4C-40B4-A2F5-572CED52BE31', invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', cfdi_uuid: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', customer_id: 'KIJ0906199R1', customer_name: 'KIJ, S.A DE C.V.',
        currency: 'MXN', payment_date: '2020-01-02', deadline: '2020-02-05', complement_issued_date: '2020-02-06', days_late: 1, amount: 17852.75 },
    ]);
    const mart = await wh.all(`select complement_uuid, invoice_id from agg_cfdi_rep_compliance where finding = 'late_complement'`);
    expect(mart).toEqual([{ complement_uuid: '5B64ADA3-AA4C-40B4-A2F5-572CED52BE31', invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0' }]);
  });
});

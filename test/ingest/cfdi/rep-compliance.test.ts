// agg_cfdi_rep_compliance through the real ingest and build; every figure worked out by hand below.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuild } from '../../../src/models/index.ts';
import { tempWarehouse } from '../../models/fixtures.ts';
import { loadCfdiComplianceCases, MIXED_AS_OF } from '../../models/mixed-fixture.ts';
import { failingChecks } from '../../models/model-checks.ts';
import { ingestInto, tempDir, writeFile } from '../helpers.ts';
import { ingreso, pago } from './handmade.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/cfdi');
const COLUMNS_OF = (relation: string) => `select finding, invoice_id, complement_uuid, payment_date::varchar payment_date, deadline::varchar deadline,
                        complement_issued_date::varchar issued, days_late, amount::varchar amount from ${relation} order by finding, invoice_id`;
const COLUMNS = COLUMNS_OF('agg_cfdi_rep_compliance');
/** rep_compliance_at at a date, on the warehouse as built. */
const AT = (asOf: string) => COLUMNS_OF(`rep_compliance_at('${asOf}')`);

describe('agg_cfdi_rep_compliance', () => {
  it('lists a complement issued after the 5th of the month after its payment, and before it is issued, the payment as uncomplemented', async () => {
    const dir = tempDir('cartera-rep-');
    copyFileSync(join(FIXTURES, 'cfdi40_I_PPD_MXN_satcfdi_HE951128469_iva16_stamped.xml'), join(dir, 'factura.xml'));
    // The real complement pays 6D7434A6 in full on 2020-01-02 (FechaPago); here re-dated as issued on 2020-02-06
    // (its Fecha only; the seal no longer matches, which ingestion does not check). Deadline: 2020-02-05.
    const pago = readFileSync(join(FIXTURES, 'cfdi40_P_pago20_satcfdi_pays_HE951128469_iva16.xml'), 'utf8');
    writeFileSync(join(dir, 'pago_tardio.xml'), pago.replace('Fecha="2020-01-01T22:40:38"', 'Fecha="2020-02-06T10:00:00"'));
    const { wh } = await ingestInto(dir, [dir]);
    try {
      await runBuild(wh, { asOf: '2020-03-01' });
      expect(await wh.all(COLUMNS)).toEqual([
        { finding: 'late_complement', invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', complement_uuid: '5B64ADA3-AA4C-40B4-A2F5-572CED52BE31',
          payment_date: '2020-01-02', deadline: '2020-02-05', issued: '2020-02-06', days_late: 1, amount: '17852.75' },
      ]);
      expect(await failingChecks(wh, ['marts/agg_cfdi_rep_compliance'])).toEqual([]);
      // The mart is the macro at the build's as-of.
      expect(await wh.all(AT('2020-03-01'))).toEqual(await wh.all(COLUMNS));
      // The same build read at an earlier date: on the deadline the complement (issued 2020-02-06) does not count yet,
      // so the cash it reports (2020-01-02) is paid without a complement, 0 days late; on 2020-01-01 nothing is paid yet.
      expect(await wh.all(AT('2020-02-05'))).toEqual([
        { finding: 'paid_without_complement', invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', complement_uuid: null,
          payment_date: '2020-01-02', deadline: '2020-02-05', issued: null, days_late: 0, amount: '17852.75' },
      ]);
      expect(await wh.all(AT('2020-01-01'))).toEqual([]);
      // On the deadline the complement is not issued yet: the cash it reports is paid without a complement, not yet late.
      await runBuild(wh, { asOf: '2020-02-05' });
      expect(await wh.all(COLUMNS)).toEqual([
        { finding: 'paid_without_complement', invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0', complement_uuid: null,
          payment_date: '2020-01-02', deadline: '2020-02-05', issued: null, days_late: 0, amount: '17852.75' },
      ]);
    } finally {
      wh.close();
    }
  });

  it('lists a PPD invoice an ERP payments export shows paid, with no complement for it', async () => {
    const dir = tempDir('cartera-rep-');
    // F08A8B8C: PPD, 1191.95, issued 2024-06-15 by EKU9003173C9 to ICV060329BY0; paid 1000.00 on 2024-06-28 per the ERP.
    copyFileSync(join(FIXTURES, 'cfdi40_I_PPD_MXN_testCSD_stamped_finkok_sandbox.xml'), join(dir, 'factura.xml'));
    writeFileSync(join(dir, 'pagos_erp.csv'), 'payment_id,customer_id,invoice_id,payment_date,amount,currency\nP-1,ICV060329BY0,F08A8B8C-26DB-5385-86AF-2A1D354C5CC3,2024-06-28,1000.00,MXN\n');
    const { wh } = await ingestInto(dir, [dir], { cfdi: { rfc: 'EKU9003173C9' } });
    try {
      // Deadline 2024-07-05 (the 5th of July); as of 2024-07-31 that is 26 days past.
      await runBuild(wh, { asOf: '2024-07-31' });
      expect(await wh.all(COLUMNS)).toEqual([
        { finding: 'paid_without_complement', invoice_id: 'F08A8B8C-26DB-5385-86AF-2A1D354C5CC3', complement_uuid: null,
          payment_date: '2024-06-28', deadline: '2024-07-05', issued: null, days_late: 26, amount: '1000.00' },
      ]);
      expect(await failingChecks(wh, ['marts/agg_cfdi_rep_compliance'])).toEqual([]);
      // Read at earlier dates: days late count to the date (2024-07-10 - 2024-07-05 = 5), and the day before the
      // payment the invoice is not paid at all.
      expect(await wh.all(AT('2024-07-10'))).toEqual([
        { finding: 'paid_without_complement', invoice_id: 'F08A8B8C-26DB-5385-86AF-2A1D354C5CC3', complement_uuid: null,
          payment_date: '2024-06-28', deadline: '2024-07-05', issued: null, days_late: 5, amount: '1000.00' },
      ]);
      expect(await wh.all(AT('2024-06-27'))).toEqual([]);
    } finally {
      wh.close();
    }
  });

  it('reads the findings at any date: only cash dated and complements issued on or before it count', async () => {
    // X1 (PPD, 1000.00, 2024-03-01): 400.00 paid per the ERP on 2024-03-10, no complement; 600.00 paid on 2024-04-02
    // per complement REP1, issued 2024-05-10 (its deadline 2024-05-05). Built at 2024-05-20.
    const { wh, close } = await tempWarehouse();
    try {
      // Without the mixed portfolio's ERP invoices: the CFDIs are the ledger.
      await loadCfdiComplianceCases(wh);
      await runBuild(wh, { asOf: MIXED_AS_OF });
      const x1 = (relation: string) => `select * from (${COLUMNS_OF(relation)}) where invoice_id = 'X1'`;
      // 2024-05-20: 1000 paid, 600 complemented -> 400 uncomplemented, last such cash 03-10, deadline 04-05, 45 days late;
      // REP1 issued 5 days after its deadline.
      const built = [
        { finding: 'late_complement', invoice_id: 'X1', complement_uuid: 'REP1', payment_date: '2024-04-02', deadline: '2024-05-05', issued: '2024-05-10', days_late: 5, amount: '600.00' },
        { finding: 'paid_without_complement', invoice_id: 'X1', complement_uuid: null, payment_date: '2024-03-10', deadline: '2024-04-05', issued: null, days_late: 45, amount: '400.00' },
      ];
      expect(await wh.all(x1('agg_cfdi_rep_compliance'))).toEqual(built);
      expect(await wh.all(x1(`rep_compliance_at('${MIXED_AS_OF}')`))).toEqual(built);
      // 2024-04-30: both payments made, REP1 not issued yet: all 1000 uncomplemented, last cash 04-02, deadline 05-05, not late.
      expect(await wh.all(x1(`rep_compliance_at('2024-04-30')`))).toEqual([
        { finding: 'paid_without_complement', invoice_id: 'X1', complement_uuid: null, payment_date: '2024-04-02', deadline: '2024-05-05', issued: null, days_late: 0, amount: '1000.00' },
      ]);
      // 2024-03-31: the 600 of 04-02 is not paid yet: 400 uncomplemented, deadline 04-05, not late.
      expect(await wh.all(x1(`rep_compliance_at('2024-03-31')`))).toEqual([
        { finding: 'paid_without_complement', invoice_id: 'X1', complement_uuid: null, payment_date: '2024-03-10', deadline: '2024-04-05', issued: null, days_late: 0, amount: '400.00' },
      ]);
      // 2024-02-29: X1 is not issued yet.
      expect(await wh.all(x1(`rep_compliance_at('2024-02-29')`))).toEqual([]);
    } finally {
      close();
    }
  });

  it('with an ERP ledger, finds its PPD invoices by UUID or Serie+Folio, reads its cash and names both numbers', async () => {
    // The ERP numbers its invoices A-301 (UUID column filled) and A-302 (none: matched by Serie+Folio A302), both PPD in
    // their CFDIs; its payments export pays them. A-301: 600.00 on 2024-05-10, reported by a complement issued
    // 2024-05-20, and 400.00 on 2024-05-25, reported by none. A-302: 500.00 on 2024-05-15, reported by none.
    const dir = tempDir('cartera-rep-erp-');
    const co = 'EKU9003173C9';
    const icv = { Rfc: 'ICV060329BY0', Nombre: 'INMOBILIARIA CVA' };
    const u = (n: number) => `CCCCCCCC-0000-4000-8000-000000000${n}`;
    writeFile(dir, 'A-301.xml', ingreso({ uuid: u(301), emisor: co, receptor: icv, serie: 'A', folio: '301', fecha: '2024-05-02', total: '1000.00', metodo: 'PPD' }));
    writeFile(dir, 'A-302.xml', ingreso({ uuid: u(302), emisor: co, receptor: icv, serie: 'A', folio: '302', fecha: '2024-05-03', total: '500.00', metodo: 'PPD' }));
    writeFile(dir, 'pago.xml', pago({ uuid: u(320), emisor: co, receptor: icv, fecha: '2024-05-20', fechaPago: '2024-05-10', docs: [{ id: u(301), pagado: '600.00', antes: '1000.00', despues: '400.00', parcialidad: 1 }] }));
    writeFile(dir, 'facturas_erp.csv', `invoice_id,customer_id,invoice_date,due_date,amount,currency,UUID
A-301,C-ICV,2024-05-02,2024-06-01,1000.00,MXN,${u(301)}
A-302,C-ICV,2024-05-03,2024-06-02,500.00,MXN,
`);
    writeFile(dir, 'clientes_erp.csv', 'customer_id,name,tax_id,country\nC-ICV,Inmobiliaria CVA,ICV060329BY0,MX\n');
    writeFile(dir, 'pagos_erp.csv', `payment_id,customer_id,invoice_id,payment_date,amount,currency
P-1,C-ICV,A-301,2024-05-10,600.00,MXN
P-2,C-ICV,A-301,2024-05-25,400.00,MXN
P-3,C-ICV,A-302,2024-05-15,500.00,MXN
`);
    const { wh } = await ingestInto(dir, [dir], { cfdi: { rfc: co } });
    try {
      await runBuild(wh, { asOf: '2024-06-30', currency: 'MXN' });
      // Deadline of cash in May: 2024-06-05; as of 2024-06-30, 25 days past. A-301's uncomplemented 1000 - 600 = 400.00,
      // its latest cash 2024-05-25.
      // The ledger's customer (the ERP's C-ICV), whom the CFO page names from dim_customers.
      const rows = `select finding, invoice_id, cfdi_uuid, customer_id, payment_date::varchar payment_date, deadline::varchar deadline, days_late, amount::varchar amount
                    from agg_cfdi_rep_compliance order by invoice_id`;
      expect(await wh.all(rows)).toEqual([
        { finding: 'paid_without_complement', invoice_id: 'A-301', cfdi_uuid: u(301), customer_id: 'C-ICV', payment_date: '2024-05-25', deadline: '2024-06-05', days_late: 25, amount: '400.00' },
        { finding: 'paid_without_complement', invoice_id: 'A-302', cfdi_uuid: u(302), customer_id: 'C-ICV', payment_date: '2024-05-15', deadline: '2024-06-05', days_late: 25, amount: '500.00' },
      ]);
      expect(await failingChecks(wh, ['marts/agg_cfdi_rep_compliance'])).toEqual([]);
      // On 2024-05-20 the complement is issued and A-301's second payment not yet made: only A-302, 0 days late.
      expect(await wh.all(`select finding, invoice_id, cfdi_uuid, amount::varchar amount from rep_compliance_at('2024-05-20')`)).toEqual([
        { finding: 'paid_without_complement', invoice_id: 'A-302', cfdi_uuid: u(302), amount: '500.00' },
      ]);
    } finally {
      wh.close();
    }
  });
});

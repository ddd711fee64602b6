// agg_cfdi_reconciliation through the real ingest and build: an ERP invoices export (CSV), its customers, and hand-made CFDIs
// (test/ingest/cfdi/handmade.ts) for the same invoices, each pair built to show one kind of difference. Every row worked out by hand.
import { describe, expect, it } from 'vitest';
import { runBuild } from '../../../src/models/index.ts';
import { failingChecks } from '../../models/model-checks.ts';
import { ingestInto, tempDir, writeFile } from '../helpers.ts';
import { ingreso, pago } from './handmade.ts';

const CO = 'EKU9003173C9';
const ICV = { Rfc: 'ICV060329BY0', Nombre: 'INMOBILIARIA CVA' };
const COSC = { Rfc: 'COSC8001137NA', Nombre: 'CARLOS CORTES SOTO' };
const ACME = { Rfc: 'XEXX010101000', Nombre: 'ACME INC', ResidenciaFiscal: 'USA', NumRegIdTrib: '123456789' };
// A Chilean RUT, written without its dots and dash in the CFDI and with them in the ERP.
const ANDES = { Rfc: 'XEXX010101000', Nombre: 'ANDES', ResidenciaFiscal: 'CHL', NumRegIdTrib: '76123456K' };
const u = (n: number) => `BBBBBBBB-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

// The ERP numbers its invoices A-101...; the UUID column (unmapped: it lands in extra) is filled for some.
const ERP_INVOICES = `invoice_id,customer_id,invoice_date,due_date,amount,currency,status,outstanding,UUID
A-101,C-ICV,2024-05-02,2024-06-01,1000.00,MXN,open,1000.00,${u(1)}
A-102,C-ICV,2024-05-03,2024-06-02,2300.00,MXN,open,2300.00,${u(2).toLowerCase()}
A-103,C-ICV,2024-05-04,2024-06-03,500.00,USD,open,500.00,${u(3)}
A-0104,C-ICV,2024-05-11,2024-06-10,400.00,MXN,open,400.00,
A-105,C-ICV,2024-05-12,2024-06-11,700.00,MXN,open,700.00,${u(5)}
A-106,C-ICV,2024-05-13,2024-06-12,800.00,MXN,open,800.00,${u(6)}
A-107,C-ICV,2024-05-14,2024-06-13,1500.00,MXN,open,1500.00,
A-109,C-ACME,2024-05-15,2024-06-14,900.00,MXN,open,900.00,
A-111,C-ANDES,2024-05-16,2024-06-15,950.00,MXN,open,950.00,
A-200,C-ICV,2024-05-16,2024-06-15,250.00,MXN,open,250.00,
A-201,C-ICV,2024-07-01,2024-07-31,999.00,MXN,open,999.00,
`;
const ERP_CUSTOMERS = `customer_id,name,tax_id,country
C-ICV,Inmobiliaria CVA,ICV-060329-BY0,MX
C-ACME,Acme Inc,123456789,US
C-ANDES,Andes SpA,76.123.456-K,CL
`;
const FX = `rate_date,currency,rate,base_currency
2024-05-01,USD,17.00,MXN
2024-05-01,MXN,1,MXN
`;
const METADATA = `Uuid~RfcEmisor~NombreEmisor~RfcReceptor~NombreReceptor~RfcPac~FechaEmision~FechaCertificacionSat~Monto~EfectoComprobante~Estatus~FechaCancelacion
${u(6)}~${CO}~ESCUELA KEMPER URGATE~ICV060329BY0~INMOBILIARIA CVA~CVD110412TF6~2024-05-13 12:00:00~2024-05-13 12:00:05~800.00~I~0~2024-05-20 10:00:00
${u(10)}~${CO}~ESCUELA KEMPER URGATE~ICV060329BY0~INMOBILIARIA CVA~CVD110412TF6~2024-05-17 12:00:00~2024-05-17 12:00:05~300.00~I~0~2024-05-21 10:00:00
`;

const COLUMNS = `select finding, matched_by, uuid, serie_folio, erp_invoice_id, cfdi_value, erp_value, difference::varchar difference, erp_outstanding::varchar erp_outstanding
                   from agg_cfdi_reconciliation order by finding, coalesce(erp_invoice_id, uuid)`;

describe('agg_cfdi_reconciliation', () => {
  it('matches ERP invoices to CFDIs by UUID, else Serie+Folio, and lists what is on one side only and every difference', async () => {
    const dir = tempDir('cartera-reconcile-');
    const doc = (n: number, o: Partial<Parameters<typeof ingreso>[0]> & { fecha: string; total: string }) =>
      writeFile(dir, `A-${100 + n}.xml`, ingreso({ uuid: u(n), emisor: CO, receptor: ICV, serie: 'A', folio: String(100 + n), ...o }));
    doc(1, { fecha: '2024-05-02', total: '1000.00' }); // the same on both sides: no finding
    doc(2, { fecha: '2024-05-03', total: '2320.00' }); // amount: 2320.00 - 2300.00 = 20.00 (the ERP writes the UUID lower-case)
    doc(3, { fecha: '2024-05-04', total: '500.00', moneda: 'MXN' }); // currency: MXN in the CFDI, USD in the ERP
    doc(4, { fecha: '2024-05-10', total: '400.00' }); // no UUID in the ERP: A104 = A-0104 by Serie+Folio; dated a day later there
    doc(5, { fecha: '2024-05-12', total: '700.00', receptor: COSC }); // customer: COSC8001137NA in the CFDI, C-ICV (ICV060329BY0) in the ERP
    doc(6, { fecha: '2024-05-13', total: '800.00' }); // cancelled in the SAT on 2024-05-20, open in the ERP
    doc(7, { fecha: '2024-05-14', total: '1500.00' }); // paid per its complement, open in the ERP
    doc(8, { fecha: '2024-05-15', total: '600.00' }); // the ERP lacks it
    doc(9, { fecha: '2024-05-15', total: '900.00', receptor: ACME }); // the ERP's C-ACME has ACME's tax id abroad: the same customer
    doc(10, { fecha: '2024-05-17', total: '300.00' }); // cancelled, and not in the ERP: nothing to reconcile
    doc(11, { fecha: '2024-05-16', total: '950.00', receptor: ANDES }); // 76123456K is C-ANDES's 76.123.456-K: the same customer
    writeFile(dir, 'pago.xml', pago({ uuid: u(20), emisor: CO, receptor: ICV, fecha: '2024-05-26', fechaPago: '2024-05-25', docs: [{ id: u(7), pagado: '1500.00', antes: '1500.00', despues: '0.00', parcialidad: 1 }] }));
    writeFile(dir, 'metadata.txt', METADATA);
    writeFile(dir, 'facturas_erp.csv', ERP_INVOICES);
    writeFile(dir, 'clientes_erp.csv', ERP_CUSTOMERS);
    writeFile(dir, 'tipos_de_cambio.csv', FX);
    const { wh } = await ingestInto(dir, [dir], { cfdi: { rfc: CO } });
    try {
      await runBuild(wh, { asOf: '2024-05-31', currency: 'MXN' });
      expect(await wh.all(COLUMNS)).toEqual([
        { finding: 'amount', matched_by: 'uuid', uuid: u(2), serie_folio: 'A102', erp_invoice_id: 'A-102', cfdi_value: '2320.00', erp_value: '2300.00', difference: '20.00', erp_outstanding: '2300.00' },
        { finding: 'cancelled_in_sat_open_in_erp', matched_by: 'uuid', uuid: u(6), serie_folio: 'A106', erp_invoice_id: 'A-106', cfdi_value: 'cancelled 2024-05-20', erp_value: 'open 800.00', difference: null, erp_outstanding: '800.00' },
        { finding: 'currency', matched_by: 'uuid', uuid: u(3), serie_folio: 'A103', erp_invoice_id: 'A-103', cfdi_value: 'MXN', erp_value: 'USD', difference: null, erp_outstanding: '500.00' },
        { finding: 'customer', matched_by: 'uuid', uuid: u(5), serie_folio: 'A105', erp_invoice_id: 'A-105', cfdi_value: 'COSC8001137NA', erp_value: 'C-ICV', difference: null, erp_outstanding: '700.00' },
        { finding: 'invoice_date', matched_by: 'serie_folio', uuid: u(4), serie_folio: 'A104', erp_invoice_id: 'A-0104', cfdi_value: '2024-05-10', erp_value: '2024-05-11', difference: null, erp_outstanding: '400.00' },
        { finding: 'only_in_cfdi', matched_by: null, uuid: u(8), serie_folio: 'A108', erp_invoice_id: null, cfdi_value: 'open', erp_value: null, difference: null, erp_outstanding: null },
        // A-201 is dated after the as-of: not yet an invoice on either side.
        { finding: 'only_in_erp', matched_by: null, uuid: null, serie_folio: null, erp_invoice_id: 'A-200', cfdi_value: null, erp_value: 'open 250.00', difference: null, erp_outstanding: '250.00' },
        { finding: 'paid_per_cfdi_open_in_erp', matched_by: 'serie_folio', uuid: u(7), serie_folio: 'A107', erp_invoice_id: 'A-107', cfdi_value: 'paid', erp_value: 'open 1500.00', difference: null, erp_outstanding: '1500.00' },
      ]);
      expect(await failingChecks(wh, ['marts/agg_cfdi_reconciliation'])).toEqual([]);
      // Before the complement is issued (on 2024-05-26) and the SAT cancels A-106 (2024-05-20), the CFDIs say both are open, as the ERP does;
      // A-110, not cancelled until 2024-05-21, is then a CFDI in force the ERP lacks.
      await runBuild(wh, { asOf: '2024-05-19', currency: 'MXN' });
      expect((await wh.all<{ finding: string; uuid: string | null; erp_invoice_id: string | null }>(COLUMNS)).map((r) => [r.finding, r.erp_invoice_id ?? r.uuid])).toEqual([
        ['amount', 'A-102'], ['currency', 'A-103'], ['customer', 'A-105'], ['invoice_date', 'A-0104'], ['only_in_cfdi', u(8)], ['only_in_cfdi', u(10)], ['only_in_erp', 'A-200'],
      ]);
    } finally {
      wh.close();
    }
  });
});

// Customers behind the SAT's generic RFCs, through the real ingest and a build. Every CFDI here is
// hand-made (test/ingest/cfdi/handmade.ts): no real fixture is issued to a foreign receiver.
import { describe, expect, it } from 'vitest';
import { runBuild } from '../../../src/models/index.ts';
import { ingestInto, tempDir, writeFile } from '../helpers.ts';
import { ingreso, pago } from './handmade.ts';

const CO = 'EKU9003173C9';
const US_ACME = { Rfc: 'XEXX010101000', Nombre: 'ACME INC', ResidenciaFiscal: 'USA', NumRegIdTrib: '123456789' };
// The same number abroad in another country is another taxpayer.
const CA_MAPLE = { Rfc: 'XEXX010101000', Nombre: 'MAPLE LTD', ResidenciaFiscal: 'CAN', NumRegIdTrib: '123456789' };
// A CFDI 3.3-era foreign receiver with no tax id abroad: told apart by its name.
const NO_ID = { Rfc: 'XEXX010101000', Nombre: 'Globex   GmbH' };
const PUBLICO = { Rfc: 'XAXX010101000', Nombre: 'PUBLICO EN GENERAL' };
const uuid = (n: number) => `AAAAAAAA-0000-4000-8000-00000000000${n}`;

describe('CFDIs to the generic RFCs', () => {
  it('keeps each foreign customer apart by country and tax id abroad, and the general public as one customer', async () => {
    const dir = tempDir('cartera-foreign-');
    writeFile(dir, 'us.xml', ingreso({ uuid: uuid(1), emisor: CO, receptor: US_ACME, fecha: '2024-03-01', total: '1000.00', moneda: 'USD' }));
    writeFile(dir, 'ca.xml', ingreso({ uuid: uuid(2), emisor: CO, receptor: CA_MAPLE, fecha: '2024-03-02', total: '2000.00', moneda: 'USD' }));
    writeFile(dir, 'de.xml', ingreso({ uuid: uuid(3), emisor: CO, receptor: NO_ID, fecha: '2024-03-03', total: '3000.00', moneda: 'USD' }));
    writeFile(dir, 'pg1.xml', ingreso({ uuid: uuid(4), emisor: CO, receptor: PUBLICO, fecha: '2024-03-04', total: '400.00', moneda: 'USD', metodo: 'PUE' }));
    writeFile(dir, 'pg2.xml', ingreso({ uuid: uuid(5), emisor: CO, receptor: PUBLICO, fecha: '2024-03-05', total: '500.00', moneda: 'USD', metodo: 'PUE' }));
    writeFile(dir, 'pago.xml', pago({ uuid: uuid(6), emisor: CO, receptor: CA_MAPLE, fecha: '2024-03-20', fechaPago: '2024-03-20', docs: [{ id: uuid(2), pagado: '2000.00', antes: '2000.00', despues: '0.00', parcialidad: 1 }] }).replaceAll('MXN', 'USD'));
    // The SAT's metadata names only the generic RFC: the cancellation must still be the US customer's.
    writeFile(dir, 'meta.txt', `Uuid~RfcEmisor~NombreEmisor~RfcReceptor~NombreReceptor~RfcPac~FechaEmision~FechaCertificacionSat~Monto~EfectoComprobante~Estatus~FechaCancelacion
${uuid(1)}~${CO}~ESCUELA KEMPER URGATE~XEXX010101000~ACME INC~CVD110412TF6~2024-03-01 12:00:00~2024-03-01 12:00:05~1000.00~I~0~2024-03-15 10:00:00
`);
    const { wh } = await ingestInto(dir, [dir]);
    try {
      expect(await wh.all(`select customer_id, name from raw_customers order by customer_id`)).toEqual([
        { customer_id: 'XAXX010101000', name: 'PUBLICO EN GENERAL' },
        { customer_id: 'XEXX010101000-CAN-123456789', name: 'MAPLE LTD' },
        { customer_id: 'XEXX010101000-GLOBEX GMBH', name: 'Globex   GmbH' },
        { customer_id: 'XEXX010101000-USA-123456789', name: 'ACME INC' },
      ]);
      await runBuild(wh, { asOf: '2024-03-31', currency: 'USD' });
      // ACME's invoice is cancelled (a credit note of its own), MAPLE's paid by its complement, Globex's open;
      // the general public's two PUE invoices, paid at issue, are one customer's.
      expect(
        await wh.all(`select customer_id, document_type, amount::varchar amount, outstanding::varchar outstanding from fct_invoices
                       order by customer_id, document_type desc, amount`),
      ).toEqual([
        { customer_id: 'XAXX010101000', document_type: 'invoice', amount: '400.00', outstanding: '0.00' },
        { customer_id: 'XAXX010101000', document_type: 'invoice', amount: '500.00', outstanding: '0.00' },
        { customer_id: 'XEXX010101000-CAN-123456789', document_type: 'invoice', amount: '2000.00', outstanding: '0.00' },
        { customer_id: 'XEXX010101000-GLOBEX GMBH', document_type: 'invoice', amount: '3000.00', outstanding: '3000.00' },
        { customer_id: 'XEXX010101000-USA-123456789', document_type: 'invoice', amount: '1000.00', outstanding: '0.00' },
        { customer_id: 'XEXX010101000-USA-123456789', document_type: 'credit_note', amount: '-1000.00', outstanding: '0.00' },
      ]);
      expect(await wh.all(`select customer_id, amount::varchar amount from fct_payments order by 1, 2`)).toEqual([
        { customer_id: 'XAXX010101000', amount: '400.00' },
        { customer_id: 'XAXX010101000', amount: '500.00' },
        { customer_id: 'XEXX010101000-CAN-123456789', amount: '2000.00' },
      ]);
    } finally {
      wh.close();
    }
  });
});

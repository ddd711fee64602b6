// Every expected value below was read by hand from the fixture's XML.
import { describe, expect, it } from 'vitest';
import { fixture } from './helpers.ts';

describe('CFDI Ingreso as an invoice', () => {
  it('reads the PPD 4.0 invoice 6d7434a6 that a Pagos 2.0 complement pays', () => {
    const doc = fixture('cfdi40_I_PPD_MXN_satcfdi_HE951128469_iva16_stamped.xml');
    expect(doc.kind).toBe('ingreso');
    expect(doc.notes).toEqual([]);
    expect(doc.records).toEqual([
      {
        record: 'invoice',
        invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0',
        reference: 'A123456',
        invoice_date: '2020-01-01',
        customer_id: 'KIJ0906199R1',
        customer_name: 'KIJ, S.A DE C.V.',
        amount: '17852.75',
        currency: 'MXN',
        exchange_rate: null,
        payment_method: 'PPD',
        payment_form: null,
        payment_terms: null,
        issuer_rfc: 'H&E951128469',
        version: '4.0',
      },
    ]);
  });

  it('reads the real 3.3 invoice CEE4BE01 with its terms and payment form', () => {
    const doc = fixture('cfdi33_I_PUE_MXN_real_POT9207213D6.xml');
    expect(doc.version).toBe('3.3');
    expect(doc.uuid).toBe('CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC');
    expect(doc.records).toEqual([
      {
        record: 'invoice',
        invoice_id: 'CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC',
        reference: 'H11541',
        invoice_date: '2018-01-12',
        customer_id: 'DIM8701081LA',
        customer_name: 'DAY INTERNATIONAL DE MEXICO SA DE CV',
        amount: '2010.01',
        currency: 'MXN',
        exchange_rate: null,
        payment_method: 'PUE',
        payment_form: '04',
        payment_terms: 'CONTADO',
        issuer_rfc: 'POT9207213D6',
        version: '3.3',
      },
    ]);
  });

  it('keeps a USD invoice with its TipoCambio as written, and notes it has no stamp', () => {
    const doc = fixture('cfdi40_I_PPD_USD_TipoCambio_gobl_unsigned.xml');
    expect(doc.uuid).toBeNull();
    expect(doc.notes).toEqual(['no TimbreFiscalDigital: the file was never stamped, so it has no UUID']);
    expect(doc.records).toEqual([
      {
        record: 'invoice',
        invoice_id: null,
        reference: 'LMC0010',
        invoice_date: '2023-05-29',
        customer_id: 'URE180429TM6',
        customer_name: 'UNIVERSIDAD ROBOTICA ESPAÑOLA',
        amount: '232.00',
        currency: 'USD',
        exchange_rate: '17.46',
        payment_method: 'PPD',
        payment_form: '99',
        payment_terms: null,
        issuer_rfc: 'EKU9003173C9',
        version: '4.0',
      },
    ]);
  });
});

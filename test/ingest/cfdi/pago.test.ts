// Every expected value below was read by hand from the fixture's XML; quotients were worked out
// to 6 decimals, rounded half up.
import { describe, expect, it } from 'vitest';
import { CfdiError } from '../../../src/ingest/readers/cfdi/parse.ts';
import { fixture } from './helpers.ts';

describe('CFDI Pago as one payment per DoctoRelacionado', () => {
  it('pays the PPD invoice 6d7434a6 in full (Pagos 2.0, same currency)', () => {
    const invoice = fixture('cfdi40_I_PPD_MXN_satcfdi_HE951128469_iva16_stamped.xml').records[0];
    const doc = fixture('cfdi40_P_pago20_satcfdi_pays_HE951128469_iva16.xml');
    expect(doc.kind).toBe('pago');
    expect(doc.uuid).toBe('5B64ADA3-AA4C-40B4-A2F5-572CED52BE31');
    expect(doc.records).toEqual([
      {
        record: 'payment',
        payment_cfdi_id: '5B64ADA3-AA4C-40B4-A2F5-572CED52BE31',
        pago_index: 1,
        docto_index: 1,
        invoice_id: '6D7434A6-E3F2-47AD-9E4C-08849946AFA0',
        payment_date: '2020-01-02',
        customer_id: 'KIJ0906199R1',
        payment_currency: 'MXN',
        payment_exchange_rate: null,
        payment_total: '17852.75',
        payment_form: '03',
        document_currency: 'MXN',
        amount: '17852.75',
        amount_payment_currency: '17852.750000',
        document_rate: null,
        installment: 1,
        balance_before: '17852.75',
        balance_after: '0.00',
        issuer_rfc: 'H&E951128469',
        version: '4.0',
        pagos_version: '2.0',
      },
    ]);
    expect(invoice.record === 'invoice' && invoice.invoice_id).toBe(doc.records[0].record === 'payment' && doc.records[0].invoice_id);
    expect(invoice.record === 'invoice' && invoice.amount).toBe('17852.75');
  });

  it('reads USD payments of MXN invoices through EquivalenciaDR (calc006)', () => {
    const doc = fixture('cfdi40_P_pago20_cfdiutils_calc006_usd_pays_mxn.xml');
    const rows = doc.records.map((r) =>
      r.record === 'payment'
        ? [r.pago_index, r.payment_date, r.payment_currency, r.payment_exchange_rate, r.payment_total, r.payment_form, r.document_currency, r.document_rate, r.amount, r.amount_payment_currency, r.installment, r.balance_before, r.balance_after]
        : null,
    );
    expect(rows).toEqual([
      // ImpPagado 2157.06 MXN / EquivalenciaDR 17.4731470231 = 123.450000 USD = the Pago's Monto.
      [1, '2023-06-06', 'USD', '17.4732', '123.45', '03', 'MXN', '17.4731470231', '2157.06', '123.450000', 5, '4976.36', '2819.3'],
      [2, '2023-05-10', 'USD', '17.9575', '3.75', '01', 'MXN', '17.9573333333', '67.34', '3.750000', 3, '6591.64', '6524.3'],
      [3, '2023-06-02', 'USD', '17.7418', '0.23', '02', 'MXN', '17.7391304348', '4.08', '0.230000', 2, '5234', '5229.92'],
    ]);
    expect(doc.records.every((r) => r.record === 'payment' && r.invoice_id === null && r.customer_id === 'AAAA010101AAA')).toBe(true);
    // The anonymised file dropped IdDocumento and the stamp; both are said.
    expect(doc.notes).toEqual([
      'no TimbreFiscalDigital: the file was never stamped, so it has no UUID',
      'Pago 1, DoctoRelacionado 1 has no IdDocumento',
      'Pago 2, DoctoRelacionado 1 has no IdDocumento',
      'Pago 3, DoctoRelacionado 1 has no IdDocumento',
    ]);
  });

  it('reads a Pagos 1.0 complement (CFDI 3.3) with TipoCambioDR', () => {
    const doc = fixture('cfdi33_P_pago10_cfdi_to_pdf_usd_doc_stamped.xml');
    expect(doc.version).toBe('3.3');
    expect(doc.records).toEqual([
      {
        record: 'payment',
        payment_cfdi_id: '9FB6ED1A-5F37-4FEF-980A-7F8C83B51894',
        pago_index: 1,
        docto_index: 1,
        invoice_id: '1A3CD882-EB73-484A-6971-1C2D29C9F264',
        payment_date: '2019-10-29',
        customer_id: 'COSC8001137NA',
        payment_currency: 'MXN',
        payment_exchange_rate: null,
        payment_total: '4000.00',
        payment_form: '03',
        document_currency: 'USD',
        amount: '4000.00',
        // 4000.00 / 0.050522: the sample's ImpPagado does not agree with its Monto (a test file).
        amount_payment_currency: '79173.429397',
        document_rate: '0.050522',
        installment: 1,
        balance_before: '4000.00',
        balance_after: '0.00',
        issuer_rfc: 'AAA010101AAA',
        version: '3.3',
        pagos_version: '1.0',
      },
    ]);
  });

  it('rejects calc008 (MXN paying USD), whose Rfc attributes are empty, naming the element', () => {
    expect(() => fixture('cfdi40_P_pago20_cfdiutils_calc008_mxn_pays_usd.xml')).toThrow(CfdiError);
    expect(() => fixture('cfdi40_P_pago20_cfdiutils_calc008_mxn_pays_usd.xml')).toThrow(
      'cfdi40_P_pago20_cfdiutils_calc008_mxn_pays_usd.xml <cfdi:Emisor>: missing Rfc',
    );
  });
});

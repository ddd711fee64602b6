/** An Ingreso CFDI as one invoice record. */
import { dec, datePart, opt, optDec, reference, req, type Comprobante } from './comprobante.ts';
import type { CfdiInvoice } from './types.ts';

export function readIngreso(c: Comprobante): CfdiInvoice {
  const r = c.root;
  return {
    record: 'invoice',
    invoice_id: c.uuid,
    reference: reference(r),
    invoice_date: datePart(c, r, 'Fecha'),
    customer_id: c.customerId,
    customer_name: c.receiverName,
    amount: dec(c, r, 'Total'),
    currency: req(c, r, 'Moneda'),
    exchange_rate: optDec(c, r, 'TipoCambio'),
    payment_method: opt(r, 'MetodoPago'),
    payment_form: opt(r, 'FormaPago'),
    payment_terms: opt(r, 'CondicionesDePago'),
    issuer_rfc: c.issuerRfc,
    version: c.version,
  };
}

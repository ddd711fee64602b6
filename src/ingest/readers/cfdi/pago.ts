/**
 * A Pago CFDI (Pagos 1.0 with CFDI 3.3, Pagos 2.0 with 4.0) as one payment per DoctoRelacionado.
 *
 * In both versions ImpPagado, ImpSaldoAnt and ImpSaldoInsoluto are written in the document's
 * currency (MonedaDR). EquivalenciaDR (2.0) and TipoCambioDR (1.0) are the document-currency units
 * per unit of the payment's currency, so ImpPagado / rate is the part of the Pago's Monto used.
 */
import { NS, dec, datePart, opt, optDec, req, type Comprobante } from './comprobante.ts';
import { divideDecimal } from './decimal.ts';
import { childrenOf } from './xml-tree.ts';
import { CfdiError, type CfdiPayment } from './types.ts';

/** The payments of a Pago; `lines` receives each DoctoRelacionado's line, in the same order. */
export function readPago(c: Comprobante, lines: number[] = []): CfdiPayment[] {
  const complementos = childrenOf(c.root, c.ns, 'Complemento');
  const p20 = complementos.flatMap((k) => childrenOf(k, NS.pagos20, 'Pagos'));
  const p10 = complementos.flatMap((k) => childrenOf(k, NS.pagos10, 'Pagos'));
  const pagos = p20.length > 0 ? p20 : p10;
  if (pagos.length === 0) throw new CfdiError('missing-value', c.file, c.root.name, 'a Pago CFDI without a Pagos 1.0 or 2.0 complement');
  const pagosVersion = p20.length > 0 ? '2.0' : '1.0';
  const ns = pagosVersion === '2.0' ? NS.pagos20 : NS.pagos10;
  const out: CfdiPayment[] = [];
  let pagoIndex = 0;
  for (const block of pagos) {
    for (const pago of childrenOf(block, ns, 'Pago')) {
      pagoIndex++;
      const currency = req(c, pago, 'MonedaP');
      const date = datePart(c, pago, 'FechaPago');
      const total = dec(c, pago, 'Monto');
      const paymentRate = optDec(c, pago, 'TipoCambioP');
      const doctos = childrenOf(pago, ns, 'DoctoRelacionado');
      if (doctos.length === 0) c.notes.push(`Pago ${pagoIndex} names no DoctoRelacionado`);
      doctos.forEach((d, i) => {
        const docCurrency = req(c, d, 'MonedaDR');
        const rate = optDec(c, d, pagosVersion === '2.0' ? 'EquivalenciaDR' : 'TipoCambioDR');
        const amount = dec(c, d, 'ImpPagado');
        const id = opt(d, 'IdDocumento');
        if (!id) c.notes.push(`Pago ${pagoIndex}, DoctoRelacionado ${i + 1} has no IdDocumento`);
        const parcialidad = opt(d, 'NumParcialidad');
        if (parcialidad !== null && !/^\d+$/.test(parcialidad)) {
          throw new CfdiError('invalid-value', c.file, d.name, `NumParcialidad="${parcialidad}" is not a whole number`);
        }
        lines.push(d.line);
        out.push({
          record: 'payment',
          payment_cfdi_id: c.uuid,
          pago_index: pagoIndex,
          docto_index: i + 1,
          invoice_id: id ? id.toUpperCase() : null,
          payment_date: date,
          customer_id: c.customerId,
          payment_currency: currency,
          payment_exchange_rate: paymentRate,
          payment_total: total,
          payment_form: opt(pago, 'FormaDePagoP'),
          document_currency: docCurrency,
          amount,
          amount_payment_currency: divideDecimal(amount, rate ?? '1', 6),
          document_rate: rate,
          installment: parcialidad === null ? null : Number(parcialidad),
          balance_before: optDec(c, d, 'ImpSaldoAnt'),
          balance_after: optDec(c, d, 'ImpSaldoInsoluto'),
          issuer_rfc: c.issuerRfc,
          version: c.version,
          pagos_version: pagosVersion,
        });
      });
    }
  }
  return out;
}

/**
 * A receipt as a payment complement: a Pago CFDI with Pagos 2.0, one DoctoRelacionado per invoice
 * the receipt paid, with its instalment number and the balance before and after. A Mexican
 * customer's dollar invoices are paid in pesos, as most are: MonedaP MXN and EquivalenciaDR.
 */
import type { Currency } from '../catalog.ts';
import { centsCanonical } from '../money.ts';
import { comprobante, conceptos, emisor, receptor, timbre } from './comprobante.ts';
import type { DocumentContext } from './documents.ts';
import { convertCents } from './exchange.ts';
import { el, xmlDocument, type XmlNode } from './xml.ts';

/** One invoice a receipt pays: ImpPagado and the balance before it, in the invoice's currency. */
export interface PaidDocument {
  invoiceId: string;
  cents: number;
  balanceBefore: number;
  installment: number;
}

/** A receipt: the lines of one payment, all in one document currency. */
export interface Receipt {
  id: string;
  day: number;
  method: string;
  currency: Currency;
  paymentCurrency: Currency;
  lines: PaidDocument[];
}

/** c_FormaPago of the ledger's payment methods. */
const FORMA_PAGO: Record<string, string> = { cash: '01', check: '02', transfer: '03', card: '04' };

function docto(line: PaidDocument, r: Receipt, equivalencia: string | undefined, x: DocumentContext): XmlNode {
  return el('pago20:DoctoRelacionado', {
    IdDocumento: x.uuidOf(line.invoiceId),
    MonedaDR: r.currency,
    EquivalenciaDR: equivalencia,
    NumParcialidad: String(line.installment),
    ImpSaldoAnt: centsCanonical(line.balanceBefore),
    ImpPagado: centsCanonical(line.cents),
    ImpSaldoInsoluto: centsCanonical(line.balanceBefore - line.cents),
    ObjetoImpDR: '01',
  });
}

/** The Pago CFDI of a receipt. */
export function pagoXml(r: Receipt, x: DocumentContext): string {
  const iso = x.days.isoText(r.day);
  const fecha = `${iso}T12:00:00`;
  const equivalencia = r.paymentCurrency === r.currency ? undefined : x.rates.equivalencia(r.currency, r.paymentCurrency, r.day);
  // Monto is what the customer paid, in its currency: each ImpPagado over EquivalenciaDR, summed.
  const montoCents = r.lines.reduce((s, l) => s + (equivalencia ? convertCents(l.cents, equivalencia, true) : l.cents), 0);
  const tipoCambioP = x.rates.tipoCambio(r.paymentCurrency, r.day);
  const totalMxn = tipoCambioP ? convertCents(montoCents, tipoCambioP, false) : montoCents;
  const pago = el(
    'pago20:Pago',
    { FechaPago: fecha, FormaDePagoP: FORMA_PAGO[r.method] ?? '99', MonedaP: r.paymentCurrency, TipoCambioP: tipoCambioP ?? '1', Monto: centsCanonical(montoCents) },
    r.lines.map((l) => docto(l, r, equivalencia, x)),
  );
  const pagos = el('pago20:Pagos', { Version: '2.0' }, [el('pago20:Totales', { MontoTotalPagos: centsCanonical(totalMxn) }), pago]);
  const attrs = { SubTotal: '0', Moneda: 'XXX', Total: '0', TipoDeComprobante: 'P' };
  const children = [emisor(), receptor(x.receptor, 'CP01'), conceptos('Pago', '0', '84111506', 'ACT'), el('cfdi:Complemento', {}, [pagos, timbre(x.uuidOf(r.id), fecha)])];
  return xmlDocument(comprobante(r.id, fecha, attrs, children));
}

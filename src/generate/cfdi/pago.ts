/**
 * A receipt as a payment complement: a Pago CFDI with Pagos 2.0, one DoctoRelacionado per invoice
 * the receipt paid, with its instalment number and the balance before and after. A Mexican
 * customer's dollar invoices are paid in pesos, as most are: MonedaP MXN and EquivalenciaDR. The
 * IVA each payment carries is stated per document (ImpuestosDR), per Pago (ImpuestosP) and in pesos
 * (Totales).
 */
import type { Currency } from '../catalog.ts';
import { centsCanonical } from '../money.ts';
import { comprobante, conceptoPago, emisor, receptor, timbre } from './comprobante.ts';
import { splitIva, traslado } from './vat.ts';
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
  const taxes = el('pago20:ImpuestosDR', {}, [el('pago20:TrasladosDR', {}, [traslado('pago20:TrasladoDR', 'DR', splitIva(line.cents))])]);
  return el('pago20:DoctoRelacionado', {
    IdDocumento: x.uuidOf(line.invoiceId),
    MonedaDR: r.currency,
    EquivalenciaDR: equivalencia,
    NumParcialidad: String(line.installment),
    ImpSaldoAnt: centsCanonical(line.balanceBefore),
    ImpPagado: centsCanonical(line.cents),
    ImpSaldoInsoluto: centsCanonical(line.balanceBefore - line.cents),
    ObjetoImpDR: '02',
  }, [taxes]);
}

/** The IVA a Pago pays, in its own currency: each line's base and tax over EquivalenciaDR, summed. */
function ivaPaid(r: Receipt, equivalencia: string | undefined): { base: number; iva: number } {
  const inPayment = (cents: number) => (equivalencia ? convertCents(cents, equivalencia, true) : cents);
  return r.lines.reduce(
    (sum, l) => {
      const part = splitIva(l.cents);
      return { base: sum.base + inPayment(part.base), iva: sum.iva + inPayment(part.iva) };
    },
    { base: 0, iva: 0 },
  );
}

/** The Pagos 2.0 complement of a receipt: its totals in pesos, then its one Pago. */
function pagosComplement(r: Receipt, fecha: string, x: DocumentContext): XmlNode {
  const equivalencia = r.paymentCurrency === r.currency ? undefined : x.rates.equivalencia(r.currency, r.paymentCurrency, r.day);
  // Monto is what the customer paid, in its currency: each ImpPagado over EquivalenciaDR, summed.
  const montoCents = r.lines.reduce((s, l) => s + (equivalencia ? convertCents(l.cents, equivalencia, true) : l.cents), 0);
  const tipoCambioP = x.rates.tipoCambio(r.paymentCurrency, r.day);
  const inMxn = (cents: number) => (tipoCambioP ? convertCents(cents, tipoCambioP, false) : cents);
  const iva = ivaPaid(r, equivalencia);
  const pago = el(
    'pago20:Pago',
    { FechaPago: fecha, FormaDePagoP: FORMA_PAGO[r.method] ?? '99', MonedaP: r.paymentCurrency, TipoCambioP: tipoCambioP ?? '1', Monto: centsCanonical(montoCents) },
    [
      ...r.lines.map((l) => docto(l, r, equivalencia, x)),
      el('pago20:ImpuestosP', {}, [el('pago20:TrasladosP', {}, [traslado('pago20:TrasladoP', 'P', iva)])]),
    ],
  );
  const totales = el('pago20:Totales', {
    TotalTrasladosBaseIVA16: centsCanonical(inMxn(iva.base)),
    TotalTrasladosImpuestoIVA16: centsCanonical(inMxn(iva.iva)),
    MontoTotalPagos: centsCanonical(inMxn(montoCents)),
  });
  return el('pago20:Pagos', { Version: '2.0' }, [totales, pago]);
}

/** The Pago CFDI of a receipt, issued the day the money came in. */
export function pagoXml(r: Receipt, x: DocumentContext): string {
  const fecha = `${x.days.isoText(r.day)}T12:00:00`;
  const attrs = { SubTotal: '0', Moneda: 'XXX', Total: '0', TipoDeComprobante: 'P' };
  const children = [emisor(), receptor(x.receptor, 'CP01'), conceptoPago(), el('cfdi:Complemento', {}, [pagosComplement(r, fecha, x), timbre(x.uuidOf(r.id), fecha)])];
  return xmlDocument(comprobante(r.id, fecha, attrs, children));
}

/**
 * Canonical records read from one CFDI (Mexican e-invoice) file. Money stays an exact decimal
 * string as the XML writes it; nothing here goes through a JS number.
 */

export type CfdiVersion = '3.3' | '4.0';
/** TipoDeComprobante I, E, P; T (traslado) and N (nómina) are not receivables and are skipped. */
export type CfdiKind = 'ingreso' | 'egreso' | 'pago' | 'other';

/** An Ingreso: one invoice. */
export interface CfdiInvoice {
  record: 'invoice';
  /** TimbreFiscalDigital UUID in upper case; null when the file was never stamped. */
  invoice_id: string | null;
  /** Serie + Folio, as the issuer numbers it; null when both are absent. */
  reference: string | null;
  invoice_date: string;
  customer_id: string;
  customer_name: string | null;
  amount: string;
  currency: string;
  exchange_rate: string | null;
  /** PUE is settled at issue, PPD is paid later. */
  payment_method: string | null;
  payment_form: string | null;
  payment_terms: string | null;
  issuer_rfc: string;
  version: CfdiVersion;
}

/** An Egreso: a credit note, applied to the UUIDs its CfdiRelacionados name. */
export interface CfdiCreditNote {
  record: 'credit_note';
  credit_note_id: string | null;
  reference: string | null;
  credit_note_date: string;
  customer_id: string;
  customer_name: string | null;
  amount: string;
  currency: string;
  exchange_rate: string | null;
  /** Upper-case UUIDs, in document order, with the TipoRelacion of their group. */
  related: { uuid: string; relation_type: string }[];
  issuer_rfc: string;
  version: CfdiVersion;
}

/** One DoctoRelacionado of a Pago: what one payment applied to one invoice. */
export interface CfdiPayment {
  record: 'payment';
  /** UUID of the payment complement itself (null when unstamped). */
  payment_cfdi_id: string | null;
  /** Position of the Pago (1-based) and of the DoctoRelacionado inside it (1-based). */
  pago_index: number;
  docto_index: number;
  /** IdDocumento in upper case: the invoice paid. Null when the file omits it (not schema-valid). */
  invoice_id: string | null;
  payment_date: string;
  customer_id: string;
  /** The Pago's currency and the Monto of the whole Pago (shared by its DoctoRelacionado lines). */
  payment_currency: string;
  payment_exchange_rate: string | null;
  payment_total: string;
  payment_form: string | null;
  /** MonedaDR: the invoice's currency; ImpPagado, ImpSaldoAnt and ImpSaldoInsoluto are written in it. */
  document_currency: string;
  /** ImpPagado, in the document's currency. */
  amount: string;
  /**
   * ImpPagado / EquivalenciaDR at scale 6 (Pagos 2.0), or the Pagos 1.0 equivalent with TipoCambioDR:
   * the part of the Pago's Monto this line consumed, in the payment's currency.
   */
  amount_payment_currency: string;
  /** EquivalenciaDR (2.0) or TipoCambioDR (1.0): document-currency units per payment-currency unit; null when 1. */
  document_rate: string | null;
  installment: number | null;
  balance_before: string | null;
  balance_after: string | null;
  issuer_rfc: string;
  version: CfdiVersion;
  pagos_version: '1.0' | '2.0';
}

export type CfdiRecord = CfdiInvoice | CfdiCreditNote | CfdiPayment;

/** Everything read from one file. */
export interface CfdiDocument {
  file: string;
  version: CfdiVersion;
  kind: CfdiKind;
  /** TimbreFiscalDigital UUID in upper case, or null. */
  uuid: string | null;
  issuer_rfc: string;
  receiver_rfc: string;
  /** The receiver as a customer: its RFC, or for the generic foreign RFC the customer abroad (see `customerKey`). */
  customer_id: string;
  /** The date part of the Comprobante's Fecha: when it was issued (a complement's deadline counts on it). */
  issued_date: string | null;
  records: CfdiRecord[];
  /** The line of each record's element in the file (the Comprobante, or the DoctoRelacionado of a payment). */
  lines: number[];
  /** Things a reader should know but that do not stop the load, e.g. "no TimbreFiscalDigital". */
  notes: string[];
}

export type CfdiErrorCode = 'malformed-xml' | 'not-cfdi' | 'unsupported-version' | 'missing-value' | 'invalid-value';

/** A file that cannot be read as a CFDI; names the file and, where it helps, the element. */
export class CfdiError extends Error {
  constructor(
    readonly code: CfdiErrorCode,
    readonly file: string,
    readonly element: string | null,
    detail: string,
  ) {
    super(`${file}${element ? ` <${element}>` : ''}: ${detail}`);
    this.name = 'CfdiError';
  }
}

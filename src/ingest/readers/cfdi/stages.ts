/**
 * CFDI records as stages for `loadStage`, the same route every other reader takes: text columns
 * named after the XML attributes they come from (so a rejected value names its attribute), the
 * mapping and formats given rather than guessed. Attributes with no canonical field (MetodoPago,
 * NumParcialidad, ImpSaldoInsoluto...) land in `extra`.
 */
import type { Warehouse } from '../../../db/warehouse.ts';
import type { EntityName } from '../../../canonical/entities.ts';
import type { ColumnMapping } from '../../mapping.ts';
import type { ColumnFormat } from '../../value-formats.ts';
import { StageWriter } from '../ndjson-stage.ts';
import type { Stage } from '../stage.ts';
import { termsDays } from './terms.ts';
import type { CfdiCreditNote, CfdiInvoice, CfdiPayment } from './types.ts';
import type { SatMetadataRow } from './metadata.ts';

export type Cells = Record<string, string | number | null>;

/** Where each invoice's due date came from, for the load's notes. */
export type DueDateSource = 'CondicionesDePago' | '--terms' | 'none';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The rows of one stage, written as they come (a load of 100,000 CFDIs is one stage per entity, not
 * 100,000). Rows of the same kind have the same cells, so the first row's names are the columns.
 */
export class CfdiRows {
  private writer?: StageWriter;
  private headers: string[] = [];
  count = 0;

  constructor(readonly entity: EntityName, readonly mapping: ColumnMapping) {}

  add(line: number, cells: Cells): void {
    if (!this.writer) {
      this.headers = Object.keys(cells);
      this.writer = new StageWriter(this.headers);
    }
    this.count++;
    this.writer.add({ line, cells: this.headers.map((h) => (cells[h] === null || cells[h] === undefined ? null : String(cells[h]))) });
  }

  /** The stage of the rows added; `origin` names the columns that hold each row's own file and line, when they are not the stage's. */
  async stage(wh: Warehouse, extras: { notes?: string[]; afterLoad?: Stage['afterLoad']; origin?: Stage['origin'] } = {}): Promise<Stage> {
    // A metadata file with nothing cancelled still loads, as an empty batch, so loading it again is skipped.
    const writer = this.writer ?? new StageWriter((this.headers = Object.values(this.mapping)));
    const table = await writer.finish(wh);
    const formats: Record<string, ColumnFormat> = {};
    for (const [col, t] of Object.entries(TYPES)) if (this.headers.includes(col)) formats[col] = t === 'date' ? { date: 'iso' } : { number: 'dot' };
    const present = Object.fromEntries(Object.entries(this.mapping).filter(([, col]) => this.headers.includes(col)));
    return {
      source: table,
      table,
      headers: this.headers,
      lineExpr: '__line',
      lineKind: 'line',
      format: 'cfdi',
      malformed: [],
      notes: extras.notes ?? [],
      dialect: {},
      known: { entity: this.entity, mapping: present, formats },
      afterLoad: extras.afterLoad,
      origin: extras.origin,
    };
  }
}

const DATES = { Fecha: 'date', Vencimiento: 'date', FechaPago: 'date', FechaCancelacion: 'date' } as const;
const NUMBERS = { Total: 'number', ImpPagado: 'number', Monto: 'number' } as const;
const TYPES: Record<string, 'date' | 'number'> = { ...DATES, ...NUMBERS, 'Pagada al emitir (PUE)': 'number', 'Fecha (PUE)': 'date' };

/** What an Ingreso and an Egreso map alike. */
const DOCUMENT_MAPPING: ColumnMapping = {
  invoice_id: 'UUID',
  invoice_date: 'Fecha',
  customer_id: 'Receptor Rfc',
  customer_name: 'Receptor Nombre',
  amount: 'Total',
  currency: 'Moneda',
  document_type: 'TipoDeComprobante',
};

export const INVOICE_MAPPING: ColumnMapping = {
  ...DOCUMENT_MAPPING,
  reference: 'Serie+Folio',
  due_date: 'Vencimiento',
  payment_terms_days: 'Plazo (dias)',
  paid_date: 'Fecha (PUE)',
  paid_amount: 'Pagada al emitir (PUE)',
};

export const CREDIT_NOTE_MAPPING: ColumnMapping = {
  ...DOCUMENT_MAPPING,
  reference: 'CfdiRelacionado UUID',
  description: 'Serie+Folio',
};

export const PAYMENT_MAPPING: ColumnMapping = {
  payment_id: 'IdPago',
  customer_id: 'Receptor Rfc',
  invoice_id: 'IdDocumento',
  payment_date: 'FechaPago',
  amount: 'ImpPagado',
  currency: 'MonedaDR',
  method: 'FormaDePagoP',
  reference: 'UUID',
};

export const CUSTOMER_MAPPING: ColumnMapping = { customer_id: 'Receptor Rfc', name: 'Receptor Nombre', tax_id: 'Receptor Rfc' };

/** An Ingreso's row, with its due date from CondicionesDePago's days, else `terms`; PUE is paid in full at issue. */
export function invoiceRow(r: CfdiInvoice, terms: number | undefined): { cells: Cells; dueFrom: DueDateSource } {
  const stated = termsDays(r.payment_terms);
  const days = stated ?? terms;
  const dueFrom: DueDateSource = stated !== undefined ? 'CondicionesDePago' : terms !== undefined ? '--terms' : 'none';
  const pue = r.payment_method === 'PUE';
  return {
    dueFrom,
    cells: {
      UUID: r.invoice_id,
      'Serie+Folio': r.reference,
      Fecha: r.invoice_date,
      'Receptor Rfc': r.customer_id,
      'Receptor Nombre': r.customer_name,
      Total: r.amount,
      Moneda: r.currency,
      TipoDeComprobante: 'invoice',
      Vencimiento: days === undefined ? null : addDays(r.invoice_date, days),
      'Plazo (dias)': days ?? null,
      'Fecha (PUE)': pue ? r.invoice_date : null,
      'Pagada al emitir (PUE)': pue ? r.amount : null,
      TipoCambio: r.exchange_rate,
      MetodoPago: r.payment_method,
      FormaPago: r.payment_form,
      CondicionesDePago: r.payment_terms,
      due_date_source: dueFrom,
      'Emisor Rfc': r.issuer_rfc,
      Version: r.version,
    },
  };
}

/** An Egreso's row: applied to the first invoice its CfdiRelacionados name with TipoRelacion 01, else unapplied. */
export function creditNoteRow(r: CfdiCreditNote): { cells: Cells; notes: string[] } {
  const applied = r.related.filter((x) => x.relation_type === '01');
  const notes: string[] = [];
  if (applied.length > 1) notes.push(`credit note names ${applied.length} invoices (TipoRelacion 01): applied to the first, ${applied[0].uuid}; the others are kept in extra`);
  if (r.related.length && !applied.length) notes.push(`credit note's CfdiRelacionados are not TipoRelacion 01 (${[...new Set(r.related.map((x) => x.relation_type))].join(', ')}): unapplied`);
  return {
    notes,
    cells: {
      UUID: r.credit_note_id,
      'CfdiRelacionado UUID': applied[0]?.uuid ?? null,
      Fecha: r.credit_note_date,
      'Receptor Rfc': r.customer_id,
      'Receptor Nombre': r.customer_name,
      Total: r.amount,
      Moneda: r.currency,
      TipoDeComprobante: 'credit_note',
      'Serie+Folio': r.reference,
      TipoCambio: r.exchange_rate,
      CfdiRelacionados: r.related.length ? r.related.map((x) => `${x.relation_type}:${x.uuid}`).join(' ') : null,
      'Emisor Rfc': r.issuer_rfc,
      Version: r.version,
    },
  };
}

/** One DoctoRelacionado as a payment in the document's currency; the Pago's own currency and amount go to extra. */
export function paymentRow(r: CfdiPayment, issued: string | null): Cells {
  return {
    'Fecha (complemento)': issued,
    IdPago: r.payment_cfdi_id ? `${r.payment_cfdi_id}/${r.pago_index}/${r.docto_index}` : null,
    'Receptor Rfc': r.customer_id,
    IdDocumento: r.invoice_id,
    FechaPago: r.payment_date,
    ImpPagado: r.amount,
    MonedaDR: r.document_currency,
    FormaDePagoP: r.payment_form,
    UUID: r.payment_cfdi_id,
    NumParcialidad: r.installment,
    ImpSaldoAnt: r.balance_before,
    ImpSaldoInsoluto: r.balance_after,
    EquivalenciaDR: r.document_rate,
    MonedaP: r.payment_currency,
    TipoCambioP: r.payment_exchange_rate,
    Monto: r.payment_total,
    'ImpPagado/EquivalenciaDR': r.amount_payment_currency,
    'Pagos version': r.pagos_version,
    'Emisor Rfc': r.issuer_rfc,
    Version: r.version,
  };
}

/** The mapping of a cancellation: a credit note for the whole invoice, dated when the SAT cancelled it. */
export const CANCELLATION_MAPPING: ColumnMapping = {
  invoice_id: 'Cancelacion',
  reference: 'Uuid',
  invoice_date: 'FechaCancelacion',
  customer_id: 'RfcReceptor',
  customer_name: 'NombreReceptor',
  amount: 'Monto',
  currency: 'Moneda',
  document_type: 'TipoDeComprobante',
  description: 'Estatus',
};

/**
 * A cancelled invoice's row: a credit note for what the invoice was issued for (its loaded amount,
 * currency and customer when known, else the metadata's Monto and RfcReceptor), so it leaves
 * receivables on its cancellation date. The customer is the invoice's: a foreign customer's
 * metadata row names only the generic RFC.
 */
export function cancellationRow(m: SatMetadataRow, invoice: { amount: string; currency: string; customer_id: string } | undefined): Cells {
  return {
    Cancelacion: `${m.uuid}/cancelacion`,
    Uuid: m.uuid,
    FechaCancelacion: m.cancelled_date,
    RfcReceptor: invoice?.customer_id ?? m.receiver_rfc,
    NombreReceptor: m.receiver_name,
    Monto: invoice?.amount ?? m.amount,
    Moneda: invoice?.currency ?? null,
    TipoDeComprobante: 'credit_note',
    Estatus: 'CFDI cancelado (SAT metadata)',
    'Monto (metadata)': m.amount,
    RfcEmisor: m.issuer_rfc,
    FechaEmision: m.issued_date,
  };
}

/**
 * A ledger's invoices and notes as CFDI 4.0: an invoice is an Ingreso paid later (PPD) whose
 * CondicionesDePago state its days of credit, a debit note an Ingreso related to its invoice
 * (TipoRelacion 02), a credit note an Egreso applied to its invoice (TipoRelacion 01).
 */
import type { DayFormats } from '../days.ts';
import type { DocumentRow } from '../ledger-types.ts';
import { centsCanonical } from '../money.ts';
import { splitIva } from './vat.ts';
import { comprobante, conceptosConIva, emisor, receptor, timbre, type Receptor } from './comprobante.ts';
import type { CfdiRates } from './exchange.ts';
import { el, xmlDocument, type XmlNode } from './xml.ts';

/** What a document CFDI needs besides the ledger row. */
export interface DocumentContext {
  receptor: Receptor;
  days: DayFormats;
  rates: CfdiRates;
  /** The stamp UUID of a ledger id (the document itself, or the invoice it relates to). */
  uuidOf: (id: string) => string;
}

/** The days of credit as CondicionesDePago states them, e.g. 'CREDITO 30 DIAS'. */
export function creditTerms(days: number): string {
  return `CREDITO ${days} DIAS`;
}

function related(tipo: string, uuid: string): XmlNode {
  return el('cfdi:CfdiRelacionados', { TipoRelacion: tipo }, [el('cfdi:CfdiRelacionado', { UUID: uuid })]);
}

/** An invoice or debit note as an Ingreso. */
export function ingresoXml(d: DocumentRow, x: DocumentContext): string {
  const fecha = `${x.days.isoText(d.date)}T12:00:00`;
  const amount = centsCanonical(d.cents);
  const children = [
    ...(d.kind === 'debit_note' ? [related('02', x.uuidOf(d.reference))] : []),
    emisor(),
    receptor(x.receptor, 'G03'),
    ...conceptosConIva(d.description, d.cents, '01010101', 'E48'),
    el('cfdi:Complemento', {}, [timbre(x.uuidOf(d.id), fecha)]),
  ];
  const attrs = {
    FormaPago: '99',
    CondicionesDePago: creditTerms(d.due - d.date),
    SubTotal: centsCanonical(splitIva(d.cents).base),
    Moneda: d.currency,
    TipoCambio: x.rates.tipoCambio(d.currency, d.date),
    Total: amount,
    TipoDeComprobante: 'I',
    MetodoPago: 'PPD',
  };
  return xmlDocument(comprobante(d.id, fecha, attrs, children));
}

/** A credit note as an Egreso applied to the invoice it credits. */
export function egresoXml(d: DocumentRow, x: DocumentContext): string {
  const fecha = `${x.days.isoText(d.date)}T12:00:00`;
  const amount = centsCanonical(d.cents);
  const children = [
    related('01', x.uuidOf(d.reference)),
    emisor(),
    receptor(x.receptor, 'G02'),
    ...conceptosConIva(d.description, d.cents, '84111506', 'ACT'),
    el('cfdi:Complemento', {}, [timbre(x.uuidOf(d.id), fecha)]),
  ];
  // Credited against the invoice's balance: FormaPago 17 (compensación), settled at issue.
  const attrs = {
    FormaPago: '17',
    SubTotal: centsCanonical(splitIva(d.cents).base),
    Moneda: d.currency,
    TipoCambio: x.rates.tipoCambio(d.currency, d.date),
    Total: amount,
    TipoDeComprobante: 'E',
    MetodoPago: 'PUE',
  };
  return xmlDocument(comprobante(d.id, fecha, attrs, children));
}

/**
 * Rows as a Mexican ERP (CONTPAQi-like) exports them: ';' separated, decimal comma with '.'
 * thousands, DD/MM/YYYY dates, Spanish labels. The caller encodes the text as windows-1252.
 * Credit notes keep a positive amount: the type column says what they are.
 */
import { DOC_TYPE_ES, PAYMENT_METHOD_ES, STATUS_ES } from './catalog.ts';
import type { DayFormats } from './days.ts';
import type { DocumentRow, PaymentRow } from './ledger-types.ts';
import { centsSpanish } from './money.ts';

export const HEADERS_ES = {
  facturas: 'Folio;Cliente;Fecha de emisión;Vencimiento;Importe;Moneda;Tipo;Estatus;Disputa;Referencia;Concepto',
  pagos: 'Folio Pago;Cliente;Factura;Fecha de pago;Importe;Moneda;Forma de pago;Referencia',
} as const;

function field(text: string): string {
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function facturaLine(customerId: string, d: DocumentRow, days: DayFormats): string {
  return `${d.id};${customerId};${days.dmyText(d.date)};${days.dmyText(d.due)};${centsSpanish(d.cents)};${d.currency};${DOC_TYPE_ES[d.kind]};${STATUS_ES[d.status]};${d.disputed ? 'Sí' : 'No'};${d.reference};${field(d.description)}\r\n`;
}

export function pagoLine(customerId: string, p: PaymentRow, days: DayFormats): string {
  return `${p.id};${customerId};${p.invoiceId};${days.dmyText(p.date)};${centsSpanish(p.cents)};${p.currency};${PAYMENT_METHOD_ES[p.method]};${field(p.reference)}\r\n`;
}

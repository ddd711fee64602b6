/**
 * Read one CFDI file's text into canonical records: an invoice (Ingreso), a credit note (Egreso)
 * or one payment per DoctoRelacionado (Pago). Pure: no files, no warehouse.
 *
 * @example
 * const doc = parseCfdi(await readFile(path, 'utf8'), path);
 * if (doc.kind === 'ingreso') console.log(doc.records[0]); // { record: 'invoice', invoice_id: 'CEE4…', amount: '2010.01', … }
 */
import { readComprobante } from './comprobante.ts';
import { readEgreso } from './egreso.ts';
import { readIngreso } from './ingreso.ts';
import { readPago } from './pago.ts';
import { readXmlTree } from './xml-tree.ts';
import type { CfdiDocument, CfdiKind } from './types.ts';

const KINDS: Record<string, CfdiKind> = { I: 'ingreso', E: 'egreso', P: 'pago' };

/** Parse one CFDI; throws CfdiError for malformed XML, a non-CFDI, an unsupported version or a bad value. */
export function parseCfdi(text: string, file: string): CfdiDocument {
  const c = readComprobante(readXmlTree(text, file), file);
  const tipo = c.root.attrs.TipoDeComprobante ?? '';
  const kind = KINDS[tipo] ?? 'other';
  const lines: number[] = [];
  const records = kind === 'ingreso' ? [readIngreso(c)] : kind === 'egreso' ? [readEgreso(c)] : kind === 'pago' ? readPago(c, lines) : [];
  if (kind === 'ingreso' || kind === 'egreso') lines.push(c.root.line);
  if (kind === 'other') c.notes.push(`TipoDeComprobante "${tipo}" is not a receivable: skipped`);
  return { file, version: c.version, kind, uuid: c.uuid, issuer_rfc: c.issuerRfc, receiver_rfc: c.receiverRfc, customer_id: c.customerId, issued_date: /^\d{4}-\d{2}-\d{2}/.exec(c.root.attrs.Fecha ?? '')?.[0] ?? null, records, lines, notes: c.notes };
}

export { CfdiError } from './types.ts';
export type * from './types.ts';

/** An Egreso CFDI as one credit note, with the invoices it names. */
import { dec, datePart, optDec, reference, req, type Comprobante } from './comprobante.ts';
import { childrenOf } from './xml-tree.ts';
import type { CfdiCreditNote } from './types.ts';

export function readEgreso(c: Comprobante): CfdiCreditNote {
  const r = c.root;
  // 3.3 allows one CfdiRelacionados group, 4.0 several, each with its own TipoRelacion.
  const related = childrenOf(r, c.ns, 'CfdiRelacionados').flatMap((group) => {
    const relation_type = req(c, group, 'TipoRelacion');
    return childrenOf(group, c.ns, 'CfdiRelacionado').map((rel) => ({ uuid: req(c, rel, 'UUID').toUpperCase(), relation_type }));
  });
  if (related.length === 0) c.notes.push('credit note names no related CFDI: unapplied');
  return {
    record: 'credit_note',
    credit_note_id: c.uuid,
    reference: reference(r),
    credit_note_date: datePart(c, r, 'Fecha'),
    customer_id: c.customerId,
    customer_name: c.receiverName,
    amount: dec(c, r, 'Total'),
    currency: req(c, r, 'Moneda'),
    exchange_rate: optDec(c, r, 'TipoCambio'),
    related,
    issuer_rfc: c.issuerRfc,
    version: c.version,
  };
}

/**
 * What every CFDI shares: its namespace and version, the issuer and receiver, the stamp, and
 * attribute readers that fail with the file and element named.
 */
import { isDecimal } from './decimal.ts';
import { childOf, childrenOf, type XmlElement } from './xml-tree.ts';
import { CfdiError, type CfdiVersion } from './types.ts';

export const NS = {
  cfdi33: 'http://www.sat.gob.mx/cfd/3',
  cfdi40: 'http://www.sat.gob.mx/cfd/4',
  tfd: 'http://www.sat.gob.mx/TimbreFiscalDigital',
  pagos10: 'http://www.sat.gob.mx/Pagos',
  pagos20: 'http://www.sat.gob.mx/Pagos20',
} as const;

/** The parts of a Comprobante the kind readers build on. */
export interface Comprobante {
  file: string;
  root: XmlElement;
  /** The cfdi namespace of this version, for finding children. */
  ns: string;
  version: CfdiVersion;
  uuid: string | null;
  issuerRfc: string;
  receiverRfc: string;
  receiverName: string | null;
  /** The receiver as a customer: its RFC, or for the generic foreign RFC the customer abroad it stands for (see `customerKey`). */
  customerId: string;
  notes: string[];
}

/** The SAT's generic RFC for foreign receivers: every customer abroad is invoiced under it. */
export const FOREIGN_RFC = 'XEXX010101000';

/**
 * The customer a Receptor names. An RFC is one taxpayer, except the generic foreign RFC, shared by
 * every customer abroad: those are told apart by their tax id abroad (NumRegIdTrib) in their country
 * (ResidenciaFiscal), as `XEXX010101000-USA-123456789`, or by name when the CFDI gives no tax id.
 * The generic national RFC XAXX010101000 (público en general) stays one customer: it names sales to
 * anonymous buyers, whom nothing in the CFDI tells apart.
 *
 * @example
 * customerKey('XEXX010101000', { ResidenciaFiscal: 'USA', NumRegIdTrib: '123456789' }) // 'XEXX010101000-USA-123456789'
 */
export function customerKey(rfc: string, receptor: Record<string, string>): string {
  if (rfc.toUpperCase() !== FOREIGN_RFC) return rfc;
  const clean = (v: string | undefined) => v?.trim().replace(/\s+/g, ' ').toUpperCase() || null;
  const country = clean(receptor.ResidenciaFiscal);
  const id = clean(receptor.NumRegIdTrib) ?? clean(receptor.Nombre);
  return id === null ? rfc : [FOREIGN_RFC, country, id].filter((x) => x !== null).join('-');
}

/** An attribute that must be present and non-empty. */
export function req(c: { file: string }, el: XmlElement, name: string): string {
  const v = el.attrs[name];
  if (v === undefined || v.trim() === '') throw new CfdiError('missing-value', c.file, el.name, `missing ${name}`);
  return v.trim();
}

/** An optional attribute; empty counts as absent. */
export function opt(el: XmlElement, name: string): string | null {
  const v = el.attrs[name]?.trim();
  return v ? v : null;
}

/** A required decimal attribute, kept as the exact string written. */
export function dec(c: { file: string }, el: XmlElement, name: string): string {
  const v = req(c, el, name);
  if (!isDecimal(v)) throw new CfdiError('invalid-value', c.file, el.name, `${name}="${v}" is not a decimal`);
  return v;
}

export function optDec(c: { file: string }, el: XmlElement, name: string): string | null {
  return opt(el, name) === null ? null : dec(c, el, name);
}

/** The date part of an ISO date-time (Fecha, FechaPago). */
export function datePart(c: { file: string }, el: XmlElement, name: string): string {
  const v = req(c, el, name);
  const m = /^(\d{4}-\d{2}-\d{2})(T|$)/.exec(v);
  if (!m) throw new CfdiError('invalid-value', c.file, el.name, `${name}="${v}" is not a date`);
  return m[1];
}

/** A child that must exist. */
export function need(c: { file: string; ns: string }, el: XmlElement, local: string, uri = c.ns): XmlElement {
  const found = childOf(el, uri, local);
  if (!found) throw new CfdiError('missing-value', c.file, el.name, `no ${local} element`);
  return found;
}

/** Serie + Folio as one reference; either may be absent. */
export function reference(el: XmlElement): string | null {
  const r = `${opt(el, 'Serie') ?? ''}${opt(el, 'Folio') ?? ''}`;
  return r || null;
}

/** Check the root is a CFDI 3.3 or 4.0 Comprobante and read what all kinds share. */
export function readComprobante(root: XmlElement, file: string): Comprobante {
  if (root.local !== 'Comprobante' || (root.uri !== NS.cfdi33 && root.uri !== NS.cfdi40)) {
    throw new CfdiError('not-cfdi', file, root.name, `not a CFDI: the root element is <${root.name}>${root.uri ? ` in ${root.uri}` : ''}, not cfdi:Comprobante`);
  }
  const version = root.attrs.Version ?? root.attrs.version ?? '';
  const expected = root.uri === NS.cfdi33 ? '3.3' : '4.0';
  if (version !== expected) {
    throw new CfdiError('unsupported-version', file, root.name, `unsupported CFDI version "${version}" (3.3 and 4.0 are read)`);
  }
  const base = { file, root, ns: root.uri, version: expected as CfdiVersion, notes: [] as string[] };
  const emisor = need(base, root, 'Emisor');
  const receptor = need(base, root, 'Receptor');
  const stamps = childrenOf(root, root.uri, 'Complemento').flatMap((k) => childrenOf(k, NS.tfd, 'TimbreFiscalDigital'));
  let uuid: string | null = null;
  if (stamps.length === 0) base.notes.push('no TimbreFiscalDigital: the file was never stamped, so it has no UUID');
  else uuid = req(base, stamps[0], 'UUID').toUpperCase();
  const issuerRfc = req(base, emisor, 'Rfc');
  const receiverRfc = req(base, receptor, 'Rfc');
  return {
    ...base,
    uuid,
    issuerRfc,
    receiverRfc,
    receiverName: opt(receptor, 'Nombre'),
    customerId: customerKey(receiverRfc, receptor.attrs),
  };
}

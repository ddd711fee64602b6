/**
 * The SAT's bulk-download metadata file ("Descarga Masiva", one `~`-separated line per CFDI issued
 * or received): which CFDIs exist, and which were cancelled and when. Pure: text in, rows out.
 *
 * @example
 * const rows = parseSatMetadata(text, 'metadata.txt');
 * rows.filter((r) => r.cancelled_date) // [{ uuid: 'E7215E3B-…', status: '0', cancelled_date: '2024-07-10', … }]
 */
import { isDecimal } from './decimal.ts';
import { CfdiError } from './types.ts';

/** The columns of the SAT layout, in order; the first two identify the file by content. */
export const SAT_METADATA_COLUMNS = [
  'Uuid', 'RfcEmisor', 'NombreEmisor', 'RfcReceptor', 'NombreReceptor', 'RfcPac',
  'FechaEmision', 'FechaCertificacionSat', 'Monto', 'EfectoComprobante', 'Estatus', 'FechaCancelacion',
] as const;

/** Whether a file's first bytes are the SAT metadata header. */
export function isSatMetadataHead(head: Buffer | string): boolean {
  return head.toString().replace(/^\uFEFF/, '').startsWith('Uuid~RfcEmisor~');
}

export interface SatMetadataRow {
  /** The file's own line (header = line 1). */
  line: number;
  uuid: string;
  issuer_rfc: string;
  receiver_rfc: string;
  receiver_name: string | null;
  issued_date: string;
  amount: string;
  /** EfectoComprobante: I (ingreso), E (egreso), P (pago), T, N. */
  kind: string;
  /** Estatus: 1 vigente (in force), 0 cancelado. */
  status: '0' | '1';
  /** The date part of FechaCancelacion, for a cancelled CFDI. */
  cancelled_date: string | null;
}

/** Rows of a SAT metadata file; any row that does not fit the layout stops the file, naming its line. */
export function parseSatMetadata(text: string, file: string): SatMetadataRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0].split('~');
  const col = Object.fromEntries(SAT_METADATA_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof SAT_METADATA_COLUMNS)[number], number>;
  const absent = SAT_METADATA_COLUMNS.filter((c) => col[c] < 0);
  if (absent.length) throw new CfdiError('not-cfdi', file, null, `not a SAT metadata file: the header lacks ${absent.join(', ')}`);
  const rows: SatMetadataRow[] = [];
  lines.forEach((raw, i) => {
    if (i === 0 || raw.trim() === '') return;
    const line = i + 1;
    const cells = raw.split('~');
    const bad = (detail: string) => new CfdiError('invalid-value', `${file}:${line}`, null, detail);
    if (cells.length !== header.length) throw bad(`${cells.length} fields where the header has ${header.length}`);
    const get = (c: (typeof SAT_METADATA_COLUMNS)[number]) => cells[col[c]].trim();
    const date = (c: (typeof SAT_METADATA_COLUMNS)[number]) => {
      const m = /^(\d{4}-\d{2}-\d{2})([ T]|$)/.exec(get(c));
      if (!m) throw bad(`${c} "${get(c)}" is not a date`);
      return m[1];
    };
    const status = get('Estatus');
    if (status !== '0' && status !== '1') throw bad(`Estatus "${status}" is neither 1 (vigente) nor 0 (cancelado)`);
    if (!isDecimal(get('Monto'))) throw bad(`Monto "${get('Monto')}" is not a decimal`);
    if (!get('Uuid')) throw bad('no Uuid');
    if (status === '0' && !get('FechaCancelacion')) throw bad('Estatus 0 (cancelado) without a FechaCancelacion');
    rows.push({
      line,
      uuid: get('Uuid').toUpperCase(),
      issuer_rfc: get('RfcEmisor'),
      receiver_rfc: get('RfcReceptor'),
      receiver_name: get('NombreReceptor') || null,
      issued_date: date('FechaEmision'),
      amount: get('Monto'),
      kind: get('EfectoComprobante'),
      status,
      cancelled_date: status === '0' ? date('FechaCancelacion') : null,
    });
  });
  return rows;
}

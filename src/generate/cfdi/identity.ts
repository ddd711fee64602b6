/**
 * Who the demo's CFDIs name: the company that issues them, each customer's RFC as receptor, and
 * the stamp's UUID. All derived from the seed and the ledger's ids, so the same run writes the same files.
 */
import { createHash } from 'node:crypto';
import { LEGAL_SUFFIX } from '../catalog.ts';
import type { Customer } from '../customers.ts';

/** The demo company: issuer of every Ingreso, Egreso and Pago. */
export const COMPANY = { rfc: 'CDE150301AB1', name: 'CARTERA DEMOSTRACION', regimen: '601', postalCode: '06600' } as const;

/** The SAT's own RFC, as the stamp's certifying provider (RfcProvCertif). */
export const PAC_RFC = 'SAT970701NN3';

/** The shape tdCFDI:t_RFC requires. */
const RFC_SHAPE = /^[A-Z&Ñ]{3,4}[0-9]{2}(0[1-9]|1[012])(0[1-9]|[12][0-9]|3[01])[A-Z0-9]{2}[0-9A]$/;

/**
 * The customer's RFC: its tax id when it is one (Mexican customers), else an RFC-shaped id derived
 * from its customer id. A real foreign receptor is written as XEXX010101000 with its own tax id in
 * NumRegIdTrib, but the CFDI reader keys customers on the receptor's RFC, so the demo gives each
 * foreign customer an RFC of its own to keep them apart.
 *
 * @example receptorRfc({ id: 'C00012', taxId: '12-3456789' }) === 'EXT000102122'
 */
export function receptorRfc(c: Pick<Customer, 'id' | 'taxId'>): string {
  if (RFC_SHAPE.test(c.taxId)) return c.taxId;
  const n = Number(c.id.replace(/\D/g, '')) || 0;
  const month = String((n % 12) + 1).padStart(2, '0');
  const day = String((Math.floor(n / 12) % 28) + 1).padStart(2, '0');
  const year = String(Math.floor(n / 336) % 100).padStart(2, '0');
  return `EXT${year}${month}${day}${c.id.slice(-2).padStart(2, '0')}${n % 10}`;
}

/**
 * The receptor's Nombre as CFDI 4.0 wants it: the name on the tax certificate, in capitals and
 * without the company type ('S.A. de C.V.', 'Inc.', ...).
 *
 * @example receptorName({ name: 'Grupo Andino S.A. de C.V.', country: 'MX' }) === 'GRUPO ANDINO'
 */
export function receptorName(c: Pick<Customer, 'name' | 'country'>): string {
  const suffix = LEGAL_SUFFIX[c.country];
  const name = suffix && c.name.endsWith(` ${suffix}`) ? c.name.slice(0, -suffix.length - 1) : c.name;
  return name.toUpperCase();
}

/** The TimbreFiscalDigital UUID of a ledger document or receipt, upper case, from the seed and its id. */
export function stampUuid(seed: number, id: string): string {
  const h = createHash('sha256').update(`cartera-cfdi:${seed}:${id}`).digest('hex').toUpperCase();
  // Version 4 and RFC 4122 variant nibbles, so the UUID reads as a well-formed one.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89AB'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

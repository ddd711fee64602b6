/**
 * Who the demo's CFDIs name: the company that issues them, each customer as receptor, and the
 * stamp's UUID. All derived from the seed and the ledger's ids, so the same run writes the same files.
 */
import { createHash } from 'node:crypto';
import { LEGAL_SUFFIX } from '../catalog.ts';
import type { Customer } from '../customers.ts';
import type { Receptor } from './comprobante.ts';

/** The demo company: issuer of every Ingreso, Egreso and Pago. */
export const COMPANY = { rfc: 'CDE150301AB1', name: 'CARTERA DEMOSTRACION', regimen: '601', postalCode: '06600' } as const;

/** The SAT's own RFC, as the stamp's certifying provider (RfcProvCertif). */
export const PAC_RFC = 'SAT970701NN3';

/** The SAT's generic RFC for a receptor abroad: its own tax id goes in NumRegIdTrib, its country in ResidenciaFiscal. */
const FOREIGN_RFC = 'XEXX010101000';

/** ResidenciaFiscal (ISO 3166-1 alpha-3, the SAT's c_Pais) of the demo's countries abroad. */
const RESIDENCIA: Record<string, string> = { US: 'USA', CO: 'COL', CL: 'CHL' };

/**
 * Who the CFDIs name as receptor: a Mexican customer by its RFC (its tax id), a customer abroad by the
 * generic RFC with its country and its tax id there (NumRegIdTrib: letters and digits, without the
 * dots and dashes it is printed with; nine digits for the United States, the SAT's format there).
 * CFDI 4.0 wants regime 616 and the issuer's postal code (LugarExpedicion) for a receptor abroad.
 *
 * @example receptorOf({ index: 3, name: 'Grupo Andino Inc.', country: 'US', taxId: '12-3456789' })
 *   // { rfc: 'XEXX010101000', name: 'GRUPO ANDINO', postalCode: '06600', regimen: '616', abroad: { residenciaFiscal: 'USA', numRegIdTrib: '123456789' } }
 */
export function receptorOf(c: Pick<Customer, 'index' | 'name' | 'country' | 'taxId'>): Receptor {
  const name = receptorName(c);
  if (c.country === 'MX') return { rfc: c.taxId, name, postalCode: postalCode(c.index), regimen: '601' };
  const residenciaFiscal = RESIDENCIA[c.country];
  if (!residenciaFiscal) throw new Error(`no ResidenciaFiscal for country ${c.country}`);
  const abroad = { residenciaFiscal, numRegIdTrib: c.taxId.replace(/[^0-9A-Z]/gi, '').toUpperCase() };
  return { rfc: FOREIGN_RFC, name, postalCode: COMPANY.postalCode, regimen: '616', abroad };
}

/** A Mexican customer's fiscal address postal code, from its index (any five digits pass the stand-in catalogue). */
function postalCode(index: number): string {
  return String(10_000 + ((index * 7919) % 89_999)).padStart(5, '0');
}

/**
 * The receptor's Nombre as CFDI 4.0 wants it: the name on the tax certificate, in capitals and
 * without the company type ('S.A. de C.V.', 'Inc.', ...).
 *
 * @example receptorName({ name: 'Grupo Andino S.A. de C.V.', country: 'MX' }) === 'GRUPO ANDINO'
 */
function receptorName(c: Pick<Customer, 'name' | 'country'>): string {
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

/**
 * IVA (VAT) at 16%, as every demo invoice carries it: the ledger's amount is the total, split into a
 * base and the tax on it, and a payment's share of each follows what it paid.
 */
import { centsCanonical } from '../money.ts';
import { el, type XmlNode } from './xml.ts';

export const IVA_RATE = '0.160000';

/** The base and the tax of a total in cents: the base rounded to cents, the tax what is left. */
export function splitIva(totalCents: number): { base: number; iva: number } {
  const base = Math.round(totalCents / 1.16);
  return { base, iva: totalCents - base };
}

/** One transferred-tax line: Traslado, TrasladoDR or TrasladoP, with its attributes' suffix. */
export function traslado(name: string, suffix: '' | 'DR' | 'P', part: { base: number; iva: number }): XmlNode {
  return el(name, {
    [`Base${suffix}`]: centsCanonical(part.base),
    [`Impuesto${suffix}`]: '002',
    [`TipoFactor${suffix}`]: 'Tasa',
    [`TasaOCuota${suffix}`]: IVA_RATE,
    [`Importe${suffix}`]: centsCanonical(part.iva),
  });
}

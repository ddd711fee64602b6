/**
 * Which entity an export holds and which source column feeds which canonical field, inferred from
 * header names (Spanish and English) and, where headers say nothing, from the file name.
 */
import { ENTITIES, ENTITY_NAMES, normaliseHeader, type EntityName, type EntitySpec } from '../canonical/entities.ts';
import { withStandIns } from './stand-ins.ts';

/** Canonical field -> source column name. */
export type ColumnMapping = Record<string, string>;

export interface EntityGuess {
  entity: EntityName;
  mapping: ColumnMapping;
  score: number;
}

const FILE_HINTS: [EntityName, RegExp][] = [
  ['invoices', /factur|invoice|cartera|receivable|cxc|documentos|antiguedad|aging/i],
  ['payments', /pago|payment|cobro|receipt|recibo|abono/i],
  ['customers', /client|customer|deudor|debtor|partner/i],
  ['disputes', /disput|reclam|controvers/i],
  ['promises_to_pay', /promes|promise/i],
  ['collection_activities', /activit|gestion|contact|bitacora|llamada/i],
  ['fx_rates', /(^|[^a-z])fx|tipo.?de.?cambio|exchange|rates|divisas/i],
];

/**
 * Maps headers onto an entity's fields: exact canonical names first, then synonyms in the order
 * the headers appear. Each field takes at most one column and each column feeds at most one field.
 *
 * @example mapHeaders(['Folio', 'Cliente', 'Fecha de emisión'], ENTITIES.invoices)
 *   // { invoice_id: 'Folio', customer_id: 'Cliente', invoice_date: 'Fecha de emisión' }
 */
export function mapHeaders(headers: string[], entity: EntitySpec): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<string>();
  const norm = headers.map(normaliseHeader);
  // Pass 1: a header that is exactly a canonical field name.
  headers.forEach((h, i) => {
    const field = entity.fields.find((f) => f.name === norm[i]);
    if (field && !mapping[field.name]) {
      mapping[field.name] = h;
      used.add(h);
    }
  });
  // Pass 2: synonyms, preferring the field that lists the synonym earliest (most specific).
  headers.forEach((h, i) => {
    if (used.has(h)) return;
    let best: { field: string; rank: number } | undefined;
    for (const f of entity.fields) {
      if (mapping[f.name]) continue;
      const rank = f.synonyms.indexOf(norm[i]);
      if (rank >= 0 && (!best || rank < best.rank)) best = { field: f.name, rank };
    }
    if (best) {
      mapping[best.field] = h;
      used.add(h);
    }
  });
  return mapping;
}

/** Required fields an entity still lacks under a mapping (invoice ids can be generated, so they never count). */
export function missingRequired(entity: EntitySpec, mapping: ColumnMapping): string[] {
  return entity.fields.filter((f) => f.required && !mapping[f.name]).map((f) => f.name);
}

/**
 * Guesses the entity of a file: every entity whose required fields are all present (or stood in
 * for, see `withStandIns`) competes; the one mapping the most columns wins, with the file name
 * breaking near-ties.
 */
export function guessEntity(headers: string[], fileName: string): EntityGuess | undefined {
  const guesses: EntityGuess[] = [];
  for (const name of ENTITY_NAMES) {
    const spec = ENTITIES[name];
    const mapping = withStandIns(spec, mapHeaders(headers, spec));
    if (missingRequired(spec, mapping).length) continue;
    const norm = headers.map(normaliseHeader);
    let score = Object.keys(mapping).length * 10;
    score += spec.signature.filter((s) => norm.includes(s)).length * 3;
    if (mapping[spec.key[0]]) score += 5;
    const hint = FILE_HINTS.find(([e]) => e === name);
    if (hint && hint[1].test(fileName)) score += 15;
    guesses.push({ entity: name, mapping, score });
  }
  guesses.sort((a, b) => b.score - a.score);
  return guesses[0];
}

/** A one-line readable form of a mapping, for the terminal. */
export function describeMapping(mapping: ColumnMapping): string {
  return Object.entries(mapping)
    .map(([field, col]) => (normaliseHeader(col) === field ? field : `${col} -> ${field}`))
    .join(', ');
}

import type { Warehouse } from '../db/warehouse.ts';
import { currentPublication } from '../models/builds-table.ts';
import { RefreshError } from './errors.ts';

/** How far a warehouse has come: nothing loaded, loaded but never built, or published. */
export type Readiness = 'empty' | 'loaded' | 'published';

/** Where the warehouse stands; a warehouse with builds counts as published even if its invoices were since removed. */
export async function readiness(wh: Warehouse): Promise<Readiness> {
  if (await currentPublication(wh)) return 'published';
  if (!(await wh.tableExists('raw_invoices'))) return 'empty';
  const loaded = await wh.scalar<boolean>(`select exists (select 1 from raw_invoices where not coalesce(rejected, false))`);
  return loaded ? 'loaded' : 'empty';
}

/** The one line that says what to run next, for a warehouse that is not published yet. */
export function nextStep(wh: Warehouse, r: Exclude<Readiness, 'published'>): RefreshError {
  return r === 'empty'
    ? new RefreshError(
        `nothing loaded yet: ${wh.path} holds no invoices; load your exports: cartera ingest PATH`,
        `nada cargado todavía: ${wh.path} no tiene facturas; cargue sus exportaciones: cartera ingest RUTA`,
      )
    : new RefreshError('no build yet: run cartera build', 'todavía no hay construcción: ejecute cartera build');
}

/** Throws the next step unless the warehouse holds invoices to build from. */
export async function requireLoaded(wh: Warehouse): Promise<void> {
  const r = await readiness(wh);
  if (r === 'empty') throw nextStep(wh, r);
}

/** Throws the next step unless something is published (marts, and scores once scored). */
export async function requirePublication(wh: Warehouse): Promise<void> {
  const r = await readiness(wh);
  if (r !== 'published') throw nextStep(wh, r);
}

const MISSING_RELATION = /(?:Table|Table Function|Macro Function|Scalar Function) with name \w+ does not exist/;

/**
 * An error that names a missing table, explained: before the first publication the table is a mart
 * no build has made yet, so the answer is the next step (`cartera ingest`, `cartera build`), not
 * DuckDB's guess at a similar name. Any other error comes back as it is.
 */
export async function explainMissing(wh: Warehouse, err: unknown): Promise<unknown> {
  if (!(err instanceof Error) || !MISSING_RELATION.test(err.message)) return err;
  const r = await readiness(wh);
  return r === 'published' ? err : nextStep(wh, r);
}

import { DuckDBTypeId, type DuckDBResultReader } from '@duckdb/node-api';
import type { Params } from '../db/warehouse.ts';
import { placeholders, type Dashboard, type DashboardPanel } from './definition.ts';

/** Runs one bound, read-only query: a pooled API read, or a warehouse of the export command. */
export type Query = (sql: string, params?: Params) => Promise<DuckDBResultReader>;

/** A filter value the dashboard refuses (answered as 400). */
export class FilterError extends Error {}

export interface ResolvedFilters {
  /** The value each filter binds: null when an optional filter is empty. */
  values: Record<string, string | null>;
  /** The allowed values of each select filter. */
  options: Record<string, string[]>;
  /** Why a filter's value is not the one asked for (its `resolve` changed it), in both languages. */
  notes: { filter: string; given: string; used: string; text: { es: string; en: string } }[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

async function firstColumn(query: Query, sql: string): Promise<string[]> {
  const rows = (await query(sql)).getRowsJson() as unknown[][];
  return rows.map((r) => r[0]).filter((v) => v !== null && v !== undefined).map(String);
}

/**
 * Turns the URL's filter values into bound values: empty optional filters become null, missing
 * ones take their default, dates must be real ISO dates and select values one of the options.
 * `forced` overrides a filter (a collector-scoped key's own collector).
 */
export async function resolveFilters(
  d: Dashboard,
  query: Query,
  given: Record<string, string | undefined>,
  forced: Record<string, string> = {},
): Promise<ResolvedFilters> {
  const values: Record<string, string | null> = {};
  const options: Record<string, string[]> = {};
  const notes: ResolvedFilters['notes'] = [];
  for (const f of d.filters) {
    let v: string | null = forced[f.name] ?? given[f.name]?.trim() ?? '';
    if (f.options) options[f.name] = await firstColumn(query, f.options);
    if (v === '' && f.default) v = (await firstColumn(query, f.default))[0] ?? '';
    if (v === '') v = null;
    if (v !== null && f.type === 'date' && !validDate(v)) throw new FilterError(`filter '${f.name}': '${v}' is not a date (YYYY-MM-DD)`);
    if (v !== null && f.type === 'select' && f.options && !options[f.name].includes(v) && forced[f.name] === undefined) {
      throw new FilterError(`filter '${f.name}': '${v.slice(0, 100)}' is not one of its values`);
    }
    if (v !== null && f.resolve) {
      const r = (await query(f.resolve, { value: v })).getRowObjectsJson()[0] as { value: string | null; reason: string | null } | undefined;
      if (r?.value && r.value !== v) {
        const note = (r.reason && f.notes?.[r.reason]) || { es: 'Se muestra {used} en lugar de {given}.', en: 'Showing {used} instead of {given}.' };
        const fill = (s: string) => s.replaceAll('{given}', v!).replaceAll('{used}', r.value!);
        notes.push({ filter: f.name, given: v, used: r.value, text: { es: fill(note.es), en: fill(note.en) } });
        v = r.value;
      }
    }
    values[f.name] = v;
  }
  return { values, options, notes };
}

export interface PanelData {
  columns: string[];
  rows: Record<string, unknown>[];
  /** Set when the mart the panel reads is not in the warehouse yet: the panel says so instead of failing. */
  unavailable?: string;
  elapsed_ms: number;
}

const NUMERIC_TEXT = new Set([DuckDBTypeId.DECIMAL, DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UBIGINT]);

const MISSING = /Table with name (\w+) does not exist|Table Function with name (\w+) does not exist/;

/** Runs a panel's query with the filters it names bound as `$name` parameters. */
export async function runPanel(panel: DashboardPanel, query: Query, values: Record<string, string | null>): Promise<PanelData> {
  const params: Record<string, string | null> = {};
  for (const name of placeholders(panel.sql)) params[name] = values[name] ?? null;
  const t0 = performance.now();
  try {
    const r = await query(panel.sql, params as Params);
    const columns = r.columnNames();
    // JSON-safe readers give DECIMAL and BIGINT as text; charts and Intl need numbers, and a
    // double's 15 digits are plenty to draw or show money to the cent.
    const numeric = columns.filter((_, i) => NUMERIC_TEXT.has(r.columnTypes()[i].typeId));
    const rows = r.getRowObjectsJson() as Record<string, unknown>[];
    for (const row of rows) for (const c of numeric) if (typeof row[c] === 'string') row[c] = Number(row[c]);
    return { columns, rows, elapsed_ms: performance.now() - t0 };
  } catch (err) {
    const m = MISSING.exec((err as Error).message);
    if (!m) throw err;
    return { columns: [], rows: [], unavailable: m[1] ?? m[2], elapsed_ms: performance.now() - t0 };
  }
}

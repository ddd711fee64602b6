import { DuckDBTypeId, type DuckDBResultReader } from '@duckdb/node-api';
import type { Params } from '../db/warehouse.ts';
import { placeholders, type Dashboard, type DashboardPanel } from './definition.ts';

/** Runs one bound, read-only query: a pooled API read, or a warehouse of the export command. */
export type Query = (sql: string, params?: Params) => Promise<DuckDBResultReader>;

/** A filter value the dashboard refuses (answered as 400). */
/** A filter value a data request may not use, in both of the product's languages. */
export class FilterError extends Error {
  constructor(readonly said: { en: string; es: string }) {
    super(said.en);
  }
}

export interface ResolvedFilters {
  /** The value each filter binds: null when an optional filter is empty. */
  values: Record<string, string | null>;
  /** The allowed values of each select filter. */
  options: Record<string, string[]>;
  /**
   * Why a filter's value is not the one asked for, in both languages: its `resolve` changed it,
   * or (`reset`) a page set a value it does not have aside.
   */
  notes: { filter: string; given: string; used: string | null; text: { es: string; en: string }; reset?: true }[];
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

/** Why a value was set aside and what is shown instead, in both languages. */
function resetNote(f: Dashboard['filters'][number], given: string, used: string | null, why: 'date' | 'value') {
  const shown = given.length > 60 ? `${given.slice(0, 60)}…` : given;
  const es = why === 'date' ? `«${shown}» no es una fecha (AAAA-MM-DD)` : `${f.label.es}: no hay «${shown}» (quizá ya no existe, o está mal escrito)`;
  const en = why === 'date' ? `'${shown}' is not a date (YYYY-MM-DD)` : `${f.label.en}: there is no '${shown}' (gone, or mistyped)`;
  const instead = { es: used === null ? 'se muestra todo' : `se muestra ${used}`, en: used === null ? 'showing all' : `showing ${used}` };
  return { filter: f.name, given, used, text: { es: `${es}; ${instead.es}.`, en: `${en}; ${instead.en}.` }, reset: true as const };
}

/**
 * Turns the URL's filter values into bound values: empty optional filters become null, missing
 * ones take their default, dates must be real ISO dates and select values one of the options.
 * `forced` overrides a filter (a collector-scoped key's own collector). A value that is none of
 * these throws FilterError, unless `forgive` (a page, where a stale link must still open): the
 * filter then goes back to its default, with a note that says so.
 */
export async function resolveFilters(
  d: Dashboard,
  query: Query,
  given: Record<string, string | undefined>,
  forced: Record<string, string> = {},
  opts: { forgive?: boolean } = {},
): Promise<ResolvedFilters> {
  const values: Record<string, string | null> = {};
  const options: Record<string, string[]> = {};
  const notes: ResolvedFilters['notes'] = [];
  for (const f of d.filters) {
    let v: string | null = forced[f.name] ?? given[f.name]?.trim() ?? '';
    if (f.options) options[f.name] = await firstColumn(query, f.options);
    const fallback = async () => (f.default ? ((await firstColumn(query, f.default))[0] ?? null) : null);
    if (v === '') v = await fallback();
    const notADate = v !== null && f.type === 'date' && !validDate(v);
    const notAnOption = v !== null && f.type === 'select' && !!f.options && !options[f.name].includes(v) && forced[f.name] === undefined;
    if (v !== null && (notADate || notAnOption)) {
      if (!opts.forgive) {
        throw new FilterError(
          notADate
            ? { en: `filter '${f.name}': '${v}' is not a date (YYYY-MM-DD)`, es: `filtro ${f.name}: '${v}' no es una fecha (AAAA-MM-DD)` }
            : { en: `filter '${f.name}': '${v.slice(0, 100)}' is not one of its values`, es: `filtro ${f.name}: '${v.slice(0, 100)}' no es uno de sus valores` },
        );
      }
      const used = await fallback();
      notes.push(resetNote(f, v, used, notADate ? 'date' : 'value'));
      v = used;
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
  const sql = panel.sql;
  if (!sql) throw new Error(`panel '${panel.id}' has no query: it is a report, read at ${panel.source}`);
  const params: Record<string, string | null> = {};
  for (const name of placeholders(sql)) params[name] = values[name] ?? null;
  const t0 = performance.now();
  try {
    const r = await query(sql, params as Params);
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

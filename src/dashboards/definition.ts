import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROLES } from '../api/roles.ts';

/** Where dashboard files live: one `<name>.yaml` per dashboard. */
export const DASHBOARD_DIR = resolve(import.meta.dirname, '../../dashboards');

// Strict: a comma in a YAML flow mapping ({ es: Pronóstico, 13 semanas, en: ... }) makes a third key, which must fail, not vanish.
const Text = z.object({ es: z.string().min(1), en: z.string().min(1) }).strict();
const Name = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _');

const Filter = z.object({
  name: Name,
  type: z.enum(['date', 'select']),
  label: Text,
  /** SQL answering one value: the filter's value when the URL gives none. Without it the filter is optional (empty). */
  default: z.string().optional(),
  /** SQL answering the allowed values (first column); a value outside them is refused. */
  options: z.string().optional(),
  /** 'collector': a key limited to a collector forces this filter to its own collector. */
  scope: z.literal('collector').optional(),
  /**
   * SQL that turns the value asked for (`$value`) into the one every panel of the page uses:
   * columns `value` and `reason` (null when unchanged). The page shows `notes[reason]`, with
   * `{given}` and `{used}` filled in, so a changed value never goes unsaid.
   */
  resolve: z.string().optional(),
  notes: z.record(z.string(), Text).optional(),
});

const Tile = z.object({
  value: z.string(),
  previous: z.string().optional(),
  format: z.enum(['money', 'pct', 'days', 'integer']),
  better: z.enum(['up', 'down']),
  /** Key into KPI_DEFINITIONS: the tile's name and tooltip. */
  kpi: z.string(),
});

const Column = z.object({
  /** A column of the query; `{lang}` is replaced by es or en. */
  field: z.string(),
  title: Text,
  format: z.enum(['money', 'pct', 'days', 'integer', 'date', 'datetime', 'reasons']).optional(),
});

const Panel = z
  .object({
    id: Name,
    type: z.enum(['chart', 'kpi', 'table', 'report']).default('chart'),
    title: Text,
    description: Text,
    /** The panel's query; a report panel has none: its rows come from `source`. */
    sql: z.string().min(1).optional(),
    /** Report panels: the API report (JSON: buckets, data, totals) the page reads with its filters and locale. */
    source: z.string().startsWith('/api/reports/').optional(),
    spec: z.record(z.string(), z.unknown()).optional(),
    tiles: z.array(Tile).optional(),
    columns: z.array(Column).optional(),
    /** Table and chart panels: the column whose value opens a customer's statement (a row, or a chart's mark, clicked). */
    drill: z.string().optional(),
    /** Table panels: offer CSV/XLSX downloads of this API resource (`/api/call-list`). */
    exports: z.literal('call_list').optional(),
  })
  .superRefine((p, ctx) => {
    const need = { chart: 'spec', kpi: 'tiles', table: 'columns', report: 'source' } as const;
    if (!p[need[p.type]]) ctx.addIssue({ code: 'custom', message: `a ${p.type} panel needs '${need[p.type]}'` });
    if (p.type !== 'report' && !p.sql) ctx.addIssue({ code: 'custom', message: `a ${p.type} panel needs 'sql'` });
  });

const Dashboard = z.object({
  title: Text,
  roles: z.array(z.enum(ROLES)).min(1),
  filters: z.array(Filter).default([]),
  panels: z.array(Panel).default([]),
  /** The analyst page's SQL editor, with the query it opens with. */
  workbench: z.object({ sql: z.string() }).optional(),
  /**
   * The collector's workspace above the panels: today's queue (and the legal and dispute queues)
   * from /api/call-list?queue=, the collector's numbers, and forms that record what happened.
   */
  queue: z.boolean().optional(),
  /** A search box in the header: customers by name, id or tax id (GET /api/customers?q=), each opening its statement. */
  search: z.literal('customers').optional(),
  /**
   * Files the page offers for its filters: `href` is an API path; the page adds the filters' values
   * (as_of, currency, segment, country...), the locale and, when given, `format`.
   */
  downloads: z.array(z.object({ href: z.string().startsWith('/api/'), label: Text, format: z.string().optional() })).optional(),
});

export type DashboardFilter = z.infer<typeof Filter>;
export type DashboardPanel = z.infer<typeof Panel>;
export type Dashboard = z.infer<typeof Dashboard> & { name: string };

/** A dashboard file that does not describe a valid dashboard. */
export class DashboardError extends Error {}

/** `$name` placeholders a query binds (DuckDB named parameters). */
export function placeholders(sql: string): string[] {
  const withoutStrings = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/--[^\n]*/g, '');
  return [...new Set([...withoutStrings.matchAll(/\$([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]))];
}

/** Reads and checks one dashboard file: structure, unique panel ids, and that every placeholder is a declared filter. */
export function parseDashboard(name: string, text: string): Dashboard {
  const parsed = Dashboard.safeParse(parse(text));
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new DashboardError(`dashboard ${name}: ${why}`);
  }
  const d = { ...parsed.data, name };
  const filters = new Set(d.filters.map((f) => f.name));
  const ids = new Set<string>();
  for (const p of d.panels) {
    if (ids.has(p.id)) throw new DashboardError(`dashboard ${name}: two panels named '${p.id}'`);
    ids.add(p.id);
    for (const problem of p.spec ? specProblems(p.spec) : []) throw new DashboardError(`dashboard ${name}, panel ${p.id}: ${problem}`);
    for (const ph of placeholders(p.sql ?? '')) {
      if (!filters.has(ph)) throw new DashboardError(`dashboard ${name}, panel ${p.id}: $${ph} is not one of its filters (${[...filters].join(', ') || 'none'})`);
    }
  }
  return d;
}

/**
 * What a chart spec would show wrongly: a text with keys besides es and en (a comma in a YAML flow
 * mapping makes one), or a tooltip field without a title (the page would show the column's name).
 */
export function specProblems(spec: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${path}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const entries = Object.entries(node);
    const keys = entries.map(([k]) => k);
    if ((keys.includes('es') || keys.includes('en')) && !(keys.length === 2 && entries.every(([, v]) => typeof v === 'string' && v))) {
      out.push(`${path}: a text needs exactly 'es' and 'en' (has ${keys.join(', ')}); quote a text with a comma`);
    }
    if (/\.tooltip(\[\d+\])?$/.test(path) && 'field' in node && !('title' in node)) out.push(`${path}: a tooltip field needs a title {es, en}`);
    for (const [k, v] of entries) visit(v, `${path}.${k}`);
  };
  visit(spec, 'spec');
  return out;
}

const cache = new Map<string, Dashboard>();

/** The dashboards in `dir`, by name (file name without .yaml), in the order roles see them first. */
export function loadDashboards(dir = DASHBOARD_DIR): Map<string, Dashboard> {
  const out = new Map<string, Dashboard>();
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  const order = ['cfo', 'collections', 'analyst', 'admin'];
  files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  function rank(f: string) {
    const i = order.indexOf(basename(f).replace(/\.ya?ml$/, ''));
    return i < 0 ? order.length : i;
  }
  for (const f of files) {
    const name = f.replace(/\.ya?ml$/, '');
    const path = join(dir, f);
    // Keyed by modification time: a running server picks up an edited dashboard on the next request.
    const key = `${path}:${statSync(path).mtimeMs}`;
    const d = cache.get(key) ?? parseDashboard(name, readFileSync(path, 'utf8'));
    cache.set(key, d);
    out.set(name, d);
  }
  return out;
}

/**
 * Every data field a Vega-Lite spec encodes (`field` of encodings, sort-by fields, tooltips), at any
 * depth, so a test can check each one is a column the panel's query returns.
 */
export function specFields(spec: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, key));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'field' && typeof v === 'string') out.add(v);
      else if (k !== 'data' && k !== 'datasets') visit(v, k);
    }
  };
  visit(spec);
  return out;
}


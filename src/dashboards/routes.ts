import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { Hono, type Context } from 'hono';
import { requireRole } from '../api/auth.ts';
import { cachedGet } from '../api/caching.ts';
import { collectorScope, type ApiEnv } from '../api/env.ts';
import { ApiError } from '../api/problem.ts';
import { callListCsv, callListXlsx } from '../risk/call-list-export.ts';
import { requestLocale } from '../api/request-locale.ts';
import { LOCALES } from '../locale/formats.ts';
import { loadDashboards, type Dashboard } from './definition.ts';
import { loginPage, dashboardPage, forbiddenPage, PAGE_CSP } from './page.ts';
import { FilterError, resolveFilters, runPanel, type Query } from './run.ts';

// Through src/ even when this module runs compiled from dist/dashboards/ (at the same depth): the assets are not compiled.
const ASSET_DIR = resolve(import.meta.dirname, '../../src/dashboards/assets');
// The packages' exports maps hide their browser builds from require.resolve: read them from node_modules.
const MODULES = resolve(import.meta.dirname, '../../node_modules');

/** Files under /assets/: the Vega builds from node_modules (no CDN) and the pages' own script and styles. */
const ASSETS: Record<string, { path: string; type: string }> = {
  'vega.js': { path: resolve(MODULES, 'vega/build/vega.min.js'), type: 'text/javascript' },
  'vega-lite.js': { path: resolve(MODULES, 'vega-lite/build/vega-lite.min.js'), type: 'text/javascript' },
  'vega-embed.js': { path: resolve(MODULES, 'vega-embed/build/vega-embed.min.js'), type: 'text/javascript' },
  'dashboard.js': { path: resolve(ASSET_DIR, 'dashboard.js'), type: 'text/javascript' },
  'login.js': { path: resolve(ASSET_DIR, 'login.js'), type: 'text/javascript' },
  'queue.js': { path: resolve(ASSET_DIR, 'queue.js'), type: 'text/javascript' },
  'dashboard.css': { path: resolve(ASSET_DIR, 'dashboard.css'), type: 'text/css' },
};
const assetCache = new Map<string, Uint8Array>();

/**
 * The formatter the server uses (src/locale/formats.ts and the reasons' words, src/locale/reasons.ts;
 * no imports beyond each other), served to the pages as one classic script defining
 * `CarteraFormats`: one formatter for every surface, not a copy of it. esbuild strips the types and
 * joins the two (milliseconds); the sources stay the single definition.
 */
const LOCALE_DIR = resolve(import.meta.dirname, '../../src/locale');
function formatsScript(): Uint8Array {
  const out = buildSync({
    stdin: { contents: "export * from './formats.ts'; export * from './reasons.ts';", resolveDir: LOCALE_DIR, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'CarteraFormats',
    target: 'es2022',
  });
  return out.outputFiles[0].contents;
}

/** The dashboards this role may open, in menu order. */
export function dashboardsFor(role: string, all = loadDashboards()): Dashboard[] {
  return [...all.values()].filter((d) => (d.roles as string[]).includes(role));
}

/** Each role's home dashboard: its own when it has one, else the first it may open. */
const HOME: Record<string, string> = { cfo: 'cfo', collections: 'collections', analyst: 'analyst', admin: 'cfo' };

const queryOf =
  (c: Context<ApiEnv>): Query =>
  (sql, params) =>
    c.var.reads.result(sql, params);

/** The filter values in the URL, one per declared filter. */
function givenFilters(c: Context<ApiEnv>, d: Dashboard): Record<string, string | undefined> {
  return Object.fromEntries(d.filters.map((f) => [f.name, c.req.query(f.name)]));
}

/** A collector-scoped user's or key's own collector, forced on the filter that carries it (403 when the URL asks for another). */
function forcedFilters(c: Context<ApiEnv>, d: Dashboard): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of d.filters) {
    if (f.scope !== 'collector') continue;
    const own = collectorScope(c, c.req.query(f.name) || undefined);
    if (own !== undefined && c.var.principal?.collector) out[f.name] = own;
  }
  return out;
}

async function filtersOf(c: Context<ApiEnv>, d: Dashboard) {
  try {
    return await resolveFilters(d, queryOf(c), givenFilters(c, d), forcedFilters(c, d));
  } catch (err) {
    if (err instanceof FilterError) throw new ApiError(400, 'Bad Request', err.said);
    throw err;
  }
}

/** Query parameters of a page that are not filters: the language and locale, and the analyst's SQL. */
const PAGE_PARAMS = new Set(['lang', 'locale', 'sql']);

/**
 * The filters of a page, forgiving: a link with a value that no longer exists (a renamed segment),
 * a mistyped one, or a filter the dashboard does not have still opens the page, with that filter
 * back at its default and a note saying so (the page then drops it from its URL). Data requests
 * stay strict (400).
 */
async function pageFilters(c: Context<ApiEnv>, d: Dashboard) {
  const filters = await resolveFilters(d, queryOf(c), givenFilters(c, d), forcedFilters(c, d), { forgive: true });
  const known = new Set(d.filters.map((f) => f.name));
  for (const [name, value] of Object.entries(c.req.query())) {
    if (known.has(name) || PAGE_PARAMS.has(name)) continue;
    const list = { es: [...known].join(', ') || 'ninguno', en: [...known].join(', ') || 'none' };
    filters.notes.push({
      filter: name,
      given: value,
      used: null,
      reset: true,
      text: { es: `Este tablero no tiene el filtro «${name.slice(0, 40)}» (tiene: ${list.es}); se ignora.`, en: `This dashboard has no filter '${name.slice(0, 40)}' (it has: ${list.en}); ignored.` },
    });
  }
  return filters;
}

function dashboardOr404(name: string): Dashboard {
  const d = loadDashboards().get(name);
  if (!d) throw new ApiError(404, 'Not Found', { en: `no dashboard '${name}'`, es: `no hay un tablero '${name}'` });
  return d;
}

/**
 * The dashboards: pages (`/`, `/login`, `/dashboards/<name>`), their data
 * (`/api/dashboards/<name>/panels/<id>`) and the scripts they load (`/assets/*`). Mount at '/'.
 */
export const dashboardRoutes = new Hono<ApiEnv>();

dashboardRoutes.get('/assets/:file', (c) => {
  if (c.req.param('file') === 'formats.js') {
    let js = assetCache.get(LOCALE_DIR);
    if (!js) assetCache.set(LOCALE_DIR, (js = formatsScript()));
    return c.body(js as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' });
  }
  const a = ASSETS[c.req.param('file')];
  if (!a) throw new ApiError(404, 'Not Found', `no asset '${c.req.param('file')}'`);
  let body = assetCache.get(a.path);
  if (!body) {
    body = new Uint8Array(readFileSync(a.path));
    assetCache.set(a.path, body);
  }
  return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': `${a.type}; charset=utf-8`, 'Cache-Control': 'public, max-age=3600' });
});

dashboardRoutes.get('/', (c) => {
  const p = c.var.principal;
  if (!p) return c.redirect('/login', 302);
  const mine = dashboardsFor(p.role);
  const home = mine.find((d) => d.name === HOME[p.role]) ?? mine[0];
  return home ? c.redirect(`/dashboards/${home.name}`, 302) : c.html(forbiddenPage('no dashboards for this role'), 403);
});

dashboardRoutes.get('/login', (c) => {
  c.header('Content-Security-Policy', PAGE_CSP);
  return c.html(loginPage());
});

dashboardRoutes.get('/dashboards/:name', async (c) => {
  const name = c.req.param('name');
  const d = loadDashboards().get(name);
  const p = c.var.principal;
  const query = new URL(c.req.url).search;
  if (!p) return c.redirect(`/login?next=${encodeURIComponent(`/dashboards/${name}${query}`)}`, 302);
  c.header('Content-Security-Policy', PAGE_CSP);
  if (!d) return c.html(forbiddenPage(`no dashboard '${name}'`), 404);
  if (!(d.roles as string[]).includes(p.role)) {
    return c.html(forbiddenPage(`role '${p.role}' may not open dashboard '${name}'; it needs one of: ${d.roles.join(', ')}`), 403);
  }
  const filters = await pageFilters(c, d);
  const currency = String((await c.var.reads.result('select reporting_currency from build_options')).getRowsJson()[0]?.[0] ?? 'MXN');
  return c.html(dashboardPage(d, filters, { principal: p, dashboards: dashboardsFor(p.role), currency }));
});

const panelRoutes = new Hono<ApiEnv>();
panelRoutes.use('/:name/*', async (c, next) => {
  const d = dashboardOr404(c.req.param('name')!);
  return requireRole(...d.roles)(c, next);
});
panelRoutes.use('/:name/*', cachedGet);

panelRoutes.get('/:name/panels/:id', async (c) => {
  const d = dashboardOr404(c.req.param('name'));
  const panel = d.panels.find((p) => p.id === c.req.param('id'));
  if (!panel) throw new ApiError(404, 'Not Found', { en: `dashboard '${d.name}' has no panel '${c.req.param('id')}'`, es: `el tablero '${d.name}' no tiene el panel '${c.req.param('id')}'` });
  const format = c.req.query('format') ?? 'json';
  const { values, notes } = await filtersOf(c, d);
  if (panel.source) throw new ApiError(400, 'Bad Request', `panel '${panel.id}' is a report: read it at ${panel.source}`);
  const data = await runPanel(panel, queryOf(c), values);
  if (format === 'json') return c.json({ ...data, filters: values, notes });
  if (panel.exports !== 'call_list' || (format !== 'csv' && format !== 'xlsx')) {
    throw new ApiError(400, 'Bad Request', `query parameter 'format': panel '${panel.id}' answers json${panel.exports ? ', csv or xlsx' : ''}`);
  }
  const file = `call_list.${format}`;
  const headers = { 'Content-Disposition': `attachment; filename="${file}"` };
  // A download from the page carries its locale; a CSV is written for that locale's spreadsheet.
  const locale = requestLocale(c) ?? LOCALES[0];
  const currency = (await c.var.reads.publication()).reportingCurrency ?? 'MXN';
  if (format === 'csv') return c.body(callListCsv(data.rows, locale, currency), 200, { ...headers, 'Content-Type': 'text/csv; charset=utf-8' });
  const xlsx = await callListXlsx(data.rows, locale, currency);
  return c.body(new Uint8Array(xlsx), 200, { ...headers, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
});

dashboardRoutes.route('/api/dashboards', panelRoutes);

import { LOCALES, pickLocale } from '../locale/formats.ts';
import { Hono, type Context } from 'hono';
import { READERS, requireRole } from '../api/auth.ts';
import type { ApiEnv } from '../api/env.ts';
import { problem } from '../api/problem.ts';
import { requestLocale } from '../api/request-locale.ts';
import { escapeHtml, renderNotebookHtml } from './html.ts';
import { listNotebooks, loadNotebook, notebookPath, NOTEBOOK_DIR } from './catalog.ts';
import { NotebookError, NotReadyError, ParamError } from './errors.ts';
import { resolveParams, type ParamSpec } from './params.ts';
import { runNotebook } from './run.ts';

/** A browser asking for a page (not a script asking for data). */
const wantsPage = (c: Context) => (c.req.header('accept') ?? '').includes('text/html');

/**
 * The given parameters a page can use, and a note for each it set aside (unknown to the notebook,
 * or a malformed value): a stale or mistyped link still opens the notebook, with its defaults.
 */
function usableParams(specs: ParamSpec[], given: Record<string, string>): { kept: Record<string, string>; notes: string[] } {
  const kept: Record<string, string> = {};
  const notes: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const spec = specs.find((s) => s.name === name);
    try {
      if (!spec) throw new ParamError(`this notebook has no parameter '${name}' (it takes: ${specs.map((s) => s.name).join(', ') || 'none'})`);
      // Each value alone: which one is wrong, not only whether all are right.
      resolveParams([spec], { [name]: value });
      kept[name] = value;
    } catch (err) {
      if (!(err instanceof ParamError)) throw err;
      notes.push(`${err.message}: se usa el valor por defecto / using the default`);
    }
  }
  return { kept, notes };
}

/** How long a caller waits before asking again for a notebook whose table a command is making. */
const RETRY_SECONDS = 30;

/**
 * 503 with Retry-After for a notebook whose table a command makes and has not made yet (the demo
 * runs the backtest in the background after it starts serving): a page that says so and reloads
 * itself for a browser, a problem for a script.
 */
function notReady(c: Context<ApiEnv>, err: NotReadyError): Response {
  c.header('Retry-After', String(RETRY_SECONDS));
  const es = `Este cuaderno lee <code>${escapeHtml(err.table)}</code>, que aún no existe: lo crea <code>${escapeHtml(err.command)}</code>. Tras <code>npm start</code>, la demo lo prepara en segundo plano; esta página se recarga sola.`;
  const en = `This notebook reads <code>${escapeHtml(err.table)}</code>, which does not exist yet: <code>${escapeHtml(err.command)}</code> makes it. After <code>npm start</code> the demo makes it in the background; this page reloads by itself.`;
  if (!wantsPage(c)) return problem(c, 503, `not ready: ${err.table} does not exist yet; it is made by: ${err.command}`);
  return c.html(
    `<!doctype html><html lang="es"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${RETRY_SECONDS}"><title>En preparación / Being prepared</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:800px;margin:2rem auto;padding:0 1rem}</style></head>
<body><h1>En preparación / Being prepared</h1><p lang="es">${es}</p><p lang="en">${en}</p></body></html>`,
    503,
  );
}

function indexHtml(base: string, dir: string): string {
  const items = listNotebooks(dir).map(
    (nb) => `<li><a href="${escapeHtml(`${base}/${nb.name}`)}">${escapeHtml(nb.title)}</a>${nb.description ? ` — ${escapeHtml(nb.description)}` : ''}</li>`,
  );
  return `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Notebooks</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:800px;margin:2rem auto;padding:0 1rem}</style></head>
<body><h1>Notebooks</h1><ul>${items.join('\n')}</ul></body></html>`;
}

/**
 * The analysts' notebooks over HTTP, for analysts and admins: `GET /` lists them (HTML, or JSON
 * when the client accepts only JSON) and `GET /:name` runs one on the API's read connections
 * (one snapshot, so every block sees the same build) and answers its HTML report. Query
 * parameters are the notebook's parameters, validated against its front matter: an unknown or
 * malformed one answers 400. Expects `authenticate` to have run; mount under the notebooks path.
 *
 * @example
 *   app.route('/notebooks', notebooksRoutes());
 */
export function notebooksRoutes(opts: { dir?: string } = {}): Hono<ApiEnv> {
  const dir = opts.dir ?? NOTEBOOK_DIR;
  const routes = new Hono<ApiEnv>();
  // A browser without a session goes to sign in and comes back here, as the dashboards do.
  routes.use('*', async (c, next) => {
    if (c.var.principal || !wantsPage(c)) return next();
    const url = new URL(c.req.url);
    return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
  });
  routes.use('*', requireRole(...READERS.analysts));

  routes.get('/', (c) => {
    const accept = c.req.header('accept') ?? '';
    if (accept.includes('application/json') && !accept.includes('text/html')) {
      return c.json(
        listNotebooks(dir).map((nb) => ({
          name: nb.name,
          title: nb.title,
          description: nb.description ?? null,
          params: nb.params.map((p) => ({ name: p.name, type: p.type, default: p.default ?? null, description: p.description ?? null, options: p.options ?? null })),
        })),
      );
    }
    return c.html(indexHtml(c.req.path.replace(/\/$/, ''), dir));
  });

  routes.get('/:name', async (c) => {
    const name = c.req.param('name');
    const path = notebookPath(dir, name);
    if (!path) return problem(c, 404, `no notebook named '${name}'`);
    const given: Record<string, string> = {};
    for (const [key, values] of Object.entries(c.req.queries())) {
      if (values.length > 1) return problem(c, 400, `query parameter '${key}' given ${values.length} times; give it once`);
      given[key] = values[0];
    }
    // ?locale= is the reader's choice of number and date formats (one of LOCALES), not a notebook parameter;
    // without it the browser's languages choose, as on the dashboards, and else the notebook's own locale.
    const locale = given.locale ? pickLocale([given.locale]) : requestLocale(c);
    if (given.locale && !locale) return problem(c, 400, `query parameter 'locale': use one of ${LOCALES.join(', ')}`);
    delete given.locale;
    try {
      const nb = { ...loadNotebook(path), ...(locale ? { locale } : {}) };
      const { kept, notes } = wantsPage(c) ? usableParams(nb.params, given) : { kept: given, notes: [] };
      const run = await c.var.reads.snapshot((read) => runNotebook(nb, read, kept));
      return c.html(renderNotebookHtml(run, { paramForm: true, notes }));
    } catch (err) {
      if (err instanceof ParamError) return problem(c, 400, err.message);
      if (err instanceof NotReadyError) return notReady(c, err);
      // A broken notebook is the author's bug, not the caller's: 500, with the block named.
      if (err instanceof NotebookError) return problem(c, 500, err.message);
      throw err;
    }
  });
  return routes;
}

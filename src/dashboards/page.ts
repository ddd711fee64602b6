import type { Principal } from '../api/roles.ts';
import { LOCALES } from '../locale/formats.ts';
import type { Dashboard } from './definition.ts';
import { kpiDefinition } from '../models/definitions.ts';
import type { ResolvedFilters } from './run.ts';

/**
 * Pages load scripts only from this server; Vega compiles its expressions with `new Function`,
 * hence 'unsafe-eval', and vega-embed injects its own styles.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** JSON for a `<script type="application/json">`: no `</script>` or comment can end the element early. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

function shell(title: string, body: string, scripts: string[]): string {
  return `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/dashboard.css"></head>
<body>${body}
${scripts.map((s) => `<script src="${s}"></script>`).join('\n')}
</body></html>`;
}

/** The sign-in page: user name and password, posted to /api/login, which starts a session (an HttpOnly cookie). */
export function loginPage(): string {
  return shell(
    'Cartera',
    `<main class="login"><h1>Cartera</h1>
<form id="login"><label for="user" data-es="Usuario" data-en="User name">Usuario</label>
<input id="user" name="user" autocomplete="username" autocapitalize="none" spellcheck="false" required>
<label for="password" data-es="Contraseña" data-en="Password">Contraseña</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" data-es="Entrar" data-en="Sign in">Entrar</button>
<p id="error" role="alert" class="error" hidden></p></form></main>`,
    ['/assets/login.js'],
  );
}

export function forbiddenPage(detail: string): string {
  return shell('Cartera', `<main class="login"><h1>Cartera</h1><p class="error">${esc(detail)}</p><p><a href="/">/</a> · <a href="/login">login</a></p></main>`, []);
}

/** Who is signed in, the dashboards they may open, and the build's reporting currency. */
export interface PageContext {
  principal: Principal;
  dashboards: Dashboard[];
  currency: string;
}

/** What the page script needs: the dashboard (without SQL), resolved filters, who is signed in and where else they may go. */
export function pageConfig(d: Dashboard, filters: ResolvedFilters, ctx: PageContext) {
  return {
    name: d.name,
    title: d.title,
    filters: d.filters.map((f) => ({
      name: f.name,
      type: f.type,
      label: f.label,
      value: filters.values[f.name],
      options: filters.options[f.name] ?? null,
      optional: !f.default,
      locked: f.scope === 'collector' && !!ctx.principal.collector,
    })),
    panels: d.panels.map((p) => ({
      id: p.id,
      type: p.type,
      title: p.title,
      description: p.description,
      spec: p.spec ?? null,
      columns: p.columns ?? null,
      drill: p.drill ?? null,
      source: p.source ?? null,
      exports: p.exports ?? null,
      tiles: p.tiles?.map((t) => ({ ...t, name: kpiDefinition(t.kpi)?.label ?? { es: t.kpi, en: t.kpi }, definition: kpiDefinition(t.kpi)?.definition ?? null })) ?? null,
    })),
    notes: filters.notes.map((n) => ({ filter: n.filter, text: n.text, reset: n.reset ?? false })),
    workbench: d.workbench ?? null,
    queue: d.queue ?? false,
    search: d.search ?? null,
    downloads: d.downloads ?? [],
    currency: ctx.currency,
    user: { name: ctx.principal.name, role: ctx.principal.role, collector: ctx.principal.collector },
    dashboards: ctx.dashboards.map((x) => ({ name: x.name, title: x.title })),
    locales: LOCALES,
  };
}

/** A dashboard page: a shell the script fills from the embedded config, one panel at a time. */
export function dashboardPage(d: Dashboard, filters: ResolvedFilters, ctx: PageContext): string {
  const cfg = pageConfig(d, filters, ctx);
  return shell(
    d.title.es,
    `<header class="top"><h1 id="title">${esc(d.title.es)}</h1><nav id="nav"></nav>
<div class="right"><span id="who"></span>
<label class="lang"><span class="sr">Idioma y formato / Language and format</span><select id="locale"></select></label>
<button id="logout" type="button">Salir</button></div></header>
<form id="filters" class="filters"></form>
${d.downloads?.length || d.search ? '<div id="tools" class="tools"></div>\n' : ''}
<p id="filter-notes" class="note" role="status" hidden></p>
${d.queue ? '<section id="queue" class="queue" data-state="loading"></section>\n' : ''}<main id="panels" class="grid" data-state="loading"></main>
<aside id="drawer" class="drawer" hidden></aside>
<script type="application/json" id="config">${scriptJson(cfg)}</script>`,
    ['/assets/vega.js', '/assets/vega-lite.js', '/assets/vega-embed.js', '/assets/formats.js', '/assets/dashboard.js', ...(d.queue ? ['/assets/queue.js'] : [])],
  );
}

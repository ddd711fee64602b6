import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout, stderr } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { loadDashboards } from '../dashboards/definition.ts';
import { dashboardHtml, dashboardSvg, renderDashboard } from '../dashboards/export.ts';
import { LOCALES, pickLocale } from '../locale/formats.ts';
import { FilterError } from '../dashboards/run.ts';
import { requirePublication } from '../pipeline/index.ts';
import { exportPack } from './export-pack.ts';

const FORMATS = ['.html', '.svg', '.png'] as const;

/** Rasterises the dashboard's SVG (resvg: no browser, system fonts). */
async function toPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return r.render().asPng();
}

export const exportCommand: Command = {
  name: 'export',
  args: 'dashboard NAME | pack',
  options: {
    ...dbOption,
    out: { type: 'string', description: 'file to write: .html (self-contained, inline SVG), .svg or .png; a pack: .pdf', placeholder: 'FILE' },
    locale: { type: 'string', description: `number, date and language formats: ${LOCALES.join(', ')} (default: es-MX, or en-US with --lang en)`, placeholder: 'TAG' },
    lang: { type: 'string', default: 'es', description: 'dashboards: es or en, when no --locale is given', placeholder: 'LANG' },
    'as-of': { type: 'string', description: 'as-of date of dashboards with that filter, and of the pack (default: the build)', placeholder: 'YYYY-MM-DD' },
    currency: { type: 'string', description: 'pack: currency of the amounts (default: the reporting currency)', placeholder: 'CODE' },
    filter: { type: 'string', multiple: true, description: 'another filter, repeatable: --filter segment=PyME', placeholder: 'K=V' },
  },
  details: `Dashboards: the files in dashboards/ (cfo, collections, analyst). The warehouse is opened read-only.
Example: cartera export dashboard cfo --out consejo.html --locale es-MX --as-of 2026-09-30
The CFO's month-end pack, one PDF (KPIs, aged receivables, provision matrix, 13-week cash forecast) drawn
without a browser, the same as GET /api/reports/pack?as_of=D&locale=L:
  cartera export pack --as-of 2026-09-30 --out cierre.pdf --locale es-MX`,
  async run(opts, positionals) {
    const [kind, name] = positionals;
    if (kind === 'pack' && !name) return exportPack(opts);
    const all = loadDashboards();
    if (kind !== 'dashboard' || !name) {
      throw new UserError(`export: usage: cartera export dashboard NAME --out FILE (dashboards: ${[...all.keys()].join(', ')}) or cartera export pack --out FILE.pdf`, 2);
    }
    const d = all.get(name);
    if (!d) throw new UserError(`export: no dashboard '${name}'; available: ${[...all.keys()].join(', ')}`, 2);
    const out = opts.out as string | undefined;
    const ext = out ? extname(out).toLowerCase() : '';
    if (!out || !(FORMATS as readonly string[]).includes(ext)) throw new UserError(`export: --out must name a ${FORMATS.join(', ')} file`, 2);
    const lang = opts.lang as string;
    if (lang !== 'es' && lang !== 'en') throw new UserError(`export: --lang must be es or en (got '${lang}')`, 2);
    const asked = (opts.locale as string | undefined) ?? lang;
    const locale = LOCALES.find((l) => l.toLowerCase() === asked.toLowerCase()) ?? (opts.locale ? undefined : pickLocale([lang]));
    if (!locale) throw new UserError(`export: --locale must be one of ${LOCALES.join(', ')} (got '${asked}')`, 2);
    const filters: Record<string, string> = {};
    for (const f of (opts.filter as string[] | undefined) ?? []) {
      const eq = f.indexOf('=');
      if (eq <= 0) throw new UserError(`export: --filter takes name=value; got '${f}'`, 2);
      filters[f.slice(0, eq)] = f.slice(eq + 1);
    }
    if (opts['as-of']) filters.as_of = opts['as-of'] as string;
    const known = new Set(d.filters.map((f) => f.name));
    for (const k of Object.keys(filters)) {
      if (!known.has(k)) throw new UserError(`export: dashboard '${name}' has no filter '${k}' (filters: ${[...known].join(', ') || 'none'})`, 2);
    }
    const db = resolveDbPath(opts.db as string | undefined);

    const t0 = performance.now();
    const rendered = await withWarehouse(
      db,
      async (wh) => {
        await requirePublication(wh);
        return renderDashboard(d, (sql, params) => wh.result(sql, params), { locale, filters }).catch((err: Error) => {
          throw err instanceof FilterError ? new UserError(`export: ${err.message}`, 2) : err;
        });
      },
      { readOnly: true },
    );
    const path = resolve(out);
    mkdirSync(dirname(path), { recursive: true });
    if (ext === '.html') writeFileSync(path, dashboardHtml(rendered));
    else if (ext === '.svg') writeFileSync(path, dashboardSvg(rendered));
    else writeFileSync(path, await toPng(dashboardSvg(rendered)));
    const missing = rendered.panels.filter((p) => p.data.unavailable).map((p) => `${p.panel.id} (no ${p.data.unavailable})`);
    stderr.write(
      `export: ${name} (${rendered.panels.length} panels${missing.length ? `; without data: ${missing.join(', ')}` : ''}) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    stdout.write(`${path}\n`);
  },
};

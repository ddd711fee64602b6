import { renderVegaLiteToSvg } from '../render/vega-svg.ts';
import { formatChange, formatsFor, formatValue, localizeSpec, type Formats, type Lang } from '../locale/formats.ts';
import type { Dashboard, DashboardPanel } from './definition.ts';
import { kpiDefinition } from '../models/definitions.ts';
import { resolveFilters, runPanel, type PanelData, type Query } from './run.ts';

// Charts fill their card: Vega's 'fit' makes width and height the size of the whole SVG, legend included.
const CHART = { width: 610, height: 280, autosize: { type: 'fit', contains: 'padding' } };

/** One panel drawn outside the browser: a chart as SVG, tiles and tables as values. */
export interface RenderedPanel {
  panel: DashboardPanel;
  data: PanelData;
  /** The chart (chart panels with rows). */
  svg?: string;
}

export interface RenderedDashboard {
  dashboard: Dashboard;
  lang: Lang;
  formats: Formats;
  filters: Record<string, string | null>;
  currency: string;
  panels: RenderedPanel[];
}

/**
 * Runs every panel of a dashboard with the given filters (defaults for the rest) and draws its
 * charts with Vega's server-side SVG renderer, in the language's number and date formats.
 */
export async function renderDashboard(d: Dashboard, query: Query, opts: { locale: string; filters?: Record<string, string> }): Promise<RenderedDashboard> {
  const formats = formatsFor(opts.locale);
  const { values } = await resolveFilters(d, query, opts.filters ?? {});
  const currency = values.currency ?? String((await query('select reporting_currency from build_options')).getRowsJson()[0]?.[0] ?? 'MXN');
  const panels: RenderedPanel[] = [];
  // A report panel is its own file (the aged receivables report as PDF or XLSX), not drawn here.
  for (const panel of d.panels.filter((p) => p.type !== 'report')) {
    const data = await runPanel(panel, query, values);
    let svg: string | undefined;
    if (panel.type === 'chart' && panel.spec && data.rows.length) {
      const spec = { ...(localizeSpec(panel.spec, formats.lang, currency) as object), ...CHART, background: 'white' };
      svg = await renderVegaLiteToSvg(spec, { rows: data.rows }, { locale: opts.locale, currency });
    }
    panels.push({ panel, data, svg });
  }
  return { dashboard: d, lang: formats.lang, formats, filters: values, currency, panels };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const NOTES = {
  es: { unavailable: (t: string) => `Sin datos: falta la tabla ${t}`, empty: 'Sin datos para estos filtros', prev: 'mes anterior' },
  en: { unavailable: (t: string) => `No data: table ${t} is missing`, empty: 'No data for these filters', prev: 'previous month' },
};

interface Tile {
  name: string;
  value: string;
  change: string;
  tone: 'good' | 'bad' | 'flat';
  definition: string;
}

function tilesOf(r: RenderedDashboard, p: RenderedPanel): Tile[] {
  const row = p.data.rows[0];
  if (!row || !p.panel.tiles) return [];
  return p.panel.tiles.map((t) => {
    const def = kpiDefinition(t.kpi);
    const v = row[t.value];
    const prev = t.previous ? row[t.previous] : null;
    let change = '';
    let tone: Tile['tone'] = 'flat';
    if (v !== null && v !== undefined && prev !== null && prev !== undefined) {
      const d = Number(v) - Number(prev);
      tone = d === 0 ? 'flat' : (d > 0) === (t.better === 'up') ? 'good' : 'bad';
      change = `${d > 0 ? '▲' : d < 0 ? '▼' : '■'} ${formatChange(r.formats, d, Number(prev), t.format, r.currency)}`;
    }
    return { name: def?.label[r.lang] ?? t.kpi, value: formatValue(r.formats, v, t.format === 'money' ? 'money-short' : t.format, r.currency), change, tone, definition: def?.definition[r.lang] ?? '' };
  });
}

function tableRows(r: RenderedDashboard, p: RenderedPanel, limit: number) {
  const cols = (p.panel.columns ?? []).map((c) => ({ ...c, field: c.field.replace('{lang}', r.lang) }));
  // Money cells leave the currency to the column's title (below), as on the page.
  const kind = (format: string | undefined) => (format === 'money' ? 'amount' : format);
  return { cols, rows: p.data.rows.slice(0, limit).map((row) => cols.map((c) => formatValue(r.formats, row[c.field], kind(c.format), r.currency))) };
}

function filterLine(r: RenderedDashboard): string {
  return r.dashboard.filters
    .map((f) => `${f.label[r.lang]}: ${r.filters[f.name] ?? (r.lang === 'es' ? 'todos' : 'all')}`)
    .join(' · ');
}

/** One self-contained HTML file: styles inline, charts as inline SVG, nothing loaded from anywhere. */
export function dashboardHtml(r: RenderedDashboard): string {
  const body = r.panels
    .map((p) => {
      const title = `<h2 title="${esc(p.panel.description[r.lang])}">${esc(p.panel.title[r.lang])}</h2><p class="desc">${esc(p.panel.description[r.lang])}</p>`;
      let inner: string;
      if (p.data.unavailable) inner = `<p class="note">${esc(NOTES[r.lang].unavailable(p.data.unavailable))}</p>`;
      else if (!p.data.rows.length) inner = `<p class="note">${esc(NOTES[r.lang].empty)}</p>`;
      else if (p.panel.type === 'kpi') {
        inner = `<div class="tiles">${tilesOf(r, p)
          .map((t) => `<div class="tile" title="${esc(t.definition)}"><div class="name">${esc(t.name)}</div><div class="value">${esc(t.value)}</div><div class="change ${t.tone}">${esc(t.change)}</div><div class="def">${esc(t.definition)}</div></div>`)
          .join('')}</div>`;
      } else if (p.panel.type === 'table') {
        const { cols, rows } = tableRows(r, p, 50);
        // Money is in the reporting currency: its column says which, as on the page.
        inner = `<table><thead><tr>${cols.map((c) => `<th>${esc(c.format === 'money' ? `${c.title[r.lang]} (${r.currency})` : c.title[r.lang])}</th>`).join('')}</tr></thead><tbody>${rows
          .map((row) => `<tr>${row.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`;
      } else inner = p.svg ?? '';
      return `<section class="card ${p.panel.type}">${title}${inner}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${r.lang}"><head><meta charset="utf-8"><title>${esc(r.dashboard.title[r.lang])}</title>
<style>
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;margin:24px;background:#fff}
h1{font-size:20px;margin:0 0 4px}.filters{color:#616e7c;margin:0 0 16px}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}
.card{border:1px solid #e4e7eb;border-radius:6px;padding:12px;break-inside:avoid}.card.kpi,.card.table{grid-column:1/-1}
h2{font-size:14px;margin:0}.desc{color:#616e7c;font-size:11px;margin:2px 0 8px}.note{color:#616e7c;font-style:italic}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:8px}.tile{border:1px solid #e4e7eb;border-radius:6px;padding:8px}
.tile .name{color:#616e7c;font-size:11px}.tile .value{font-size:20px;font-weight:600}.tile .def{color:#616e7c;font-size:10px;margin-top:4px}
.change{font-size:11px}.good{color:#1b7f3b}.bad{color:#c62828}.flat{color:#616e7c}
table{border-collapse:collapse;width:100%;font-size:11px}th,td{border-bottom:1px solid #e4e7eb;padding:3px 6px;text-align:left;vertical-align:top}
svg{max-width:100%;height:auto}
</style></head><body>
<h1>${esc(r.dashboard.title[r.lang])}</h1><p class="filters">${esc(filterLine(r))}</p>
<main class="grid">
${body}
</main></body></html>\n`;
}

const sizeOf = (svg: string) => {
  const w = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  const h = /<svg[^>]*\sheight="([\d.]+)"/.exec(svg);
  return { width: Number(w?.[1] ?? CHART.width), height: Number(h?.[1] ?? CHART.height) };
};

/** The whole dashboard as one SVG page: tiles and tables as text, charts nested at their own size, two columns. */
export function dashboardSvg(r: RenderedDashboard): string {
  const margin = 24;
  const colWidth = 640;
  const width = margin * 2 + colWidth * 2 + 16;
  const parts: string[] = [];
  const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x}" y="${y}" ${attrs}>${esc(s)}</text>`;
  let y = margin + 20;
  parts.push(text(margin, y, r.dashboard.title[r.lang], 'font-size="20" font-weight="600"'));
  y += 22;
  parts.push(text(margin, y, filterLine(r), 'font-size="12" fill="#616e7c"'));
  y += 20;
  let col = 0;
  let rowHeight = 0;
  const flushRow = () => {
    if (col === 0) return;
    y += rowHeight + 16;
    col = 0;
    rowHeight = 0;
  };
  for (const p of r.panels) {
    const full = p.panel.type !== 'chart';
    if (full) flushRow();
    const x = margin + col * (colWidth + 16);
    const blockWidth = full ? width - margin * 2 : colWidth;
    const inner: string[] = [text(12, 22, p.panel.title[r.lang], 'font-size="14" font-weight="600"')];
    let h = 34;
    if (p.data.unavailable || !p.data.rows.length) {
      inner.push(text(12, h + 14, p.data.unavailable ? NOTES[r.lang].unavailable(p.data.unavailable) : NOTES[r.lang].empty, 'font-size="12" fill="#616e7c" font-style="italic"'));
      h += 30;
    } else if (p.panel.type === 'kpi') {
      const tiles = tilesOf(r, p);
      const per = Math.min(tiles.length, 8);
      const tw = (blockWidth - 24 - (per - 1) * 8) / per;
      tiles.forEach((t, i) => {
        const tx = 12 + i * (tw + 8);
        inner.push(`<rect x="${tx}" y="${h}" width="${tw}" height="66" rx="5" fill="none" stroke="#e4e7eb"/>`);
        inner.push(text(tx + 8, h + 16, t.name, 'font-size="11" fill="#616e7c"'));
        inner.push(text(tx + 8, h + 40, t.value, 'font-size="18" font-weight="600"'));
        inner.push(text(tx + 8, h + 58, t.change, `font-size="11" fill="${t.tone === 'good' ? '#1b7f3b' : t.tone === 'bad' ? '#c62828' : '#616e7c'}"`));
      });
      h += 76;
    } else if (p.panel.type === 'table') {
      const { cols, rows } = tableRows(r, p, 20);
      const cw = (blockWidth - 24) / cols.length;
      const clip = (s: string) => (s.length > Math.floor(cw / 6) ? `${s.slice(0, Math.max(1, Math.floor(cw / 6) - 1))}…` : s);
      cols.forEach((c, i) => inner.push(text(12 + i * cw, h + 12, clip(c.title[r.lang]), 'font-size="11" font-weight="600"')));
      rows.forEach((row, j) => row.forEach((v, i) => inner.push(text(12 + i * cw, h + 30 + j * 16, clip(v), 'font-size="11"'))));
      h += 30 + rows.length * 16;
    } else if (p.svg) {
      const size = sizeOf(p.svg);
      inner.push(p.svg.replace('<svg', `<svg x="12" y="${h}"`));
      h += size.height + 8;
    }
    parts.push(`<g transform="translate(${x},${y})"><rect width="${blockWidth}" height="${h}" rx="6" fill="#fff" stroke="#e4e7eb"/>${inner.join('')}</g>`);
    if (full) {
      y += h + 16;
    } else {
      rowHeight = Math.max(rowHeight, h);
      col += 1;
      if (col === 2) flushRow();
    }
  }
  flushRow();
  const height = y + margin;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" fill="#1f2933"><rect width="100%" height="100%" fill="#f5f7fa"/>${parts.join('')}</svg>\n`;
}

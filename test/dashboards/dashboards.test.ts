import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiContext } from '../../src/api/context.ts';
import { createApp } from '../../src/web/app.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { loadDashboards, parseDashboard, placeholders, specFields, type Dashboard } from '../../src/dashboards/definition.ts';
import { resolveFilters, runPanel, type Query } from '../../src/dashboards/run.ts';
import { discoverModels } from '../../src/models/index.ts';
import { kpiDefinition } from '../../src/models/definitions.ts';
import { demoWarehouse, type DemoWarehouse } from './demo-warehouse.ts';

let demo: DemoWarehouse;
let wh: Warehouse;
let api: ApiContext;
let app: ReturnType<typeof createApp>;
let query: Query;
const dashboards = loadDashboards();

beforeAll(async () => {
  demo = await demoWarehouse();
  wh = await Warehouse.open(demo.dbPath);
  api = await ApiContext.create(wh, { uploadDir: join(demo.dir, 'uploads') });
  app = createApp(api);
  query = (sql, params) => api.reads.result(sql, params);
});
afterAll(() => {
  api?.close();
  wh?.close();
  demo?.remove();
});

const get = (path: string, key?: string) => app.request(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} });

/** The filter settings each panel is run under: defaults, then each optional filter set to its first value. */
async function settings(d: Dashboard): Promise<Record<string, string | undefined>[]> {
  const out: Record<string, string | undefined>[] = [{}];
  const { options } = await resolveFilters(d, query, {});
  for (const f of d.filters) if (!f.default && options[f.name]?.length) out.push({ [f.name]: options[f.name][0] });
  return out;
}

const MODELS = discoverModels();
const MARTS = MODELS.filter((f) => f.layer === 'marts');
const MACROS = MODELS.filter((f) => f.layer === 'macros').flatMap((f) => f.provides);

/** The marts a panel's SQL names (or computes, through a macro) that hold no rows on this warehouse. */
async function emptyMarts(sql: string): Promise<string[]> {
  // A table macro a panel calls stands for the marts that are it at the build's as-of (rep_compliance_at: agg_cfdi_rep_compliance).
  const called = MACROS.filter((m) => new RegExp(`\\b${m}\\s*\\(`).test(sql));
  const computed = MARTS.filter((f) => called.some((m) => new RegExp(`\\b${m}\\s*\\(`).test(f.sql))).map((f) => f.name);
  const named = [...new Set([...(sql.match(/\b(?:agg|fct|dim|kpi)_\w+/g) ?? []), ...computed])];
  const empty: string[] = [];
  for (const m of named) if ((await wh.tableExists(m)) && (await wh.all(`select 1 from ${m} limit 1`)).length === 0) empty.push(m);
  return empty;
}

describe('dashboard files', () => {
  test('the four dashboards load, in menu order', () => {
    expect([...dashboards.keys()]).toEqual(['cfo', 'collections', 'analyst', 'admin']);
  });

  test('a placeholder that is not a filter, or a chart without a spec, is refused', () => {
    const base = `title: {es: a, en: a}\nroles: [admin]\nfilters: []\n`;
    expect(() => parseDashboard('x', `${base}panels:\n  - {id: p, title: {es: a, en: a}, description: {es: a, en: a}, sql: "select $segment", spec: {mark: bar}}\n`)).toThrow(/\$segment is not one of its filters/);
    expect(() => parseDashboard('x', `${base}panels:\n  - {id: p, title: {es: a, en: a}, description: {es: a, en: a}, sql: "select 1"}\n`)).toThrow(/needs 'spec'/);
    expect(placeholders("select '$not' -- $nor\n, $as_of::date, $as_of")).toEqual(['as_of']);
  });

  for (const [name, d] of dashboards) {
    for (const panel of d.panels.filter((p) => p.source)) {
      test(`${name}/${panel.id}: the report it reads answers every filter, with the column that opens a customer`, async () => {
        for (const given of await settings(d)) {
          const r = await get(`${panel.source}?${new URLSearchParams(given as Record<string, string>)}`, demo.keys.admin);
          expect({ panel: panel.id, given, status: r.status }).toMatchObject({ status: 200 });
          const body = (await r.json()) as { data: Record<string, unknown>[]; buckets: string[] };
          if (panel.drill) for (const row of body.data) expect(row[panel.drill]).toBeTruthy();
          if (Object.keys(given).length === 0) expect(body.data.length).toBeGreaterThan(0);
        }
      });
    }
    for (const panel of d.panels.filter((p) => !p.source)) {
      test(`${name}/${panel.id}: the query runs under every filter and returns every field the panel shows`, async () => {
        for (const given of await settings(d)) {
          const { values } = await resolveFilters(d, query, given);
          const data = await runPanel(panel, query, values);
          if (data.unavailable) {
            // Only a mart that is really missing may excuse a panel (the agg_* marts arrive with their models).
            expect(await wh.tableExists(data.unavailable)).toBe(false);
            continue;
          }
          const columns = new Set(data.columns);
          const shown = [
            ...(panel.spec ? [...specFields(panel.spec)] : []),
            ...(panel.columns ?? []).map((c) => c.field),
            ...(panel.tiles ?? []).flatMap((t) => [t.value, ...(t.previous ? [t.previous] : [])]),
            ...(panel.drill ? [panel.drill] : []),
          ].flatMap((f) => (f.includes('{lang}') ? [f.replace('{lang}', 'es'), f.replace('{lang}', 'en')] : [f]));
          for (const f of shown) expect({ panel: panel.id, given, field: f, present: columns.has(f) }).toMatchObject({ present: true });
          // Empty only where a mart it reads is empty here: the CFDI panels on a warehouse loaded from ERP exports alone.
          if (Object.keys(given).length === 0 && data.rows.length === 0) expect({ panel: panel.id, emptyMarts: await emptyMarts(panel.sql ?? '') }).not.toMatchObject({ emptyMarts: [] });
        }
      });
    }
  }
});

describe('filters', () => {
  const cfo = () => dashboards.get('cfo')!;
  const panel = (id: string) => cfo().panels.find((p) => p.id === id)!;

  test('a segment narrows the aging to that segment, and the as-of moves it', async () => {
    const all = await resolveFilters(cfo(), query, {});
    const seg = all.options.segment[0];
    const one = await runPanel(panel('aging_by_segment'), query, (await resolveFilters(cfo(), query, { segment: seg })).values);
    expect(new Set(one.rows.map((r) => r.segment))).toEqual(new Set([seg]));
    const earlier = (await resolveFilters(cfo(), query, { as_of: '2026-01-31' })).values;
    const a = await runPanel(panel('kpis'), query, all.values);
    const b = await runPanel(panel('kpis'), query, earlier);
    expect(b.rows[0].month).toBe('2026-01-01');
    expect(b.rows[0].open_ar).not.toBe(a.rows[0].open_ar);
  });

  test('bad values answer 400 and never reach the SQL', async () => {
    for (const q of ['as_of=2026-02-30', 'as_of=yesterday', "segment=x' or 1=1 --", 'currency=XXX']) {
      const r = await get(`/api/dashboards/cfo/panels/kpis?${q}`, demo.keys.cfo);
      expect({ q, status: r.status }).toEqual({ q, status: 400 });
    }
  });
});

describe('pages forgive a stale link', () => {
  const configOf = (html: string) => JSON.parse(/<script type="application\/json" id="config">(.*?)<\/script>/s.exec(html)![1]);

  test('a value that is gone, a malformed date and a filter the page lacks: the page opens, those filters at their defaults, with notes', async () => {
    const r = await get('/dashboards/cfo?segment=Nope&as_of=2026-02-30&segmnt=PyME&lang=en', demo.keys.cfo);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const cfg = configOf(await r.text());
    const value = (name: string) => cfg.filters.find((f: { name: string }) => f.name === name).value;
    expect(value('segment')).toBeNull();
    expect(value('as_of')).toBe((await resolveFilters(dashboards.get('cfo')!, query, {})).values.as_of);
    expect(cfg.notes.map((n: { filter: string; reset: boolean; text: { en: string } }) => [n.filter, n.reset, n.text.en])).toEqual([
      ['as_of', true, expect.stringMatching(/^'2026-02-30' is not a date \(YYYY-MM-DD\); showing \d{4}-\d{2}-\d{2}\.$/)],
      ['segment', true, "Segment: there is no 'Nope' (gone, or mistyped); showing all."],
      ['segmnt', true, "This dashboard has no filter 'segmnt' (it has: as_of, currency, segment, country); ignored."],
    ]);
    // The data behind it stays strict: a script gets the 400.
    expect((await get('/api/dashboards/cfo/panels/kpis?segment=Nope', demo.keys.cfo)).status).toBe(400);
  });

  test("a refusal speaks the page's language, and says which: Spanish for a Spanish page, English for a script", async () => {
    const refusal = async (headers: Record<string, string>, query = '') => {
      const r = await app.request(`/api/dashboards/cfo/panels/kpis?segment=Nope${query}`, { headers: { Authorization: `Bearer ${demo.keys.cfo}`, ...headers } });
      return { status: r.status, lang: r.headers.get('content-language'), body: (await r.json()) as { title: string; detail: string } };
    };
    expect(await refusal({ 'Accept-Language': 'es-CO,es;q=0.9' })).toEqual({
      status: 400, lang: 'es', body: expect.objectContaining({ title: 'Solicitud no válida', detail: "filtro segment: 'Nope' no es uno de sus valores" }),
    });
    expect(await refusal({})).toEqual({ status: 400, lang: 'en', body: expect.objectContaining({ title: 'Bad Request', detail: "filter 'segment': 'Nope' is not one of its values" }) });
    expect((await refusal({ 'Accept-Language': 'es-MX' }, '&locale=en-US')).lang).toBe('en');
    // A message the server has only in English says so: the page then shows its own words for the status.
    const r = await app.request('/api/no-such-endpoint', { headers: { Authorization: `Bearer ${demo.keys.cfo}`, 'Accept-Language': 'es-MX' } });
    expect([r.status, r.headers.get('content-language'), ((await r.json()) as { title: string }).title]).toEqual([404, 'en', 'Not found']);
  });
});

describe('pages and roles', () => {
  const PAGES = ['cfo', 'collections', 'analyst'] as const;
  const MAY: Record<keyof DemoWarehouse['keys'], (typeof PAGES)[number][]> = {
    cfo: ['cfo'],
    collections: ['collections'],
    own: ['collections'],
    analyst: ['cfo', 'collections', 'analyst'],
    admin: ['cfo', 'collections', 'analyst'],
  };

  test('each role opens its dashboards and gets 403 on the others', async () => {
    for (const [who, may] of Object.entries(MAY) as [keyof DemoWarehouse['keys'], string[]][]) {
      for (const page of PAGES) {
        const r = await get(`/dashboards/${page}`, demo.keys[who]);
        expect({ who, page, status: r.status }).toEqual({ who, page, status: may.includes(page) ? 200 : 403 });
        const data = await get(`/api/dashboards/${page}/panels/${dashboards.get(page)!.panels[0].id}`, demo.keys[who]);
        expect({ who, page, status: data.status }).toEqual({ who, page, status: may.includes(page) ? 200 : 403 });
      }
    }
  });

  test('without a key pages send the browser to sign in, data answers 401, / goes home', async () => {
    const page = await get('/dashboards/cfo?segment=PyME');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/dashboards/cfo?segment=PyME')}`);
    expect((await get('/api/dashboards/cfo/panels/kpis')).status).toBe(401);
    expect((await get('/')).headers.get('location')).toBe('/login');
    expect((await get('/', demo.keys.collections)).headers.get('location')).toBe('/dashboards/collections');
    expect((await get('/', demo.keys.cfo)).headers.get('location')).toBe('/dashboards/cfo');
    const login = await get('/login');
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('/assets/login.js');
  });

  test('the page loads Vega from this server, with a CSP and no inline script', async () => {
    const r = await get('/dashboards/cfo', demo.keys.cfo);
    const html = await r.text();
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const s of ['vega.js', 'vega-lite.js', 'vega-embed.js', 'dashboard.js']) {
      expect(html).toContain(`<script src="/assets/${s}">`);
      const asset = await get(`/assets/${s}`);
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect(html).not.toMatch(/https?:\/\//);
  });

  test("a collector's key sees its own call list only, and may not ask for another", async () => {
    const r = await get('/api/dashboards/collections/panels/call_list', demo.keys.own);
    const body = (await r.json()) as { rows: { collector: string }[]; filters: Record<string, string> };
    expect(body.rows.length).toBeGreaterThan(0);
    expect(new Set(body.rows.map((x) => x.collector))).toEqual(new Set([demo.collector]));
    const team = (await (await get('/api/dashboards/collections/panels/call_list', demo.keys.collections)).json()) as { rows: unknown[] };
    expect(team.rows.length).toBeGreaterThan(body.rows.length);
    const other = (await resolveFilters(dashboards.get('collections')!, query, {})).options.collector.find((c) => c !== demo.collector)!;
    expect((await get(`/api/dashboards/collections/panels/call_list?collector=${encodeURIComponent(other)}`, demo.keys.own)).status).toBe(403);
  });

  test("the call list exports as CSV for the locale's spreadsheet and as XLSX, with the filters applied", async () => {
    // No locale asked: the product's default, es-MX, whose spreadsheet takes commas and decimal points.
    const plain = await (await get('/api/dashboards/collections/panels/call_list?format=csv', demo.keys.own)).text();
    expect(plain.replace('\uFEFF', '').split('\r\n')[0].split(',')).toContain('customer_name');
    const csv = await get('/api/dashboards/collections/panels/call_list?format=csv&locale=es-CO', demo.keys.own);
    expect(csv.headers.get('content-disposition')).toContain('call_list.csv');
    const text = await csv.text();
    const lines = text.trim().split('\r\n');
    expect(lines[0].replace('\uFEFF', '').split(';')).toContain('customer_name');
    const json = (await (await get('/api/dashboards/collections/panels/call_list', demo.keys.own)).json()) as { rows: unknown[] };
    expect(lines.length - 1).toBe(json.rows.length);
    // Every row says what to do and why, in Spanish words: no column of the export is left empty.
    const header = lines[0].replace('\uFEFF', '').split(';');
    // Fields with a ';' (reasons joined by '; ') are quoted: split on the separators outside quotes.
    const cells = [...lines[1].matchAll(/("(?:[^"]|"")*"|[^;]*)(?:;|$)/g)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
    const first = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    expect(first.suggested_action_text).toMatch(/^[A-ZÁÉÍÓÚ][a-záéíóúñ ]+/);
    expect(first.reasons_text).toMatch(/[a-záéíóúñ]/);
    const xlsx = await get('/api/dashboards/collections/panels/call_list?format=xlsx', demo.keys.own);
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    expect((await get('/api/dashboards/cfo/panels/kpis?format=csv', demo.keys.cfo)).status).toBe(400);
  });
});

describe('one name for one measure', () => {
  test("the DSO chart names its lines as the KPI tiles do, in each language", async () => {
    const cfo = dashboards.get('cfo')!;
    const { values } = await resolveFilters(cfo, query, {});
    const data = await runPanel(cfo.panels.find((p) => p.id === 'dso_trend')!, query, values);
    for (const lang of ['es', 'en'] as const) {
      const names = new Set(data.rows.map((r) => String(r[`measure_${lang}`])));
      const tiles = ['dso_standard', 'dso_countback'].map((c) => kpiDefinition(c)!.label[lang]);
      for (const t of tiles) expect({ lang, names: [...names] }).toMatchObject({ names: expect.arrayContaining([t]) });
    }
  });
});

describe('one date on the CFO page', () => {
  const panel = async (id: string, asOf: string) => {
    const r = await get(`/api/dashboards/cfo/panels/${id}?as_of=${asOf}`, demo.keys.cfo);
    expect(r.status).toBe(200);
    return (await r.json()) as { rows: Record<string, number | string>[]; filters: Record<string, string>; notes: { filter: string; used: string; text: { es: string; en: string } }[] };
  };

  test('an as-of inside a month: every tile and chart shows the month-end before it, and the page says so', async () => {
    const kpis = await panel('kpis', '2026-09-15');
    const bySegment = await panel('aging_by_segment', '2026-09-15');
    const byCurrency = await panel('aging_by_currency', '2026-09-15');
    for (const p of [kpis, bySegment, byCurrency]) {
      expect(p.filters.as_of).toBe('2026-08-31');
      expect(p.notes).toMatchObject([{ filter: 'as_of', used: '2026-08-31' }]);
    }
    expect(kpis.notes[0].text.en).toBe('KPIs are monthly: every panel shows the month-end 2026-08-31, the last one on or before 2026-09-15.');
    expect(kpis.rows[0].month).toBe('2026-08-01');
    // The open-receivables tile is the sum of the aging charts, to the cent.
    const openAr = Number(kpis.rows[0].open_ar);
    const sum = (rows: Record<string, number | string>[]) => rows.reduce((s, r) => s + Number(r.amount), 0);
    expect(sum(bySegment.rows)).toBeCloseTo(openAr, 2);
    expect(sum(byCurrency.rows)).toBeCloseTo(openAr, 2);
    // The page embeds the same note for its first draw.
    const page = await (await get('/dashboards/cfo?as_of=2026-09-15', demo.keys.cfo)).text();
    expect(page).toContain('"value":"2026-08-31"');
    expect(page).toContain('the last one on or before 2026-09-15');
  });

  test('a month-end or the publication date is kept as it is; a date after the data says where the data ends', async () => {
    const asOf = String((await query('select as_of::varchar from build_options')).getRowsJson()[0][0]);
    for (const d of ['2026-06-30', asOf]) {
      const p = await panel('kpis', d);
      expect(p.filters.as_of).toBe(d);
      expect(p.notes).toEqual([]);
    }
    const later = await panel('kpis', '2030-01-15');
    expect(later.filters.as_of).toBe(asOf);
    expect(later.notes[0].text.es).toBe(`Los datos llegan hasta el ${asOf}: se muestra esa fecha, no el 2030-01-15.`);
  });
});

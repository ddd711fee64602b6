import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../src/api/context.ts';
import type { ApiEnv } from '../../src/api/env.ts';
import { ReadPool } from '../../src/api/read-pool.ts';
import type { Role } from '../../src/api/roles.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { notebooksRoutes } from '../../src/notebooks/routes.ts';
import { RequestReads } from '../../src/api/request-reads.ts';
import { tinyWarehouse } from './tiny-warehouse.ts';

let tiny: Awaited<ReturnType<typeof tinyWarehouse>>;
let wh: Warehouse;
let reads: ReadPool;
let app: Hono<ApiEnv>;

beforeAll(async () => {
  tiny = await tinyWarehouse();
  const dir = join(tiny.dir, 'notebooks');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'por-segmento.md'),
    `---\ntitle: Por segmento\nparams:\n  segmento:\n    default: pyme\n    options: [pyme, corporativo, gobierno]\n  desde:\n    type: date\n    default: 2024-01-01\n---\n` +
      '```sql name=filas\nselect month, ar_end from kpi_monthly_by_segment where segment = ${segmento} and month >= ${desde} order by month\n```\n\n' +
      '```vega-lite\n{"data": {"name": "filas"}, "mark": "bar", "encoding": {"x": {"field": "month", "type": "ordinal"}, "y": {"field": "ar_end", "type": "quantitative"}}}\n```\n',
  );
  writeFileSync(join(dir, 'validacion.md'), '```sql name=bt\nselect count(*) from risk_backtest\n```\n');
  writeFileSync(join(dir, 'roto.md'), '```sql name=mal\nselect * from nada\n```\n');
  wh = await Warehouse.open(tiny.db, { readOnly: true });
  reads = new ReadPool(wh.instance);
  // The real app sets these in `authenticate`; here a header names the role so each test picks one.
  app = new Hono<ApiEnv>();
  app.use('*', async (c, next) => {
    const api = { reads } as unknown as ApiContext;
    c.set('api', api);
    const requestReads = new RequestReads(api);
    c.set('reads', requestReads);
    const role = c.req.header('x-test-role') as Role | undefined;
    if (role) c.set('principal', { role, name: 'test', collector: null, subject: 'key:t1', tokenId: 't1', userId: null });
    await next();
    await requestReads.close();
  });
  app.route('/notebooks', notebooksRoutes({ dir }));
});

afterAll(() => {
  reads.close();
  wh.close();
  tiny.cleanup();
});

const get = (path: string, role?: Role, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { ...headers, ...(role ? { 'x-test-role': role } : {}) } });

describe('notebooks routes', () => {
  it('are for analysts and admins only', async () => {
    expect((await get('/notebooks')).status).toBe(401);
    expect((await get('/notebooks/por-segmento', 'cfo')).status).toBe(403);
    expect((await get('/notebooks', 'admin')).status).toBe(200);
  });

  it('list the notebooks as links, or as JSON with their parameters', async () => {
    const html = await (await get('/notebooks', 'analyst')).text();
    expect(html).toContain('<a href="/notebooks/por-segmento">Por segmento</a>');
    const json = (await (await get('/notebooks', 'analyst', { accept: 'application/json' })).json()) as { name: string; params: { name: string }[] }[];
    expect(json.map((n) => n.name)).toEqual(['por-segmento', 'roto', 'validacion']);
    expect(json[0].params.map((p) => p.name)).toEqual(['segmento', 'desde']);
  });

  it('render a notebook with query parameters as its parameters', async () => {
    const res = await get('/notebooks/por-segmento?segmento=gobierno&desde=2024-03-01', 'analyst');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<b>filas</b> · 1 row');
    expect(html).toContain('<td class="n">82,000.00</td>');
    expect(html).toContain('<svg');
    expect(html).toContain('<option selected>gobierno</option>');
  });

  it("write numbers as the reader asks: ?locale=, else the browser's languages, else the notebook's own", async () => {
    const path = '/notebooks/por-segmento?segmento=gobierno&desde=2024-03-01';
    const colombian = { 'accept-language': 'es-CO,es;q=0.9,en;q=0.5' };
    expect(await (await get(path, 'analyst', colombian)).text()).toContain('<td class="n">82.000,00</td>');
    expect(await (await get(`${path}&locale=en-US`, 'analyst', colombian)).text()).toContain('<td class="n">82,000.00</td>');
    // A language we write in no format of (nor any tag of it) leaves the notebook's own, es-MX.
    expect(await (await get(path, 'analyst', { 'accept-language': 'de-DE' })).text()).toContain('<td class="n">82,000.00</td>');
    expect((await get(`${path}&locale=xx-YY`, 'analyst')).status).toBe(400);
  });

  it('answer 400 for an unknown, repeated or malformed parameter', async () => {
    for (const q of ['?segment=pyme', '?segmento=pyme&segmento=gobierno', '?desde=ayer', "?segmento=x'%20or%201=1"]) {
      const res = await get(`/notebooks/por-segmento${q}`, 'analyst');
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('send a browser without a session to sign in, and back', async () => {
    const res = await get('/notebooks/por-segmento?segmento=gobierno', undefined, { accept: 'text/html,application/xhtml+xml' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/notebooks/por-segmento?segmento=gobierno')}`);
  });

  it('open a page whose link has a stale or malformed parameter with the default instead, and say so', async () => {
    const res = await get('/notebooks/por-segmento?segmento=pymes&desde=ayer&segment=pyme', 'analyst', { accept: 'text/html' });
    expect(res.status).toBe(200);
    const html = (await res.text()).replaceAll('&#39;', "'");
    expect(html).toContain("parameter 'segmento' must be one of pyme, corporativo, gobierno; got 'pymes': se usa el valor por defecto / using the default");
    expect(html).toContain("parameter 'desde' must be a date YYYY-MM-DD; got 'ayer'");
    expect(html).toContain("this notebook has no parameter 'segment' (it takes: segmento, desde)");
    expect(html).toContain('<code>segmento</code> = <code>pyme</code>');
  });

  it('answer 404 for a name that is no notebook, paths included', async () => {
    expect((await get('/notebooks/nada', 'analyst')).status).toBe(404);
    expect((await get('/notebooks/..%2Fsecret', 'analyst')).status).toBe(404);
  });

  it('answer 500 naming the block when a notebook is broken', async () => {
    const res = await get('/notebooks/roto', 'analyst');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toMatch(/roto\.md, block 'mal' \(line 1\): Catalog Error: Table with name nada does not exist/);
  });

  it('answer 503 with Retry-After, not 500, while a command has yet to make the table a notebook reads', async () => {
    const json = await get('/notebooks/validacion', 'analyst');
    expect(json.status).toBe(503);
    expect(json.headers.get('retry-after')).toBe('30');
    expect(((await json.json()) as { detail: string }).detail).toBe('not ready: risk_backtest does not exist yet; it is made by: cartera backtest --train-until YYYY-MM-DD');
    const page = await get('/notebooks/validacion', 'analyst', { accept: 'text/html' });
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('<meta http-equiv="refresh" content="30">');
    expect(html).toContain('la demo lo prepara en segundo plano');
  });
});

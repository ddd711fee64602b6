import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ApiContext } from '../../src/api/context.ts';
import { createApp } from '../../src/web/app.ts';
import { ensureApiSchema } from '../../src/api/schema.ts';
import { createToken } from '../../src/api/tokens.ts';
import { generateExports } from '../../src/generate/generate.ts';
import { DEMO, demoWarehouse } from '../support/demo-warehouse.ts';

/**
 * The admin endpoints on the shared demo warehouse (generated, ingested, built and scored by the
 * real pipeline). Refresh re-reads the same generated exports (same seed, same bytes: ingest
 * skips them), rebuilds and rescores with the stored model, all inside the server.
 */
let dir: string;
let wh: Warehouse;
let api: ApiContext;
let app: ReturnType<typeof createApp>;
let admin: string;
let cfo: string;

beforeAll(async () => {
  const db = await demoWarehouse();
  dir = dirname(db);
  const exports = join(dir, 'exports');
  await generateExports({ ...DEMO, out: exports, dialect: 'all' });
  wh = await Warehouse.open(db);
  await ensureApiSchema(wh);
  admin = (await createToken(wh, { role: 'admin', name: 'ops' })).key;
  cfo = (await createToken(wh, { role: 'cfo', name: 'cfo' })).key;
  api = await ApiContext.create(wh, { uploadDir: join(dir, 'uploads'), exportDir: exports });
  app = createApp(api);
});
afterAll(async () => {
  await api?.close();
  wh?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, key: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('admin', () => {
  test('before any build, data endpoints say what is missing (503), health says no build', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'cartera-api-empty-'));
    const empty = await Warehouse.open(join(emptyDir, 'w.duckdb'));
    try {
      await ensureApiSchema(empty);
      const key = (await createToken(empty, { role: 'cfo', name: 'cfo' })).key;
      const ctx = await ApiContext.create(empty, { uploadDir: join(emptyDir, 'uploads') });
      const emptyApp = createApp(ctx);
      expect(await (await emptyApp.request('/api/health')).json()).toMatchObject({ status: 'no build', build_id: null });
      const r = await emptyApp.request('/api/kpis', { headers: { Authorization: `Bearer ${key}` } });
      expect(r.status).toBe(503);
      expect((await r.json()).detail).toMatch(/cartera build/);
      await ctx.close();
    } finally {
      empty.close();
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  test('refresh ingests the export folder, builds, scores, and every endpoint then answers', async () => {
    const before = api.build.buildId;
    const r = await call('POST', '/api/admin/refresh', admin, {});
    const body = await r.json();
    expect(r.status, JSON.stringify(body)).toBe(200);
    expect(body.ingest.skipped.length).toBeGreaterThan(3);
    expect(body.build.build_id).toBeGreaterThan(Number(before));
    expect(body.score.scored).toBeGreaterThan(0);
    expect(body.call_list.customers).toBeGreaterThan(0);
    const health = await (await app.request('/api/health')).json();
    expect(health).toMatchObject({ status: 'ok', build_id: String(body.build.build_id), as_of: body.build.options.asOf });
    const reads: [string, string][] = [
      ['/api/kpis', 'kpi_monthly'],
      ['/api/kpis/monthly', 'kpi_monthly'],
      ['/api/aging?group_by=customer', 'aging_with'],
      ['/api/customers', 'dim_customers'],
      ['/api/invoices', 'fct_invoices'],
      ['/api/call-list?limit=5', 'call_list'],
      ['/api/segments', 'agg_customer_segments'],
      ['/api/recovery', 'agg_recovery'],
      ['/api/roll-rates', 'agg_roll_rates'],
      ['/api/forecast', 'agg_cash_forecast'],
      ['/api/risk/model', 'risk_models'],
      ['/api/catalog', 'builds'],
    ];
    // A mart the models do not make yet must answer 503 naming it, never 500.
    for (const [p, mart] of reads) {
      const res = await call('GET', p, admin);
      const expected = api.build.relations.has(mart) ? 200 : 503;
      expect({ p, status: res.status }).toEqual({ p, status: expected });
    }
    for (const mart of ['kpi_monthly', 'aging_with', 'dim_customers', 'fct_invoices', 'call_list', 'risk_models', 'agg_customer_segments']) {
      expect(api.build.relations.has(mart), mart).toBe(true);
    }
    const kpis = await (await call('GET', '/api/kpis', cfo)).json();
    expect(Number(kpis.metrics.ar_end.value)).toBeGreaterThan(0);
    const cur = body.build.options.reportingCurrency;
    expect((await call('GET', `/api/kpis?currency=${cur}`, cfo)).status).toBe(200);
  });

  test('aging by customer adds up to the open receivables of fct_invoices', async () => {
    const aging = await (await call('GET', '/api/aging?group_by=customer', cfo)).json();
    const total = aging.data.reduce((s: number, r: { total: string }) => s + Math.round(Number(r.total) * 100), 0);
    const open = await wh.scalar<string>(
      `select sum(outstanding_reporting) from aging_with($1::date, 'due', [30, 60, 90, 120])`,
      [aging.as_of],
    );
    expect(total).toBe(Math.round(Number(open) * 100));
    for (const row of aging.data.slice(0, 20)) {
      const parts = aging.buckets.reduce((s: number, b: string) => s + Math.round(Number(row[b]) * 100), 0);
      expect(parts).toBe(Math.round(Number(row.total) * 100));
    }
  });

  test('an uploaded export is saved in the upload folder and loaded', async () => {
    const form = new FormData();
    const src = join(__dirname, '..', 'fixtures', 'ibm_accounts_receivable.csv');
    form.append('file', new Blob([readFileSync(src)]), 'ibm_accounts_receivable.csv');
    const before = Number(await wh.scalar('select count(*) from raw_invoices'));
    const r = await app.request('/api/admin/ingest', { method: 'POST', body: form, headers: { Authorization: `Bearer ${admin}` } });
    const body = await r.json();
    expect(r.status, JSON.stringify(body)).toBe(200);
    expect(body.loaded).toHaveLength(1);
    expect(Number(await wh.scalar('select count(*) from raw_invoices'))).toBeGreaterThan(before);
    const bad = new FormData();
    bad.append('file', new Blob(['MZ']), 'tool.exe');
    const refused = await app.request('/api/admin/ingest', { method: 'POST', body: bad, headers: { Authorization: `Bearer ${admin}` } });
    expect(refused.status).toBe(400);
    expect((await refused.json()).detail).toContain('tool.exe');
  });

  test('keys: created and revoked through the API take effect at once', async () => {
    const made = await (await call('POST', '/api/admin/tokens', admin, { role: 'collections', name: 'Ana', collector: 'ana' })).json();
    expect(made.key).toMatch(/^ck_/);
    // A live key of the wrong role is 403; once revoked it is not a key at all: 401.
    expect((await call('GET', '/api/kpis', made.key)).status).toBe(403);
    const list = await (await call('GET', '/api/admin/tokens', admin)).json();
    expect(list.data.map((t: { name: string }) => t.name)).toContain('Ana');
    expect(JSON.stringify(list)).not.toContain(made.key);
    expect((await call('DELETE', `/api/admin/tokens/${made.token_id}`, admin)).status).toBe(200);
    expect((await call('GET', '/api/kpis', made.key)).status).toBe(401);
    expect((await call('DELETE', `/api/admin/tokens/${made.token_id}`, admin)).status).toBe(404);
  });

  test('one write at a time: a second answers 409', async () => {
    let release!: () => void;
    const first = api.write(() => new Promise<void>((r) => (release = r)), { changesData: false });
    const r = await call('POST', '/api/admin/refresh', admin, {});
    expect(r.status).toBe(409);
    release();
    await first;
  });
});

/**
 * The collections page carries the collector's workspace (issue 19): `queue: true` in
 * dashboards/collections.yaml puts a queue section above the panels and loads queue.js after the
 * page script; other pages have neither. The call plan panel shows the day each call is scheduled.
 * The browser half is test/e2e/collections-queue.test.ts.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiContext } from '../../src/api/context.ts';
import { loadDashboards, parseDashboard, DashboardError } from '../../src/dashboards/definition.ts';
import { runPanel } from '../../src/dashboards/run.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { createApp } from '../../src/web/app.ts';
import { demoWarehouse, type DemoWarehouse } from './demo-warehouse.ts';

let demo: DemoWarehouse;
let wh: Warehouse;
let api: ApiContext;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  demo = await demoWarehouse();
  wh = await Warehouse.open(demo.dbPath);
  api = await ApiContext.create(wh, { uploadDir: join(demo.dir, 'uploads') });
  app = createApp(api);
});
afterAll(() => {
  api?.close();
  wh?.close();
  demo?.remove();
});

const get = (path: string, key?: string) => app.request(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
const configOf = (html: string) => JSON.parse(/<script type="application\/json" id="config">(.*?)<\/script>/s.exec(html)![1]);

describe('the queue in a dashboard file', () => {
  const base = 'title: { es: T, en: T }\nroles: [admin]\n';
  test('queue is a yes/no setting', () => {
    expect(parseDashboard('x', `${base}queue: true\n`).queue).toBe(true);
    expect(() => parseDashboard('x', `${base}queue: sometimes\n`)).toThrow(DashboardError);
  });
  test('collections has it, the other dashboards do not', () => {
    const all = loadDashboards();
    expect([...all.values()].filter((d) => d.queue).map((d) => d.name)).toEqual(['collections']);
  });
});

describe('the collections page', () => {
  test('a queue section above the panels, queue.js after the page script, queue in the config', async () => {
    const html = await (await get('/dashboards/collections', demo.keys.own)).text();
    expect(html.indexOf('<section id="queue"')).toBeGreaterThan(-1);
    expect(html.indexOf('<section id="queue"')).toBeLessThan(html.indexOf('<main id="panels"'));
    expect(html.indexOf('<script src="/assets/queue.js">')).toBeGreaterThan(html.indexOf('<script src="/assets/dashboard.js">'));
    const cfg = configOf(html);
    expect(cfg.queue).toBe(true);
    expect(cfg.user.collector).toBe(demo.collector);
    const asset = await get('/assets/queue.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    // It writes through the record endpoints with an Idempotency-Key and reads the queues and the numbers.
    const js = await asset.text();
    for (const s of ['/api/call-list?', '/api/collector-numbers?', "'/api/activities'", "'/api/promises'", "'/api/disputes'", "'Idempotency-Key': key", 'crypto.randomUUID()']) {
      expect(js, s).toContain(s);
    }
  });

  test('the CFO page has no queue', async () => {
    const html = await (await get('/dashboards/cfo', demo.keys.cfo)).text();
    expect(html).not.toContain('id="queue"');
    expect(html).not.toContain('/assets/queue.js');
    expect(configOf(html).queue).toBe(false);
  });

  test('the call plan shows the day each call is scheduled for', async () => {
    const d = loadDashboards().get('collections')!;
    const panel = d.panels.find((p) => p.id === 'call_list')!;
    expect(panel.columns!.map((c) => c.field)).toContain('scheduled_date');
    const { rows } = await runPanel(panel, (sql, params) => api.reads.result(sql, params), { collector: demo.collector, band: null });
    expect(rows.length).toBeGreaterThan(0);
    const days = await wh.all<{ customer_id: string; d: string }>(`select customer_id, scheduled_date::varchar as d from call_list where collector = $1`, [demo.collector]);
    const byId = new Map(days.map((x) => [x.customer_id, x.d]));
    for (const r of rows as { customer_id: string; scheduled_date: string }[]) expect(String(r.scheduled_date)).toBe(byId.get(r.customer_id));
  });
});

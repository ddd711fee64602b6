import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiContext } from '../../src/api/context.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { createApp } from '../../src/web/app.ts';
import { demoWarehouse, type DemoWarehouse } from '../dashboards/demo-warehouse.ts';

/**
 * The API on a warehouse the real pipeline made from generated exports (ingested, built, scored
 * and published by `runRefresh`): every answer is what the marts say, read here with plain SQL on
 * the same file. The models' own numbers are proven by hand in test/models.
 */
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

const get = async (path: string, key = demo.keys.analyst) => {
  const r = await app.request(path, { headers: { Authorization: `Bearer ${key}` } });
  expect(r.status, path).toBe(200);
  return r.json();
};
const sql = <T = Record<string, unknown>>(q: string, params?: (string | number | null)[]) => wh.all<T>(q, params);

describe('the API says what the marts say', () => {
  test('/api/kpis: the last month up to the publication as-of, its previous month and the change', async () => {
    const body = await get('/api/kpis');
    const [cur, prev] = await sql<{ month: string; dso_standard: string; ar_end: string; cei_pct: string }>(
      `select month::varchar as month, dso_standard::varchar as dso_standard, ar_end::varchar as ar_end, cei_pct::varchar as cei_pct
       from kpi_monthly where month <= (select as_of from build_options) order by month desc limit 2`,
    );
    expect(body.month).toBe(cur.month);
    expect(body.previous_month).toBe(prev.month);
    expect(body.metrics.ar_end.value).toBe(cur.ar_end);
    expect(body.metrics.ar_end.previous).toBe(prev.ar_end);
    expect(body.metrics.dso_standard.value).toBe(cur.dso_standard);
    expect(body.metrics.cei_pct.value).toBe(cur.cei_pct);
    const [seg] = await sql<{ segment: string }>(`select segment from kpi_monthly_by_segment group by 1 order by 1 limit 1`);
    const bySeg = await get(`/api/kpis?segment=${encodeURIComponent(seg.segment)}`);
    const [segRow] = await sql<{ ar_end: string }>(
      `select ar_end::varchar as ar_end from kpi_monthly_by_segment where segment = $1 and month = $2`,
      [seg.segment, bySeg.month],
    );
    expect(bySeg.metrics.ar_end.value).toBe(segRow.ar_end);
  });

  test('/api/aging: each group and bucket is the sum of aging_with, and the total is the open balance', async () => {
    for (const [query, asOf, basis, bounds] of [
      ['group_by=segment', null, 'due', [30, 60, 90, 120]],
      ['group_by=collector&as_of=2026-03-15&basis=invoice&buckets=45,90', '2026-03-15', 'invoice', [45, 90]],
    ] as const) {
      const body = await get(`/api/aging?${query}`);
      const day = asOf ?? body.as_of;
      const key = query.startsWith('group_by=segment') ? 'segment' : 'collector';
      const expected = await sql<{ g: string | null; bucket: string; amount: string }>(
        `select ${key} as g, bucket, sum(outstanding_reporting)::varchar as amount
         from aging_with($1::date, $2, [${bounds.join(',')}]) group by all`,
        [day, basis],
      );
      for (const e of expected) {
        const row = body.data.find((r: Record<string, string>) => r[key] === e.g);
        expect(row?.[e.bucket], `${key} ${e.g} ${e.bucket}`).toBe(e.amount);
      }
      const [open] = await sql<{ total: string }>(`select sum(outstanding_reporting)::varchar as total from aging_with($1::date, $2, [30])`, [day, basis]);
      const total = body.data.reduce((s: number, r: { total: string }) => s + Math.round(Number(r.total) * 100), 0) / 100;
      expect(total).toBeCloseTo(Number(open.total), 2);
    }
  });

  test("/api/customers/:id: the customer's open items, payments and this publication's scores", async () => {
    const [c] = await sql<{ customer_id: string }>(`select customer_id from call_list order by rank limit 1`);
    const body = await get(`/api/customers/${c.customer_id}`);
    const open = await sql<{ invoice_id: string }>(
      `select invoice_id from fct_invoices where customer_id = $1 and outstanding <> 0 order by due_date, invoice_id`,
      [c.customer_id],
    );
    expect(body.open_items.map((r: { invoice_id: string }) => r.invoice_id)).toEqual(open.map((r) => r.invoice_id));
    const scores = await sql<{ invoice_id: string; risk_band: string }>(
      `select invoice_id, risk_band from risk_scores where customer_id = $1 order by probability desc, invoice_id`,
      [c.customer_id],
    );
    expect(body.risk_scores.map((r: { invoice_id: string; risk_band: string }) => [r.invoice_id, r.risk_band])).toEqual(scores.map((s) => [s.invoice_id, s.risk_band]));
    const [asOf] = await sql<{ d: string }>(`select as_of::varchar as d from build_options`);
    expect(new Set(body.risk_scores.map((r: { as_of: string }) => r.as_of))).toEqual(new Set([asOf.d]));
  });

  test("/api/call-list: the call list's rows in rank order; a collector's key sees only theirs", async () => {
    const body = await get('/api/call-list?limit=25');
    const rows = await sql<{ customer_id: string }>(`select customer_id from call_list order by rank limit 25`);
    expect(body.data.map((r: { customer_id: string }) => r.customer_id)).toEqual(rows.map((r) => r.customer_id));
    const own = await get('/api/call-list?limit=5000', demo.keys.own);
    const mine = await sql<{ n: number }>(`select count(*)::int as n from call_list where collector = $1`, [demo.collector]);
    expect(own.data).toHaveLength(mine[0].n);
    expect(new Set(own.data.map((r: { collector: string }) => r.collector))).toEqual(new Set([demo.collector]));
  });

  test('/api/invoices, /api/forecast and /api/segments page through the marts', async () => {
    const [n] = await sql<{ n: number }>(`select count(*)::int as n from fct_invoices where status = 'open'`);
    let seen = 0;
    let cursor: string | null = null;
    do {
      const page: { data: unknown[]; next_cursor: string | null } = await get(`/api/invoices?status=open&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      seen += page.data.length;
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toBe(n.n);
    const forecast = await get('/api/forecast', demo.keys.cfo);
    const [fc] = await sql<{ n: number }>(`select count(*)::int as n from agg_cash_forecast`);
    expect(forecast.data).toHaveLength(fc.n);
    const health = await get('/api/health');
    const [b] = await sql<{ id: string }>(`select max(build_id)::varchar as id from builds`);
    expect(health.build_id).toBe(b.id);
  });
});

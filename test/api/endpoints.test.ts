import ExcelJS from 'exceljs';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiFixture } from './fixture.ts';

let f: Awaited<ReturnType<typeof apiFixture>>;
beforeAll(async () => {
  f = await apiFixture();
});
afterAll(() => f.close());

const get = async (path: string, key = f.keys.admin) => {
  const r = await f.get(path, key);
  const type = r.headers.get('content-type') ?? '';
  return { status: r.status, headers: r.headers, body: type.includes('json') ? await r.json() : await r.text() };
};

describe('KPIs', () => {
  test('/api/kpis: latest month, previous month and change', async () => {
    const { status, body } = await get('/api/kpis');
    expect(status).toBe(200);
    expect(body.month).toBe('2024-06-01');
    expect(body.previous_month).toBe('2024-05-01');
    expect(body.metrics.dso_standard).toEqual({ value: '48.5', previous: '60.0', change: '-11.5' });
    expect(body.metrics.ar_end).toEqual({ value: '1950.00', previous: '1200.00', change: '750.00' });
    expect(Object.keys(body.metrics)).toEqual([
      'dso_standard', 'dso_countback', 'best_possible_dso', 'add_days', 'cei_pct', 'overdue_pct', 'ar_end', 'bad_debt_ratio_pct',
    ]);
  });

  test('/api/kpis?as_of= picks the month of that date; the first month has no previous', async () => {
    const { body } = await get('/api/kpis?as_of=2024-04-15');
    expect(body.month).toBe('2024-04-01');
    expect(body.previous_month).toBeNull();
    expect(body.metrics.dso_standard).toEqual({ value: '55.0', previous: null, change: null });
  });

  test('a dimension filter reads its per-dimension table', async () => {
    const { body } = await get('/api/kpis?collector=luis');
    expect(body.source).toBe('kpi_monthly_by_collector');
    expect(body.metrics.dso_standard.value).toBe('53.5');
    expect((await get('/api/kpis?segment=enterprise')).body.source).toBe('kpi_monthly_by_segment');
    expect((await get('/api/kpis?country=MX')).body.source).toBe('kpi_monthly_by_country');
  });

  test('/api/kpis/monthly: the series oldest first, with from/as_of bounds', async () => {
    const all = await get('/api/kpis/monthly');
    expect(all.body.data.map((r: { month: string }) => r.month)).toEqual(['2024-04-01', '2024-05-01', '2024-06-01']);
    const some = await get('/api/kpis/monthly?from=2024-05-01&as_of=2024-05-31');
    expect(some.body.data.map((r: { month: string }) => r.month)).toEqual(['2024-05-01']);
  });

  test('currency: the reporting currency is accepted, any other is a clear 400', async () => {
    expect((await get('/api/kpis?currency=mxn')).status).toBe(200);
    const r = await get('/api/kpis?currency=USD');
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain('MXN');
    expect(r.body.detail).toContain("'USD'");
  });

  test('bad parameters answer 400 problem+json naming the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['/api/kpis?as_of=2024-13-45', /as_of/],
      ['/api/kpis?as_of=yesterday', /as_of.*YYYY-MM-DD/],
      ['/api/kpis?currency=pesos', /currency.*ISO 4217/],
      ['/api/kpis?segment=smb&collector=ana', /at most one of/],
      ['/api/aging?group_by=planet', /group_by/],
      ['/api/aging?buckets=60,30', /buckets.*increasing/],
      ['/api/aging?basis=posting', /basis/],
      ['/api/customers?limit=0', /limit/],
      ['/api/customers?sort=email', /sort/],
      ['/api/invoices?cursor=garbage', /cursor/],
      ['/api/call-list?limit=abc', /limit/],
      ['/api/kpis/monthly?format=pdf', /format/],
    ];
    for (const [path, detail] of cases) {
      const r = await get(path);
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body).toMatchObject({ title: 'Bad request', status: 400 });
      expect(r.body.detail).toMatch(detail);
    }
  });
});

describe('aging', () => {
  test('by customer: one column per bucket of the bounds, zero where nothing falls, and a total that adds up', async () => {
    const { body } = await get('/api/aging?group_by=customer');
    expect(body.as_of).toBe('2024-06-30');
    expect(body.buckets).toEqual(['current', '1-30', '31-60', '61-90', '91-120', '120+', 'unapplied']);
    const z = { current: '0.00', '1-30': '0.00', '31-60': '0.00', '61-90': '0.00', '91-120': '0.00', '120+': '0.00', unapplied: '0.00' };
    expect(body.data).toEqual([
      { customer_id: 'C1', customer_name: 'Acme SA', ...z, current: '500.00', '91-120': '1000.00', total: '1500.00', invoices: 2 },
      { customer_id: 'C2', customer_name: 'Beta Ltda', ...z, '31-60': '700.00', total: '700.00', invoices: 1 },
      { customer_id: 'C3', customer_name: '=Gamma SRL', ...z, current: '250.00', total: '250.00', invoices: 1 },
    ]);
  });

  test('custom buckets, invoice basis, another as_of and a filter', async () => {
    const { body } = await get('/api/aging?group_by=collector&buckets=60&basis=invoice&as_of=2024-06-30&country=MX');
    expect(body.buckets).toEqual(['current', '1-60', '60+', 'unapplied']);
    expect(body.data).toEqual([{ collector: 'ana', current: '0.00', '1-60': '750.00', '60+': '1000.00', unapplied: '0.00', total: '1750.00', invoices: 3 }]);
    const earlier = await get('/api/aging?group_by=segment&as_of=2024-04-30');
    expect(earlier.body.data).toEqual([
      expect.objectContaining({ segment: 'enterprise', '1-30': '1000.00', total: '1000.00', invoices: 1 }),
      expect.objectContaining({ segment: 'smb', current: '700.00', total: '700.00', invoices: 1 }),
    ]);
  });

  test('by currency in xlsx: a real workbook with numbers', async () => {
    const r = await f.get('/api/aging?group_by=currency&format=xlsx', f.keys.cfo);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('aging_by_currency.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, 'currency', 'current', '1-30', '31-60', '61-90', '91-120', '120+', 'unapplied', 'total', 'invoices']);
    expect(ws.getRow(2).values).toEqual([undefined, 'MXN', 750, 0, 0, 0, 1000, 0, 0, 1750, 3]);
  });
});

describe('customers and invoices', () => {
  test('customers: filter, sort and page, with the total', async () => {
    const { body } = await get('/api/customers?segment=smb&sort=name&order=asc&limit=1');
    expect(body.total).toBe(2);
    expect(body.data.map((r: { customer_id: string }) => r.customer_id)).toEqual(['C3']);
    const next = await get('/api/customers?segment=smb&sort=name&order=asc&limit=1&offset=1');
    expect(next.body.data.map((r: { customer_id: string }) => r.customer_id)).toEqual(['C2']);
    expect((await get('/api/customers?q=acme')).body.total).toBe(1);
  });

  test("a customer's statement gathers everything about them", async () => {
    const { body } = await get('/api/customers/C1');
    expect(body.customer.name).toBe('Acme SA');
    expect(body.open_items.map((r: { invoice_id: string }) => r.invoice_id)).toEqual(['F-001', 'F-002']);
    expect(body.payments.map((r: { payment_id: string }) => r.payment_id)).toEqual(['P-1']);
    expect(body.promises).toHaveLength(1);
    expect(body.activities).toHaveLength(1);
    expect(body.risk_scores).toMatchObject([{ invoice_id: 'F-001', risk_band: 'high' }]);
    expect((await get('/api/customers/NOPE')).status).toBe(404);
  });

  test('invoices: cursor pages walk every row once, in order, for each sort', async () => {
    for (const [sort, order] of [['due_date', 'asc'], ['outstanding', 'desc'], ['days_past_due', 'desc'], ['invoice_date', 'desc']]) {
      const all = (await get(`/api/invoices?sort=${sort}&order=${order}&limit=100`)).body.data.map((r: { invoice_id: string }) => r.invoice_id);
      expect(all).toHaveLength(6);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const r: { body: { data: { invoice_id: string }[]; next_cursor: string | null } } = await get(
          `/api/invoices?sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        paged.push(...r.body.data.map((x) => x.invoice_id));
        cursor = r.body.next_cursor;
      } while (cursor);
      expect({ sort, order, paged }).toEqual({ sort, order, paged: all });
    }
  });

  test('invoices: filters combine; a cursor from another sort is refused', async () => {
    const { body } = await get('/api/invoices?status=open&currency=usd');
    expect(body.data.map((r: { invoice_id: string }) => r.invoice_id)).toEqual(['F-004']);
    const dated = await get('/api/invoices?from=2024-04-01&to=2024-06-15&sort=invoice_date');
    expect(dated.body.data.map((r: { invoice_id: string }) => r.invoice_id)).toEqual(['F-004', 'F-002']);
    const first = await get('/api/invoices?limit=1');
    const r = await get(`/api/invoices?limit=1&sort=amount&cursor=${first.body.next_cursor}`);
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain('sort=due_date');
  });
});

describe('formats', () => {
  test('csv is Excel-safe: formula-like text is defused', async () => {
    const r = await get('/api/call-list?format=csv', f.keys.collections);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const lines = (r.body as string).trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['rank', 'customer_id', 'customer_name']);
    expect(lines[3]).toContain(",'=Gamma SRL,");
  });

  test('arrow and parquet carry the same rows', async () => {
    const arrow = await f.get('/api/customers?format=arrow', f.keys.collections);
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.numRows).toBe(3);
    expect(table.getChild('customer_id')!.toArray()).toEqual(['C1', 'C2', 'C3']);
    const pq = await f.get('/api/customers?format=parquet', f.keys.collections);
    const bytes = Buffer.from(await pq.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(bytes.subarray(-4).toString()).toBe('PAR1');
  });
});

describe('the other marts', () => {
  test('segments, recovery, roll rates, forecast, risk model, catalog', async () => {
    expect((await get('/api/segments?by=value_tier')).body.data).toEqual([
      { value_tier: 'high', customers: 1, open_balance: '1500.00', overdue_balance: '1000.00', overdue_pct: 66.67 },
      { value_tier: 'low', customers: 2, open_balance: '950.00', overdue_balance: '700.00', overdue_pct: 73.68 },
    ]);
    expect((await get('/api/recovery')).body.data).toHaveLength(2);
    expect((await get('/api/roll-rates')).body.data[0]).toMatchObject({ from_bucket: 'current', rate_pct: '12.50' });
    expect((await get('/api/forecast')).body.data.map((r: { expected_collections: string }) => r.expected_collections)).toEqual(['950.00', '400.00']);
    expect((await get('/api/risk/model')).body).toMatchObject({ model_version: 'm-2', features: ['days_past_due', 'disputed'] });
    const catalog = (await get('/api/catalog')).body.relations as { name: string; kind: string; description: string | null; columns: { name: string; type: string; description: string | null }[] }[];
    const names = catalog.map((r) => r.name);
    expect(names).toContain('fct_invoices');
    const agingWith = catalog.find((r) => r.name === 'aging_with')!;
    expect(agingWith.kind).toBe('macro');
    expect(agingWith.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['invoice_id', 'bucket', 'bucket_order', 'outstanding_reporting']));
    expect(names).not.toContain('api_tokens');
    expect(names).not.toContain('sql_audit');
    const fct = catalog.find((r) => r.name === 'fct_invoices')!;
    expect(fct.description).toMatch(/One row per invoice/);
    expect(fct.columns.find((c) => c.name === 'amount')).toEqual({ name: 'amount', type: 'DECIMAL(18,2)', description: expect.stringContaining('DECIMAL') });
  });
});

describe('caching', () => {
  test('ETag: If-None-Match answers 304 until a new publication', async () => {
    const first = await f.get('/api/kpis', f.keys.cfo);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await f.get('/api/kpis', f.keys.cfo, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // A new publication (its builds row) changes every tag.
    await f.wh.run(`insert into builds values ('b-002a', date '2024-06-30', '{"reporting_currency":"MXN"}', timestamp '2024-07-01 02:00:00')`);
    await f.api.dataChanged();
    const after = await f.get('/api/kpis', f.keys.cfo, { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  test('a cached response is replayed identically, and a new build is seen at once', async () => {
    const a = await (await f.get('/api/forecast', f.keys.cfo)).text();
    const b = await (await f.get('/api/forecast', f.keys.cfo)).text();
    expect(b).toBe(a);
    await f.wh.run(`update agg_cash_forecast set expected_collections = 1.00`);
    await f.wh.run(`insert into builds values ('b-003', date '2024-06-30', '{"reporting_currency":"MXN"}', timestamp '2024-07-02 01:00:00')`);
    await f.api.dataChanged();
    const health = await (await f.get('/api/health')).json();
    expect(health.build_id).toBe('b-003');
    const c = await (await f.get('/api/forecast', f.keys.cfo)).json();
    expect(c.data.map((r: { expected_collections: string }) => r.expected_collections)).toEqual(['1.00', '1.00']);
  });
});

describe('documentation', () => {
  test('/openapi.json documents every endpoint; /docs renders it without external resources', async () => {
    const doc = (await get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/health', '/api/kpis', '/api/kpis/monthly', '/api/aging', '/api/customers', '/api/customers/{id}', '/api/invoices', '/api/call-list', '/api/segments', '/api/recovery', '/api/roll-rates', '/api/forecast', '/api/risk/model', '/api/catalog', '/api/sql', '/api/admin/ingest', '/api/admin/refresh', '/api/login', '/api/logout']) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
    const groupBy = doc.paths['/api/aging'].get.parameters.find((p: { name: string }) => p.name === 'group_by');
    expect(groupBy.schema.enum).toEqual(['customer', 'segment', 'collector', 'currency', 'country']);
    const html = (await get('/docs')).body as string;
    expect(html).toContain('<code>/api/aging</code>');
    expect(html).toContain('group_by');
    expect(html).not.toMatch(/<script|https?:\/\/(?!httpstatuses)/);
  });
});

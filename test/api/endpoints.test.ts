import ExcelJS from 'exceljs';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runRefresh } from '../../src/pipeline/index.ts';
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
  const kpiRows = (table = 'kpi_monthly', where = 'true', params: string[] = []) =>
    f.sql<{ month: string; dso_standard: string; ar_end: string }>(
      `select month::varchar as month, dso_standard::varchar as dso_standard, ar_end::varchar as ar_end
       from ${table} where ${where} and month <= (select as_of from build_options) order by month desc limit 2`,
      params,
    );

  test('/api/kpis: latest month, previous month and change, as kpi_monthly has them', async () => {
    const { status, body } = await get('/api/kpis');
    expect(status).toBe(200);
    const [cur, prev] = await kpiRows();
    expect(body.month).toBe(cur.month);
    expect(body.previous_month).toBe(prev.month);
    expect(body.metrics.ar_end).toEqual({ value: cur.ar_end, previous: prev.ar_end, change: (Number(cur.ar_end) - Number(prev.ar_end)).toFixed(2) });
    expect(body.metrics.dso_standard.value).toBe(cur.dso_standard);
    expect(Object.keys(body.metrics)).toEqual([
      'dso_standard', 'dso_countback', 'best_possible_dso', 'add_days', 'cei_pct', 'overdue_pct', 'ar_end', 'bad_debt_ratio_pct',
    ]);
  });

  test('/api/kpis?as_of= picks the month of that date; the first month has no previous', async () => {
    const { body } = await get('/api/kpis?as_of=2025-04-15');
    expect(body.month).toBe('2025-04-01');
    const [first] = await f.sql<{ month: string; dso: string | null }>(`select month::varchar as month, dso_standard::varchar as dso from kpi_monthly order by month limit 1`);
    const earliest = await get(`/api/kpis?as_of=${first.month}`);
    expect(earliest.body.previous_month).toBeNull();
    expect(earliest.body.metrics.dso_standard).toEqual({ value: first.dso, previous: null, change: null });
  });

  test('a dimension filter reads its per-dimension table', async () => {
    const { body } = await get(`/api/kpis?collector=${encodeURIComponent(f.ids.other)}`);
    expect(body.source).toBe('kpi_monthly_by_collector');
    const [cur] = await kpiRows('kpi_monthly_by_collector', 'collector = $1', [f.ids.other]);
    expect(body.metrics.dso_standard.value).toBe(cur.dso_standard);
    const [{ segment }] = await f.sql<{ segment: string }>(`select segment from dim_customers where segment is not null order by 1 limit 1`);
    expect((await get(`/api/kpis?segment=${encodeURIComponent(segment)}`)).body.source).toBe('kpi_monthly_by_segment');
    expect((await get('/api/kpis?country=MX')).body.source).toBe('kpi_monthly_by_country');
  });

  test('/api/kpis/monthly: the series oldest first, with from/as_of bounds', async () => {
    const all = await get('/api/kpis/monthly');
    const months = (await f.sql<{ m: string }>(`select month::varchar as m from kpi_monthly order by month`)).map((r) => r.m);
    expect(all.body.data.map((r: { month: string }) => r.month)).toEqual(months);
    const some = await get('/api/kpis/monthly?from=2025-05-01&as_of=2025-06-30');
    expect(some.body.data.map((r: { month: string }) => r.month)).toEqual(['2025-05-01', '2025-06-01']);
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
  /** The pivot's rows as aging_with gives them, grouped by `key`: bucket label -> amount per group. */
  const expected = async (key: string, asOf: string, basis: string, bounds: number[]) =>
    f.sql<{ g: string | null; bucket: string; amount: string; n: number }>(
      `select ${key} as g, bucket, sum(outstanding_reporting)::varchar as amount, count(*)::integer as n
       from aging_with($1::date, $2, [${bounds.join(',')}]) group by all`,
      [asOf, basis],
    );

  test('by customer: one column per bucket of the bounds, zero where nothing falls, and a total that adds up', async () => {
    const { body } = await get('/api/aging?group_by=customer');
    const [{ as_of }] = await f.sql<{ as_of: string }>(`select as_of::varchar as as_of from build_options`);
    expect(body.as_of).toBe(as_of);
    expect(body.buckets).toEqual(['current', '1-30', '31-60', '61-90', '91-120', '120+', 'unapplied']);
    const rows = await expected('customer_id', as_of, 'due', [30, 60, 90, 120]);
    for (const e of rows) expect(body.data.find((r: Record<string, string>) => r.customer_id === e.g)?.[e.bucket], `${e.g} ${e.bucket}`).toBe(e.amount);
    for (const r of body.data.slice(0, 50) as Record<string, string>[]) {
      const sum = body.buckets.reduce((s: number, b: string) => s + Math.round(Number(r[b]) * 100), 0);
      expect(sum).toBe(Math.round(Number(r.total) * 100));
    }
    expect(body.data.length).toBe(new Set(rows.map((r) => r.g)).size);
  });

  test('custom buckets, invoice basis, another as_of and a filter', async () => {
    const { body } = await get('/api/aging?group_by=collector&buckets=60&basis=invoice&as_of=2026-03-31&country=MX');
    expect(body.buckets).toEqual(['current', '1-60', '60+', 'unapplied']);
    const rows = await f.sql<{ g: string; bucket: string; amount: string }>(
      `select collector as g, bucket, sum(outstanding_reporting)::varchar as amount
       from aging_with('2026-03-31', 'invoice', [60]) where country = 'MX' group by all`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const e of rows) expect(body.data.find((r: Record<string, string>) => r.collector === e.g)?.[e.bucket], `${e.g} ${e.bucket}`).toBe(e.amount);
  });

  test('by currency in xlsx: a real workbook with numbers', async () => {
    const r = await f.get('/api/aging?group_by=currency&format=xlsx', f.keys.cfo);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('aging_by_currency.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, 'currency', 'current', '1-30', '31-60', '61-90', '91-120', '120+', 'unapplied', 'total', 'invoices']);
    const [top] = await f.sql<{ currency: string; total: number; n: number }>(
      `select currency, sum(outstanding_reporting)::double as total, count(*)::integer as n
       from aging_with((select as_of from build_options), 'due', [30, 60, 90, 120]) group by 1 order by 2 desc limit 1`,
    );
    const row = ws.getRow(2).values as unknown[];
    expect(row[1]).toBe(top.currency);
    expect(row[9]).toBeCloseTo(top.total, 2);
    expect(row[10]).toBe(top.n);
  });
});

describe('customers and invoices', () => {
  test('customers: filter, sort and page, with the total', async () => {
    const [{ segment }] = await f.sql<{ segment: string }>(`select segment from dim_customers where segment is not null group by 1 order by count(*) desc, 1 limit 1`);
    const names = await f.sql<{ customer_id: string }>(`select customer_id from dim_customers where segment = $1 order by name, customer_id`, [segment]);
    const q = `/api/customers?segment=${encodeURIComponent(segment)}&sort=name&order=asc&limit=1`;
    const { body } = await get(q);
    expect(body.total).toBe(names.length);
    expect(body.data.map((r: { customer_id: string }) => r.customer_id)).toEqual([names[0].customer_id]);
    const next = await get(`${q}&offset=1`);
    expect(next.body.data.map((r: { customer_id: string }) => r.customer_id)).toEqual([names[1].customer_id]);
    const [one] = await f.sql<{ name: string }>(`select name from dim_customers where customer_id = $1`, [f.ids.ownCustomer]);
    const word = one.name.split(/\s+/)[0];
    const [{ n }] = await f.sql<{ n: number }>(`select count(*)::int as n from dim_customers where name ilike '%' || $1 || '%'`, [word]);
    expect((await get(`/api/customers?q=${encodeURIComponent(word)}`)).body.total).toBe(n);
  });

  test("a customer's statement gathers everything about them, from this publication", async () => {
    const id = f.ids.ownCustomer;
    const { body } = await get(`/api/customers/${id}`);
    const ids = async (q: string) => (await f.sql<{ id: string }>(q, [id])).map((r) => r.id);
    expect(body.customer.customer_id).toBe(id);
    expect(body.open_items.map((r: { invoice_id: string }) => r.invoice_id)).toEqual(
      await ids(`select invoice_id as id from fct_invoices where customer_id = $1 and outstanding <> 0 order by due_date, invoice_id`),
    );
    expect(body.payments.map((r: { payment_id: string }) => r.payment_id)).toEqual(
      await ids(`select payment_id as id from fct_payments where customer_id = $1 order by payment_date desc, payment_id limit 500`),
    );
    expect(body.risk_scores.map((r: { invoice_id: string }) => r.invoice_id)).toEqual(
      await ids(`select invoice_id as id from risk_scores where customer_id = $1 order by probability desc, invoice_id`),
    );
    expect(body.risk_scores.length).toBeGreaterThan(0);
    // The lists are the newest 500 payments and 200 of the rest: each says how many there are in all, so a reader
    // knows when it sees only part of them.
    const count = async (table: string) => (await f.sql<{ n: number }>(`select count(*)::int as n from ${table} where customer_id = $1`, [id]))[0].n;
    expect(body.counts).toEqual({
      open_items: body.open_items.length,
      payments: await count('fct_payments'),
      promises: await count('fct_promises'),
      activities: await count('fct_activities'),
      disputes: await count('fct_disputes'),
    });
    expect((await get('/api/customers/NOPE')).status).toBe(404);
  });

  test('invoices: cursor pages walk every row once, in order, for each sort', async () => {
    const [cust] = await f.sql<{ c: string }>(`select customer_id as c from fct_invoices group by 1 order by count(*) desc, 1 limit 1`);
    const base = `/api/invoices?customer_id=${encodeURIComponent(cust.c)}`;
    for (const [sort, order] of [['due_date', 'asc'], ['outstanding', 'desc'], ['days_past_due', 'desc'], ['invoice_date', 'desc']]) {
      const all = (await get(`${base}&sort=${sort}&order=${order}&limit=1000`)).body.data.map((r: { invoice_id: string }) => r.invoice_id);
      expect(all.length).toBeGreaterThan(10);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const r: { body: { data: { invoice_id: string }[]; next_cursor: string | null } } = await get(
          `${base}&sort=${sort}&order=${order}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        );
        paged.push(...r.body.data.map((x) => x.invoice_id));
        cursor = r.body.next_cursor;
      } while (cursor);
      expect({ sort, order, paged }).toEqual({ sort, order, paged: all });
    }
  });

  test('invoices: filters combine; a cursor from another sort is refused', async () => {
    const { body } = await get('/api/invoices?status=open&currency=usd&limit=5000');
    const open = await f.sql<{ id: string }>(`select invoice_id as id from fct_invoices where status = 'open' and currency = 'USD' order by due_date, invoice_id`);
    expect(body.data.map((r: { invoice_id: string }) => r.invoice_id)).toEqual(open.map((r) => r.id));
    const dated = await get('/api/invoices?from=2026-10-01&to=2026-10-05&sort=invoice_date&limit=5000');
    const [{ n }] = await f.sql<{ n: number }>(`select count(*)::int as n from fct_invoices where invoice_date between '2026-10-01' and '2026-10-05'`);
    expect(dated.body.data).toHaveLength(n);
    const first = await get('/api/invoices?limit=1');
    const r = await get(`/api/invoices?limit=1&sort=amount&cursor=${first.body.next_cursor}`);
    expect(r.status).toBe(400);
    expect(r.body.detail).toContain('sort=due_date');
  });
});

describe('formats', () => {
  test('csv is Excel-safe: formula-like text is defused', async () => {
    // A customer name that a spreadsheet would run as a formula.
    await f.wh.run(`update ${await f.wh.scalar(`select schema_name from published_build where schema_name like 'cartera_build_%'`)}.call_list set customer_name = '=HYPERLINK(1)' where rank = 1`);
    const r = await get('/api/call-list?format=csv&limit=3', f.keys.collections);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const lines = (r.body as string).trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['rank', 'customer_id', 'customer_name']);
    expect(lines[1]).toContain(",'=HYPERLINK(1),");
  });

  test('arrow and parquet carry the same rows', async () => {
    const arrow = await f.get('/api/customers?format=arrow&limit=1000&sort=customer_id', f.keys.collections);
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    const ids = (await f.sql<{ id: string }>(`select customer_id as id from dim_customers order by customer_id limit 1000`)).map((r) => r.id);
    expect(table.numRows).toBe(ids.length);
    expect([...table.getChild('customer_id')!.toArray()].sort()).toEqual([...ids].sort());
    const pq = await f.get('/api/customers?format=parquet', f.keys.collections);
    const bytes = Buffer.from(await pq.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(bytes.subarray(-4).toString()).toBe('PAR1');
  });
});

describe('the other marts', () => {
  test('segments, recovery, roll rates, forecast, risk model, catalog', async () => {
    const tiers = await f.sql<{ value_tier: string; customers: number }>(
      `select value_tier, count(*)::int as customers from dim_customers group by 1 order by 1`,
    );
    const seg = (await get('/api/segments?by=value_tier')).body.data as { value_tier: string; customers: number; open_balance: string; overdue_pct: number }[];
    expect(Object.fromEntries(seg.map((r) => [r.value_tier, r.customers]))).toEqual(Object.fromEntries(tiers.map((r) => [r.value_tier, r.customers])));
    // overdue_pct as agg_customer_segments.yml defines it: overdue_balance / open_balance x 100 of the row's customers.
    const [top] = await f.sql<{ open: string; overdue: string }>(
      `select sum(open_balance)::varchar as open, sum(overdue_balance)::varchar as overdue from dim_customers where value_tier = $1`,
      [seg[0].value_tier],
    );
    expect(seg[0].open_balance).toBe(top.open);
    expect(Number(seg[0].overdue_pct)).toBeCloseTo((100 * Number(top.overdue)) / Number(top.open), 2);
    const all = (await get('/api/segments')).body.data as { customers: number }[];
    expect(all.reduce((s, r) => s + r.customers, 0)).toBe(tiers.reduce((s, r) => s + r.customers, 0));
    for (const [path, table] of [['/api/recovery', 'agg_recovery'], ['/api/roll-rates', 'agg_roll_rates'], ['/api/forecast', 'agg_cash_forecast']]) {
      const [{ n }] = await f.sql<{ n: number }>(`select count(*)::int as n from ${table}`);
      expect((await get(path)).body.data, path).toHaveLength(n);
    }
    const [model] = await f.sql<{ v: string }>(`select model_version as v from risk_models order by trained_at desc limit 1`);
    expect((await get('/api/risk/model')).body).toMatchObject({ model_version: model.v });
    const catalog = (await get('/api/catalog')).body.relations as { name: string; kind: string; description: string | null; columns: { name: string; type: string; description: string | null; label?: { es: string } }[] }[];
    const names = catalog.map((r) => r.name);
    expect(names).toContain('fct_invoices');
    const agingWith = catalog.find((r) => r.name === 'aging_with')!;
    expect(agingWith.kind).toBe('macro');
    expect(agingWith.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['invoice_id', 'bucket', 'bucket_order', 'outstanding_reporting']));
    expect(names).not.toContain('api_tokens');
    expect(names).not.toContain('sql_audit');
    const fct = catalog.find((r) => r.name === 'fct_invoices')!;
    expect(fct.description).toMatch(/One row per invoice/);
    expect(fct.columns.find((c) => c.name === 'amount')).toMatchObject({ name: 'amount', type: 'DECIMAL(18,2)', description: expect.stringContaining('DECIMAL'), label: { es: 'Importe', en: 'Amount' } });
    // KPI columns come from kpi_monthly.yml, in both languages.
    const collections = catalog.find((r) => r.name === 'kpi_monthly')!.columns.find((c) => c.name === 'collections')!;
    expect(collections.description).toMatch(/applied or not/);
    expect(collections.label?.es).toBe('Cobrado en el mes');
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
    // A new publication changes every tag, even with the same numbers.
    await f.api.write(() => runRefresh(f.wh, { trigger: 'test' }));
    const after = await f.get('/api/kpis', f.keys.cfo, { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  test("a cached answer is never replayed to a request in another locale (a Colombian CSV to a script, English words to a Spanish page)", async () => {
    const csv = async (lang: string) => (await f.get('/api/aging?format=csv', f.keys.cfo, lang ? { 'Accept-Language': lang } : {})).text();
    const co = await csv('es-CO');
    expect(co.split('\r\n')[0]).toContain(';');
    const plain = await csv('');
    expect(plain.split('\r\n')[0]).not.toContain(';');
    expect(plain.split('\r\n')[0]).toContain(',');
    const r = await f.get('/api/aging?format=csv', f.keys.cfo, { 'Accept-Language': 'es-CO' });
    expect(r.headers.get('vary')?.toLowerCase()).toContain('accept-language');
  });

  test('a cached response is replayed identically, and a new publication is seen at once', async () => {
    const a = await (await f.get('/api/forecast', f.keys.cfo)).text();
    const b = await (await f.get('/api/forecast', f.keys.cfo)).text();
    expect(b).toBe(a);
    const r = await f.api.write(() => runRefresh(f.wh, { changes: { asOf: '2026-06-30' }, trigger: 'test' }));
    const health = await (await f.get('/api/health')).json();
    expect(health).toMatchObject({ build_id: String(r.buildId), as_of: '2026-06-30' });
    const c = await (await f.get('/api/forecast', f.keys.cfo)).text();
    expect(c).not.toBe(a);
    const weeks = await f.sql<{ w: string | null }>(`select coalesce(week_start::varchar, '-') as w from agg_cash_forecast`);
    expect(JSON.parse(c).data.map((r: { week_start: string | null }) => r.week_start ?? '-').sort()).toEqual(weeks.map((r) => r.w).sort());
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

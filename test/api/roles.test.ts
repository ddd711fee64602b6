import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiFixture, type FixtureKeys } from './fixture.ts';

let f: Awaited<ReturnType<typeof apiFixture>>;
beforeAll(async () => {
  f = await apiFixture();
});
afterAll(() => f.close());

type Who = keyof FixtureKeys;
const FINANCE: Who[] = ['cfo', 'analyst', 'admin'];
const COLLECTIONS: Who[] = ['collections', 'own', 'analyst', 'admin'];
const ANALYSTS: Who[] = ['analyst', 'admin'];
const EVERYONE: Who[] = ['cfo', 'collections', 'own', 'analyst', 'admin'];

/** Who may GET what; everyone else must get 403, and no key 401. */
const MATRIX = (): [string, Who[]][] => [
  ['/api/kpis', FINANCE],
  ['/api/kpis/monthly', FINANCE],
  ['/api/aging?group_by=segment', FINANCE],
  ['/api/segments', FINANCE],
  ['/api/recovery', FINANCE],
  ['/api/roll-rates', FINANCE],
  ['/api/forecast', FINANCE],
  // The CFO searches customers too (#20); a customer's statement stays with collections.
  ['/api/customers', [...COLLECTIONS, 'cfo']],
  [`/api/customers/${f.ids.ownCustomer}`, COLLECTIONS],
  ['/api/invoices', COLLECTIONS],
  ['/api/call-list', COLLECTIONS],
  ['/api/risk/model', ANALYSTS],
  ['/api/catalog', ANALYSTS],
  ['/api/admin/tokens', ['admin']],
];

describe('role matrix', () => {
  test('GET of every endpoint: each role where it may, 403 elsewhere, 401 without a key', async () => {
    for (const [path, allowed] of MATRIX()) {
      const none = await f.get(path);
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toContain('application/problem+json');
      for (const who of EVERYONE) {
        const r = await f.get(path, f.keys[who]);
        expect({ path, who, status: r.status }).toEqual({ path, who, status: allowed.includes(who) ? 200 : 403 });
      }
    }
  });

  test('POST /api/sql: analysts and admins only', async () => {
    expect((await f.post('/api/sql', { sql: 'select 1' })).status).toBe(401);
    for (const who of EVERYONE) {
      const r = await f.post('/api/sql', { sql: 'select 1' }, f.keys[who]);
      expect({ who, status: r.status }).toEqual({ who, status: ANALYSTS.includes(who) ? 200 : 403 });
    }
  });

  test('admin writes refuse every other role', async () => {
    for (const who of ['cfo', 'collections', 'analyst'] as Who[]) {
      expect((await f.post('/api/admin/refresh', {}, f.keys[who])).status).toBe(403);
      expect((await f.post('/api/admin/tokens', { role: 'admin', name: 'x' }, f.keys[who])).status).toBe(403);
    }
  });

  test('a wrong key is 401 even on an open role, and health needs no key', async () => {
    const r = await f.get('/api/kpis', 'ck_not-a-real-key-at-all-0000000000');
    expect(r.status).toBe(401);
    expect((await r.json()).detail).toMatch(/not valid/);
    expect((await f.get('/api/health')).status).toBe(200);
  });

  test('the 403 detail names the role and who may', async () => {
    const body = await (await f.get('/api/kpis', f.keys.collections)).json();
    expect(body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(body.detail).toContain("role 'collections'");
    expect(body.detail).toContain('cfo, analyst, admin');
  });
});

describe('collector scoping', () => {
  const json = async (path: string, key = f.keys.own) => {
    const r = await f.get(path, key);
    return { status: r.status, body: await r.json() };
  };
  const ids = async (q: string, params: string[]) => (await f.sql<{ id: string }>(q, params)).map((r) => r.id);

  test("a collector's key sees only its portfolio in lists", async () => {
    const own = f.ids.own;
    const calls = await json('/api/call-list?limit=5000');
    expect(calls.body.data.map((r: { customer_id: string }) => r.customer_id)).toEqual(
      await ids(`select customer_id as id from call_list where collector = $1 order by rank`, [own]),
    );
    const customers = await json('/api/customers?limit=1000');
    expect(customers.body.total).toBe((await ids(`select customer_id as id from dim_customers where collector = $1`, [own])).length);
    expect(new Set(customers.body.data.map((r: { collector: string }) => r.collector))).toEqual(new Set([own]));
    const invoices = await json('/api/invoices?limit=5000');
    expect(invoices.body.data.map((r: { invoice_id: string }) => r.invoice_id).sort()).toEqual(
      (await ids(`select invoice_id as id from fct_invoices where collector = $1`, [own])).sort(),
    );
  });

  test("asking for another collector's portfolio is 403; its own is fine", async () => {
    const other = encodeURIComponent(f.ids.other);
    for (const p of [`/api/call-list?collector=${other}`, `/api/customers?collector=${other}`, `/api/invoices?collector=${other}`]) {
      const r = await json(p);
      expect({ p, status: r.status }).toEqual({ p, status: 403 });
      expect(r.body.detail).toContain(`collector '${f.ids.own}'`);
    }
    expect((await json(`/api/call-list?collector=${encodeURIComponent(f.ids.own)}`)).status).toBe(200);
    expect((await json(`/api/customers/${f.ids.ownCustomer}`)).status).toBe(200);
  });

  test("another collector's customer answers exactly as a customer that does not exist: which ids exist stays unknown", async () => {
    const theirs = await f.get(`/api/customers/${f.ids.otherCustomer}`, f.keys.own);
    const nobody = await f.get('/api/customers/NO-SUCH-CUSTOMER', f.keys.own);
    expect(theirs.status).toBe(404);
    expect(nobody.status).toBe(404);
    const detail = (b: { detail: string }, id: string) => b.detail.replace(id, 'ID');
    expect(detail(await theirs.json(), f.ids.otherCustomer)).toBe(detail(await nobody.json(), 'NO-SUCH-CUSTOMER'));
  });

  test('an unscoped collections key sees every collector', async () => {
    const calls = await json('/api/call-list?limit=5000', f.keys.collections);
    const [{ n }] = await f.sql<{ n: number }>(`select count(*)::int as n from call_list`);
    expect(calls.body.data).toHaveLength(n);
    expect((await json(`/api/customers/${f.ids.otherCustomer}`, f.keys.collections)).status).toBe(200);
  });

  test('scoped and unscoped keys never share a cached response', async () => {
    const a = await f.get('/api/invoices?limit=5000', f.keys.collections);
    const b = await f.get('/api/invoices?limit=5000', f.keys.own);
    const [{ all, mine }] = await f.sql<{ all: number; mine: number }>(
      `select count(*)::int as all, (count(*) filter (where collector = $1))::int as mine from fct_invoices`,
      [f.ids.own],
    );
    expect((await a.json()).data).toHaveLength(Math.min(all, 5000));
    expect((await b.json()).data).toHaveLength(Math.min(mine, 5000));
    expect(a.headers.get('etag')).not.toBe(b.headers.get('etag'));
  });
});

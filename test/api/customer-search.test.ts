/**
 * GET /api/customers?q=: search by name (accents and case ignored), tax id (separators ignored) or customer id,
 * on the demo warehouse. Answers are compared with plain SQL on the same file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiFixture } from './fixture.ts';

let f: Awaited<ReturnType<typeof apiFixture>>;

beforeAll(async () => {
  f = await apiFixture();
});
afterAll(() => f?.close());

type Row = { customer_id: string; name: string; tax_id: string | null; country: string | null; segment: string | null; open_balance: string | number };
type Page = { data: Row[]; total: number; limit: number };

async function search(q: string, key = f.keys.collections, limit = 20): Promise<Page> {
  const r = await f.get(`/api/customers?q=${encodeURIComponent(q)}&limit=${limit}`, key);
  expect({ q, status: r.status }).toEqual({ q, status: 200 });
  return (await r.json()) as Page;
}

/** An accented name, with its customer, tax id and a tax id written with separators. */
async function accented() {
  const [c] = await f.sql<{ customer_id: string; name: string; tax_id: string }>(
    `select customer_id, name, tax_id from dim_customers where name <> strip_accents(name) and tax_id like '%-%' order by customer_id limit 1`,
  );
  expect(c).toBeDefined();
  return c;
}

describe('customer search', () => {
  test('finds a name without its accents and in any case, as many as SQL finds', async () => {
    const c = await accented();
    const word = c.name.split(/\s+/).find((w) => w !== w.normalize('NFD').replace(/\p{M}/gu, ''))!;
    const plain = word.normalize('NFD').replace(/\p{M}/gu, '');
    for (const q of [plain.toUpperCase(), plain.toLowerCase(), word]) {
      const page = await search(q);
      expect(page.data.map((r) => r.customer_id)).toContain(c.customer_id);
      const [{ n }] = await f.sql<{ n: number }>(
        `select count(*)::int as n from dim_customers where strip_accents(lower(name)) like '%' || strip_accents(lower($1)) || '%'
           or lower(customer_id) like '%' || lower($1) || '%'
           or regexp_replace(upper(tax_id), '[^0-9A-Z]', '', 'g') like '%' || regexp_replace(upper(strip_accents($1)), '[^0-9A-Z]', '', 'g') || '%'`,
        [q],
      );
      expect({ q, total: page.total }).toEqual({ q, total: n });
    }
  });

  test('finds a tax id whole, in part, without its separators or in lower case; an exact id or tax id comes first', async () => {
    const c = await accented();
    const bare = c.tax_id.replace(/[^0-9A-Za-z]/g, '');
    for (const q of [c.tax_id, bare, bare.toLowerCase(), c.tax_id.slice(0, 6)]) {
      expect({ q, ids: (await search(q)).data.map((r) => r.customer_id) }).toMatchObject({ q, ids: expect.arrayContaining([c.customer_id]) });
    }
    expect((await search(c.tax_id)).data[0].customer_id).toBe(c.customer_id);
    expect((await search(c.customer_id.toLowerCase())).data[0].customer_id).toBe(c.customer_id);
  });

  test('answers id, name, tax id, country, segment and the open balance in the reporting currency', async () => {
    const c = await accented();
    const [row] = (await search(c.tax_id)).data;
    const [expected] = await f.sql<{ balance: string; country: string; segment: string }>(
      `select coalesce(sum(a.outstanding_reporting), 0)::decimal(18, 2)::varchar as balance, any_value(d.country) as country, any_value(d.segment) as segment
       from dim_customers as d left join ar_aging as a using (customer_id) where d.customer_id = $1`,
      [c.customer_id],
    );
    expect(row).toMatchObject({ customer_id: c.customer_id, name: c.name, tax_id: c.tax_id, country: expected.country, segment: expected.segment });
    expect(Number(row.open_balance).toFixed(2)).toBe(expected.balance);
  });

  test('at most limit rows; text is only ever text: wildcards and quotes match themselves', async () => {
    const page = await search('a');
    expect(page.data.length).toBe(20);
    expect(page.total).toBeGreaterThan(20);
    for (const q of ['%', '_', "' or 1=1 --", '%%%']) expect({ q, total: (await search(q)).total }).toEqual({ q, total: 0 });
  });

  test('the CFO may search; a collector-scoped key finds only its own customers', async () => {
    expect((await search('a', f.keys.cfo)).total).toBeGreaterThan(0);
    const own = await search('a', f.keys.own, 1000);
    const [{ n }] = await f.sql<{ n: number }>(`select count(*)::int as n from dim_customers where collector = $1`, [f.ids.own]);
    expect(own.total).toBeLessThanOrEqual(n);
    const collectors = await f.sql<{ customer_id: string; collector: string }>(`select customer_id, collector from dim_customers`);
    const of = new Map(collectors.map((r) => [r.customer_id, r.collector]));
    expect(new Set(own.data.map((r) => of.get(r.customer_id)))).toEqual(new Set([f.ids.own]));
  });
});

import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../src/web/app.ts';
import { ApiContext } from '../../src/api/context.ts';
import { ensureApiSchema } from '../../src/api/schema.ts';
import { createToken } from '../../src/api/tokens.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { runRefresh } from '../../src/pipeline/index.ts';
import { RequestReads } from '../../src/api/request-reads.ts';
import { demoWarehouse } from '../support/demo-warehouse.ts';

/**
 * Readers during refreshes: 50 clients read a customer's statement (marts and risk scores) and
 * the call list while the server publishes again and again, each time as of another date. Every
 * answer must be exactly what one publication holds, and its ETag must name that publication.
 */
let wh: Warehouse;
let api: ApiContext;
let app: ReturnType<typeof createApp>;
let key: string;
let customer: string;

beforeAll(async () => {
  wh = await Warehouse.open(await demoWarehouse());
  await ensureApiSchema(wh);
  key = (await createToken(wh, { role: 'analyst', name: 'reader' })).key;
  // A customer owing since before the earliest as-of below, so every publication scores it.
  customer = (await wh.scalar<string>(
    `select customer_id from fct_invoices where document_type = 'invoice' and invoice_date <= '2026-06-01' and paid_date is null
     group by 1 order by count(*) desc, 1 limit 1`,
  ))!;
  api = await ApiContext.create(wh, {});
  app = createApp(api);
});
afterAll(() => {
  api?.close();
  wh?.close();
  if (wh) rmSync(dirname(wh.path), { recursive: true, force: true });
});

const PATHS = () => [`/api/customers/${customer}`, '/api/call-list?limit=20'];

/** The publication an ETag names (`"<build_id>.<process>-<hash>"`). */
const publicationOf = (etag: string | null) => /^"(\d+)\./.exec(etag ?? '')?.[1];

/** One answer: the publication its ETag names, and a digest of its body (many thousands are kept). */
async function get(path: string): Promise<{ pub: string | undefined; body: string; digest: string }> {
  const r = await app.request(path, { headers: { Authorization: `Bearer ${key}` } });
  expect(r.status).toBe(200);
  const body = await r.text();
  return { pub: publicationOf(r.headers.get('etag')), body, digest: createHash('sha256').update(body).digest('hex') };
}

describe('one refresh, one truth', () => {
  test('50 readers during repeated refreshes see one publication per answer: data, scores and ETag', async () => {
    // What each publication answers, read while nothing else runs.
    const expected = new Map<string, string>();
    const bodies = new Map<string, string>();
    const record = async () => {
      for (const path of PATHS()) {
        const { pub, body, digest } = await get(path);
        expected.set(`${pub}|${path}`, digest);
        bodies.set(`${pub}|${path}`, body);
      }
    };
    await record();
    let refreshing = true;
    const seen: { path: string; pub: string | undefined; digest: string }[] = [];
    const reader = async (i: number) => {
      // Bounded: at most 3,000 requests per reader, each after the event loop had its turn.
      for (let n = 0; refreshing && n < 3000; n++) {
        const path = PATHS()[(i + n) % 2];
        const { pub, digest } = await get(path);
        seen.push({ path, pub, digest });
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const readers = Array.from({ length: 50 }, (_, i) => reader(i));
    const asOfs = ['2026-06-30', 'latest', '2026-08-31', 'latest'];
    try {
      for (const asOf of asOfs) {
        await api.write(() => runRefresh(wh, { changes: { asOf }, trigger: 'test' }));
        // The publication just made is stable until the next refresh starts: read what it answers.
        await record();
      }
    } finally {
      refreshing = false;
    }
    await Promise.all(readers);

    const pubs = new Set(seen.map((s) => s.pub));
    expect(pubs.size).toBeGreaterThan(1);
    let mixed = 0;
    for (const s of seen) if (expected.get(`${s.pub}|${s.path}`) !== s.digest) mixed++;
    expect(mixed).toBe(0);
    // Each publication's statement carries scores of its own as-of (which differs between them).
    const asOf = new Map((await wh.all<{ id: string; as_of: string }>(`select build_id::varchar as id, as_of::varchar as as_of from builds`)).map((b) => [b.id, b.as_of]));
    const scoreDates = [...bodies.entries()]
      .filter(([k]) => k.includes('/customers/'))
      .map(([k, b]) => [asOf.get(k.split('|')[0]), [...new Set((JSON.parse(b).risk_scores as { as_of: string }[]).map((s) => s.as_of))]]);
    expect(scoreDates.length).toBe(5);
    for (const [pubAsOf, dates] of scoreDates) expect(dates).toEqual([pubAsOf]);
    expect(new Set(scoreDates.map(([d]) => d))).toEqual(new Set(['2026-06-30', '2026-08-31', '2026-10-31']));
  }, 240_000);

  test('a request begun before a publication reads the old one to its end, and is tagged with it', async () => {
    const reads = new RequestReads(api);
    const old = await reads.publication();
    const asOf = `select (select as_of::varchar from build_options) as build, (select max(as_of)::varchar from call_list) as calls, (select max(as_of)::varchar from risk_scores) as scores`;
    const before = await reads.rows(asOf);
    expect(before).toEqual([{ build: old.asOf, calls: old.asOf, scores: old.asOf }]);
    const next = old.asOf === '2026-07-31' ? '2026-09-30' : '2026-07-31';
    await api.write(() => runRefresh(wh, { changes: { asOf: next }, trigger: 'test' }));
    // The open request still sees the publication it started with, marts, scores and call list alike.
    expect(await reads.rows(asOf)).toEqual(before);
    expect(await reads.tag()).toBe(api.tagOf(old.buildId));
    await reads.close();
    const fresh = new RequestReads(api);
    expect(await fresh.rows(asOf)).toEqual([{ build: next, calls: next, scores: next }]);
    expect(await fresh.tag()).not.toBe(api.tagOf(old.buildId));
    await fresh.close();
  }, 120_000);
});

/**
 * The API tests' warehouse: a private copy of the demo warehouse that the real pipeline made from
 * generated exports (ingested, built, scored and published by `runRefresh`, see test/support),
 * with one key per role. Tests compare answers with plain SQL on the same file; the models' own
 * numbers are proven by hand in test/models.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ApiContext, type ApiOptions } from '../../src/api/context.ts';
import { createApp } from '../../src/web/app.ts';
import { createToken } from '../../src/api/tokens.ts';
import { ensureApiSchema } from '../../src/api/schema.ts';
import { demoWarehouse } from '../support/demo-warehouse.ts';

/** Keys of the fixture, one per role, plus a collections key limited to collector `ids.own`. */
export interface FixtureKeys {
  cfo: string;
  collections: string;
  own: string;
  analyst: string;
  admin: string;
}

/** Who the scoping tests use: two collectors and one customer of each. */
export interface FixtureIds {
  /** The collector with the most customers on the call list (the `own` key's). */
  own: string;
  other: string;
  ownCustomer: string;
  otherCustomer: string;
}

/** One key per role (and one limited to `collector`) in an open warehouse. */
export async function createKeys(wh: Warehouse, collector: string): Promise<FixtureKeys> {
  await ensureApiSchema(wh);
  return {
    cfo: (await createToken(wh, { role: 'cfo', name: 'cfo' })).key,
    collections: (await createToken(wh, { role: 'collections', name: 'team' })).key,
    own: (await createToken(wh, { role: 'collections', name: 'own', collector })).key,
    analyst: (await createToken(wh, { role: 'analyst', name: 'analyst' })).key,
    admin: (await createToken(wh, { role: 'admin', name: 'admin' })).key,
  };
}

/** Two collectors of the warehouse and a customer of each (from the call list, so each has open debt). */
export async function fixtureIds(wh: Warehouse): Promise<FixtureIds> {
  const collectors = await wh.all<{ collector: string }>(
    `select collector from call_list where collector is not null group by 1 order by count(*) desc, 1 limit 2`,
  );
  const [own, other] = collectors.map((c) => c.collector);
  const first = async (c: string) => (await wh.scalar<string>(`select customer_id from call_list where collector = $1 order by rank limit 1`, [c]))!;
  return { own, other, ownCustomer: await first(own), otherCustomer: await first(other) };
}

/** A private copy of the demo warehouse, served by an app; `close` removes it. */
export async function apiFixture(opts: ApiOptions = {}) {
  const db = await demoWarehouse();
  const dir = dirname(db);
  const wh = await Warehouse.open(db);
  const ids = await fixtureIds(wh);
  const keys = await createKeys(wh, ids.own);
  const api = await ApiContext.create(wh, { uploadDir: join(dir, 'uploads'), ...opts });
  const app = createApp(api);
  const get = (path: string, key?: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...headers } });
  const post = (path: string, body: unknown, key?: string) =>
    app.request(path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    });
  return {
    dir,
    wh,
    api,
    app,
    keys,
    ids,
    get,
    post,
    /** Rows of plain SQL on the same warehouse, to compare answers with. */
    sql: <T = Record<string, unknown>>(q: string, params?: (string | number | null)[]) => wh.all<T>(q, params),
    close() {
      api.close();
      wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

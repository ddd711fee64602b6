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
import { demoWarehouse } from '../support/demo-warehouse.ts';
import { collectorIds, createKeys, type RoleKeys } from '../support/keys.ts';

export type FixtureKeys = RoleKeys;

/** A private copy of the demo warehouse, served by an app; `close` removes it. */
export async function apiFixture(opts: ApiOptions = {}) {
  const db = await demoWarehouse();
  const dir = dirname(db);
  const wh = await Warehouse.open(db);
  const ids = await collectorIds(wh);
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
    async close() {
      await api.close();
      wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

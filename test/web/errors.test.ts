/**
 * No stack trace reaches a user from an endpoint: a failure of the server itself answers a plain
 * problem and logs one line (the stack only with CARTERA_DEBUG=1); analyst SQL with a syntax error
 * is a 400 with DuckDB's message and position.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiContext } from '../../src/api/context.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { createApp } from '../../src/web/app.ts';
import { demoWarehouse, type DemoWarehouse } from '../dashboards/demo-warehouse.ts';

let demo: DemoWarehouse;
let wh: Warehouse;
let api: ApiContext;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  demo = await demoWarehouse();
  wh = await Warehouse.open(demo.dbPath);
  api = await ApiContext.create(wh, { uploadDir: join(demo.dir, 'uploads') });
  app = createApp(api);
  app.get('/test/boom', () => {
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  });
});
afterAll(async () => {
  await api?.close();
  wh?.close();
  demo?.remove();
});

/** What the server wrote on stderr while `fn` ran. */
async function logged<T>(fn: () => Promise<T>): Promise<{ out: T; log: string }> {
  let log = '';
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => ((log += chunk), true)) as typeof write;
  try {
    return { out: await fn(), log };
  } finally {
    process.stderr.write = write;
  }
}

const STACK = /\n\s+at\s/;

describe('errors of the server', () => {
  test('answer a plain problem and log one line; CARTERA_DEBUG=1 logs the stack', async () => {
    const { out: r, log } = await logged(async () => app.request('/test/boom'));
    expect(r.status).toBe(500);
    const text = await r.text();
    expect(JSON.parse(text)).toMatchObject({ status: 500, detail: 'the server failed to answer; the error is in its log' });
    expect(text).not.toMatch(STACK);
    expect(log).toBe("api: GET /test/boom: Cannot read properties of undefined (reading 'x') (CARTERA_DEBUG=1 logs where)\n");
    process.env.CARTERA_DEBUG = '1';
    try {
      const debug = await logged(async () => app.request('/test/boom'));
      expect(debug.log).toMatch(STACK);
      expect(await debug.out.text()).not.toMatch(STACK);
    } finally {
      delete process.env.CARTERA_DEBUG;
    }
  });

  test("analyst SQL with a syntax error is a 400 with DuckDB's message and position; a refused one a 403", async () => {
    const post = (sql: string) =>
      app.request('/api/sql', { method: 'POST', body: JSON.stringify({ sql }), headers: { Authorization: `Bearer ${demo.keys.analyst}`, 'Content-Type': 'application/json' } });
    const bad = await post('selec * from fct_invoices');
    expect(bad.status).toBe(400);
    const detail = ((await bad.json()) as { detail: string }).detail;
    expect(detail).toMatch(/syntax error at or near "selec"/);
    expect(detail).toMatch(/LINE 1: selec \* from fct_invoices\n\s*\^/);
    expect((await post("copy (select 1) to 'x.csv'")).status).toBe(403);
  });
});

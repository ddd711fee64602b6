/**
 * Hostile uploads through `POST /api/admin/ingest`: the answer is a 4xx problem carrying the very
 * message the CLI prints (naming the upload, not where the server saved it), the server stays up,
 * and the warehouse is as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ApiContext } from '../../../src/api/context.ts';
import { createToken } from '../../../src/api/tokens.ts';
import { Warehouse } from '../../../src/db/warehouse.ts';
import { createApp } from '../../../src/web/app.ts';
import { cli, fingerprintOf, put, tempDir } from './harness.ts';

const GOOD = 'invoice_id,customer_id,invoice_date,amount\nI1,C1,2024-01-10,1.00\n';
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** Uploads that ingest refuses, each with the name it is sent under. */
const REFUSED: [string, string, string | Buffer][] = [
  ['a text file named .xlsx', 'facturas.xlsx', GOOD.replace('I1', 'X1')],
  ['10,000 nested levels of JSON', 'facturas.json', `[${deep(10_000)}]`],
  ['an empty file', 'facturas.csv', ''],
  ['amounts that read two ways', 'facturas.csv', 'invoice_id;customer_id;invoice_date;amount\nI1;C1;2024-01-10;1.234\n'],
  ['a zip named .csv', 'facturas.csv', Buffer.from('PK\u0003\u0004 rest')],
];

let dir: string;
let wh: Warehouse;
let api: ApiContext;
let app: ReturnType<typeof createApp>;
let admin: string;

const upload = (name: string, content: string | Buffer) => {
  const form = new FormData();
  form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
  return app.request('/api/admin/ingest', { method: 'POST', body: form, headers: { Authorization: `Bearer ${admin}` } });
};

beforeAll(async () => {
  dir = tempDir();
  wh = await Warehouse.open(join(dir, 'w.duckdb'));
  api = await ApiContext.create(wh, { uploadDir: join(dir, 'uploads') });
  admin = (await createToken(wh, { role: 'admin', name: 'admin' })).key;
  await api.keys.load(wh);
  app = createApp(api);
  expect((await upload('base_facturas.csv', GOOD)).status).toBe(200);
});

afterAll(() => {
  api.close();
  wh.close();
});

describe('hostile uploads', () => {
  it.each(REFUSED)('%s: 400 with the CLI message, the warehouse unchanged', async (_what, name, content) => {
    const local = tempDir();
    const path = put(local, name, content);
    const run = await cli(['ingest', '--db', join(local, 'w.duckdb'), '--json', path]);
    expect(run.code).toBe(1);
    const cliMessage = run.err.slice('cartera: '.length).replace(/\n$/, '').replaceAll(path, name);

    const before = await fingerprintOf(wh);
    const r = await upload(name, content);
    const body = await r.json();
    expect(r.status, JSON.stringify(body)).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(body.detail).toBe(cliMessage);
    expect(body.detail).not.toContain(dir);
    expect(await fingerprintOf(wh)).toEqual(before);
  });

  it('still loads a good upload after all of them', async () => {
    const r = await upload('facturas_2.csv', GOOD.replace('I1', 'I2'));
    expect(r.status).toBe(200);
    expect(Number(await wh.scalar(`select count(*) from raw_invoices where not rejected`))).toBe(2);
  });
});

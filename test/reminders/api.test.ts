/**
 * GET /api/reminders through app.request() on the month's warehouse (the real pipeline from
 * small exports): who may read it, a collector's own customers only, a 400 for a day that is not
 * one, the files, and that reading records nothing while a hand-over takes the reminders off.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiContext } from '../../src/api/context.ts';
import { createApiApp } from '../../src/api/app.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { recordHandOver, type Reminder } from '../../src/reminders/index.ts';
import { createKeys, type RoleKeys } from '../support/keys.ts';
import { monthWarehouse, type MonthWarehouse } from './month-warehouse.ts';

let m: MonthWarehouse;
let wh: Warehouse;
let api: ApiContext;
let app: ReturnType<typeof createApiApp>;
/** `own` is limited to collector ana (customers C1, C3, C7). */
let keys: RoleKeys;

beforeAll(async () => {
  m = await monthWarehouse();
  wh = await Warehouse.open(m.db);
  keys = await createKeys(wh, 'ana');
  api = await ApiContext.create(wh, { uploadDir: join(m.dir, 'uploads') });
  app = createApiApp(api);
}, 120_000);
afterAll(async () => {
  await api?.close();
  wh?.close();
  m?.cleanup();
});

const get = (path: string, key?: string) => app.request(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
const customers = async (path: string, key: string) => ((await (await get(path, key)).json()).data as Reminder[]).map((r) => `${r.customer_id} ${r.level}`);

describe('GET /api/reminders', () => {
  test("the day's reminders, one per customer and level (nothing handed over yet: each in the level it is in on 03-09)", async () => {
    const r = await get('/api/reminders?date=2026-03-09', keys.admin);
    expect(r.status).toBe(200);
    const body = await r.json();
    expect([body.date, body.count]).toEqual(['2026-03-09', 5]);
    // The balances the reminders rest on are the publication's: a customer who paid since is not in them.
    expect(body.balances_as_of).toBe('2026-02-28');
    expect((body.data as Reminder[]).map((x) => `${x.customer_id} ${x.level}`)).toEqual(['C1 due', 'C2 due', 'C5 due', 'C6 before_due', 'C7 due']);
    const c1 = (body.data as Reminder[])[0];
    expect(c1).toMatchObject({
      contact: { email: 'pagos@acerosnorte.com.mx', phone: '+52 55 1234 5678' },
      template_key: 'reminder.due',
      level_label: 'Pago por vencer hoy',
      language: 'es',
      window: { time_zone: 'America/Mexico_City', start: '2026-03-09T07:00:00-06:00', end: '2026-03-09T22:00:00-06:00' },
      invoices: [{ invoice_id: 'I13', due_date: '2026-03-03', days_from_due: 6, currency: 'USD', amount: '200.00', outstanding: '200.00' }],
      totals: [{ currency: 'USD', outstanding: '200.00' }],
    });
  });

  test('is in the OpenAPI document, with its parameters', async () => {
    const doc = await (await get('/openapi.json', keys.admin)).json();
    const op = doc.paths['/api/reminders'].get;
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['collector', 'date', 'format']);
  });

  test('collections and admin only; no key is 401', async () => {
    expect((await get('/api/reminders?date=2026-03-09', keys.cfo)).status).toBe(403);
    expect((await get('/api/reminders?date=2026-03-09', keys.analyst)).status).toBe(403);
    expect((await get('/api/reminders?date=2026-03-09')).status).toBe(401);
    expect(await customers('/api/reminders?date=2026-03-09', keys.collections)).toHaveLength(5);
    const today = await get('/api/reminders', keys.admin);
    expect([today.status, (await today.json()).date]).toEqual([200, new Intl.DateTimeFormat('en-CA').format(new Date())]);
  });

  test("a collector sees their own customers only, and may not ask for another's", async () => {
    expect(await customers('/api/reminders?date=2026-03-09', keys.own)).toEqual(['C1 due', 'C7 due']);
    expect(await customers('/api/reminders?date=2026-03-09&collector=bruno', keys.admin)).toEqual(['C2 due', 'C6 before_due']);
    const other = await get('/api/reminders?date=2026-03-09&collector=bruno', keys.own);
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
  });

  test('a day that is not one is a 400 naming the parameter', async () => {
    for (const bad of ['2026-02-30', '09/03/2026', 'today']) {
      const r = await get(`/api/reminders?date=${encodeURIComponent(bad)}`, keys.admin);
      expect(r.status, bad).toBe(400);
      expect((await r.json()).detail).toMatch(/query parameter 'date': must be a calendar day as YYYY-MM-DD/);
    }
    expect((await get('/api/reminders?date=2026-03-09&format=pdf', keys.admin)).status).toBe(400);
  });

  test('a cadence folder with a mistake ($CARTERA_CADENCES) is the server\'s problem: 500, naming the file and the key', async () => {
    const dir = join(m.dir, 'bad-cadences');
    mkdirSync(dir);
    writeFileSync(join(dir, 'default.yaml'), 'name: default\nlevels: []\n');
    process.env.CARTERA_CADENCES = dir;
    try {
      const r = await get('/api/reminders?date=2026-03-09', keys.admin);
      expect(r.status).toBe(500);
      expect((await r.json()).detail).toMatch(/^the reminder cadences cannot be read: .*bad-cadences\/default\.yaml: levels: /);
    } finally {
      delete process.env.CARTERA_CADENCES;
    }
  });

  test('csv: one row per reminder and invoice, ids and phones as written', async () => {
    const r = await get('/api/reminders?date=2026-03-07&collector=ana&format=csv', keys.admin);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('reminders-2026-03-07.csv');
    const lines = (await r.text()).trim().split(/\r?\n/);
    // Nothing handed over yet. C1: I13 (due 03-03) is in its due level, I11, I12 and I14 three days before theirs;
    // one a day in Mexico, and the more advanced level goes first. C7 follows the shipped cadence here: due 03-05.
    const header = lines[0].split(',');
    const col = (line: string, name: string) => line.split(',')[header.indexOf(name)];
    expect(lines.slice(1).map((l) => `${col(l, 'customer_id')} ${col(l, 'level')} ${col(l, 'invoice_id')} ${col(l, 'currency')} ${col(l, 'outstanding')} ${col(l, 'total_in_currency')}`)).toEqual([
      'C1 due I13 USD 200.00 200.00',
      'C7 due I71 MXN 10000.00 10000.00',
    ]);
  });

  test('reading records nothing; once handed over, the reminders are off the list', async () => {
    const r = await get('/api/reminders?date=2026-03-09&collector=ana', keys.admin);
    const handed = (await r.json()).data as Reminder[];
    expect(await wh.scalar<string>(`select count(*)::varchar from recorded_activities`)).toBe('0');
    await api.writeWhenFree(() => recordHandOver(wh, handed, { to: 'test', by: 'test', subject: 'key:test' }));
    expect(await customers('/api/reminders?date=2026-03-09', keys.admin)).toEqual(['C2 due', 'C5 due', 'C6 before_due']);
    // The next day I13 reaches +7 (and goes before I11, I12 and I14's due level); C7's due level went out on 03-09.
    expect(await customers('/api/reminders?date=2026-03-10', keys.own)).toEqual(['C1 overdue_7']);
  });
});

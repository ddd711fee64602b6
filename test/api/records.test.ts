/**
 * Recording what happened (issue 19): contacts, promises to pay and disputes written through the
 * API on a copy of the demo warehouse. Each write is validated, scoped to the collector's own
 * customers, idempotent under an Idempotency-Key, keeps who and when, and reaches the call list
 * before it answers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { canBuildRecordsOnly } from '../../src/models/index.ts';
import { runRefresh } from '../../src/pipeline/index.ts';
import { apiFixture } from './fixture.ts';

let f: Awaited<ReturnType<typeof apiFixture>>;
let asOf: string;
beforeAll(async () => {
  f = await apiFixture();
  asOf = (await f.sql<{ d: string }>(`select as_of::varchar as d from build_options`))[0].d;
}, 120_000);
afterAll(() => f.close());

const WRITE = 120_000;

async function send(method: string, path: string, body: unknown, key = f.keys.own, headers: Record<string, string> = {}) {
  const r = await f.app.request(path, {
    method,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}`, ...headers },
  });
  const type = r.headers.get('content-type') ?? '';
  return { status: r.status, type, body: type.includes('json') ? await r.json() : await r.text() };
}

const day = (iso: string, plus: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10);

/** The call-list rows of a customer. */
const listed = async (customer: string, key = f.keys.admin) => {
  const r = await f.get(`/api/call-list?limit=5000`, key);
  const rows = (await r.json()).data as Record<string, unknown>[];
  return rows.find((row) => row.customer_id === customer);
};

/** A customer of the own collector with open undisputed debt, no open promise and nothing recorded yet. */
async function ownCustomer(skip: string[], where = 'true') {
  const rows = await f.sql<{ customer_id: string }>(
    `select customer_id from call_list
     where collector = $1 and open_promise_date is null and not has_dispute and suggested_action <> 'resolve_dispute' and ${where}
     order by rank`,
    [f.ids.own],
  );
  return rows.map((r) => r.customer_id).find((c) => !skip.includes(c))!;
}
const used: string[] = [];

describe('validation', () => {
  test.each(['/api/activities', '/api/promises', '/api/disputes'])('POST %s with an empty body answers 400 problem+json', async (path) => {
    for (const [body, detail] of [['', /JSON/], ['{}', /'customer_id'/]] as const) {
      const r = await send('POST', path, body);
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.detail).toMatch(detail);
    }
  });

  test('each bad field is named', async () => {
    const c = f.ids.ownCustomer;
    const a = await send('POST', '/api/activities', { customer_id: c, channel: 'pigeon', reached: true, outcome: 'promise' });
    expect(a.status).toBe(400);
    expect(a.body.detail).toMatch(/'channel'/);
    const p = await send('POST', '/api/promises', { customer_id: c, promised_date: '2026-13-01', amount: -5 });
    expect(p.status).toBe(400);
    expect(p.body.detail).toMatch(/'promised_date'/);
    expect(p.body.detail).toMatch(/'amount'/);
    const d = await send('POST', '/api/disputes', { customer_id: c, invoice_ids: [], reason: 'x' });
    expect(d.status).toBe(400);
    expect(d.body.detail).toMatch(/'invoice_ids'/);
  });

  test('what does not fit the customer answers 422', async () => {
    const c = f.ids.ownCustomer;
    const [inv] = await f.sql<{ invoice_id: string; currency: string; outstanding: string }>(
      `select invoice_id, currency, outstanding::varchar as outstanding from fct_invoices where customer_id = $1 and outstanding > 0 order by due_date limit 1`,
      [c],
    );
    const [foreign] = await f.sql<{ invoice_id: string }>(`select invoice_id from fct_invoices where customer_id <> $1 limit 1`, [c]);
    const other = inv.currency === 'USD' ? 'EUR' : 'USD';
    const cases: [string, unknown, RegExp][] = [
      ['/api/promises', { customer_id: c, invoice_id: inv.invoice_id, promised_date: day(asOf, 5), amount: 10, currency: other }, /currency/],
      ['/api/promises', { customer_id: c, invoice_id: inv.invoice_id, promised_date: day(asOf, 5), amount: Number(inv.outstanding) + 1000 }, /amount/],
      ['/api/promises', { customer_id: c, promised_date: day(asOf, -5), amount: 10, date: asOf }, /promised_date/],
      ['/api/promises', { customer_id: c, invoice_id: foreign.invoice_id, promised_date: day(asOf, 5), amount: 10 }, /invoice/],
      ['/api/activities', { customer_id: c, channel: 'call', reached: false, outcome: 'promise' }, /reached/],
      ['/api/activities', { customer_id: c, channel: 'call', reached: true, outcome: 'paid', next_action_date: day(asOf, -1) }, /next_action_date/],
      // Two days after UTC's today is after today everywhere.
      ['/api/activities', { customer_id: c, channel: 'call', reached: true, outcome: 'paid', date: day(new Date().toISOString().slice(0, 10), 2) }, /future/],
      ['/api/disputes', { customer_id: c, invoice_ids: [foreign.invoice_id], amount: 10, reason: 'Precio incorrecto' }, /invoice/],
      ['/api/disputes', { customer_id: c, invoice_ids: [inv.invoice_id], amount: Number(inv.outstanding) + 1000, reason: 'Precio incorrecto' }, /amount/],
    ];
    for (const [path, body, detail] of cases) {
      const r = await send('POST', path, body);
      expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(422);
      expect(r.type).toContain('application/problem+json');
      expect(r.body.detail).toMatch(detail);
    }
    expect(await f.sql(`select * from recorded_promises`)).toEqual([]);
  });
});

describe('who may write', () => {
  test('cfo and analyst are refused; no key answers 401', async () => {
    const body = { customer_id: f.ids.ownCustomer, channel: 'call', reached: false, outcome: 'no_answer' };
    expect((await send('POST', '/api/activities', body, f.keys.cfo)).status).toBe(403);
    expect((await send('POST', '/api/activities', body, f.keys.analyst)).status).toBe(403);
    const r = await f.app.request('/api/activities', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(401);
  });

  test("another collector's customer answers 404 exactly like one that does not exist", async () => {
    const bodies = (customer_id: string): [string, unknown][] => [
      ['/api/activities', { customer_id, channel: 'call', reached: false, outcome: 'no_answer' }],
      ['/api/promises', { customer_id, promised_date: day(asOf, 5), amount: 10 }],
      ['/api/disputes', { customer_id, invoice_ids: ['X'], amount: 10, reason: 'Precio incorrecto' }],
    ];
    for (const [path, body] of bodies(f.ids.otherCustomer)) {
      const theirs = await send('POST', path, body);
      const [, ghost] = bodies('NO-SUCH-CUSTOMER').find(([p]) => p === path)!;
      const none = await send('POST', path, ghost);
      expect(theirs.status).toBe(404);
      expect(none.status).toBe(404);
      expect(theirs.body.detail.replace(f.ids.otherCustomer, 'ID')).toBe(none.body.detail.replace('NO-SUCH-CUSTOMER', 'ID'));
    }
    for (const t of ['recorded_activities', 'recorded_promises', 'recorded_disputes']) expect(await f.sql(`select * from ${t}`)).toEqual([]);
  });
});

describe('a contact', () => {
  test('keeps who and when, and reaches the customer and the call list at once', async () => {
    const c = f.ids.ownCustomer;
    const before = Date.now();
    const r = await send('POST', '/api/activities', {
      customer_id: c, channel: 'call', reached: true, outcome: 'callback', note: 'llamar el lunes', next_action_date: day(asOf, 3),
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      customer_id: c, channel: 'call', reached: true, outcome: 'callback', note: 'llamar el lunes', next_action_date: day(asOf, 3),
      activity_date: asOf, collector: f.ids.own, recorded_by: 'own', source: 'cartera',
    });
    expect(r.body.activity_id).toMatch(/^ACT-/);
    expect(Date.parse(r.body.recorded_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(r.body.recorded_at)).toBeLessThanOrEqual(Date.now() + 1000);
    const drawer = await (await f.get(`/api/customers/${c}`, f.keys.own)).json();
    expect(drawer.activities[0]).toMatchObject({ activity_id: r.body.activity_id, source: 'cartera', outcome: 'callback' });
    expect(await listed(c)).toMatchObject({ last_activity_date: asOf, last_activity_channel: 'call', last_activity_outcome: 'callback' });
  }, WRITE);

  test('a retry with the same Idempotency-Key answers the same and records once; another body is refused', async () => {
    const c = f.ids.ownCustomer;
    const body = { customer_id: c, channel: 'email', reached: false, outcome: 'no_answer' };
    const key = { 'Idempotency-Key': 'retry-activity-1' };
    const first = await send('POST', '/api/activities', body, f.keys.own, key);
    const again = await send('POST', '/api/activities', body, f.keys.own, key);
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect(await f.sql(`select activity_id from recorded_activities where activity_id = $1`, [first.body.activity_id])).toHaveLength(1);
    const other = await send('POST', '/api/activities', { ...body, outcome: 'left_message' }, f.keys.own, key);
    expect(other.status).toBe(422);
    expect(other.body.detail).toMatch(/Idempotency-Key/);
    // Keys belong to their caller: the same key from someone else is a new request.
    const team = await send('POST', '/api/activities', body, f.keys.collections, key);
    expect(team.status).toBe(201);
    expect(team.body.activity_id).not.toBe(first.body.activity_id);
    expect(team.body.recorded_by).toBe('team');
    const bad = await send('POST', '/api/activities', body, f.keys.own, { 'Idempotency-Key': '' });
    expect(bad.status).toBe(400);
  }, WRITE);
});

describe('a promise to pay', () => {
  test('holds the customer off the call list until its date, in the invoice currency', async () => {
    const c = await ownCustomer(used, `scheduled_date = as_of`);
    used.push(c);
    expect((await listed(c))?.scheduled_date).toBe(asOf);
    const [inv] = await f.sql<{ invoice_id: string; currency: string }>(
      `select invoice_id, currency from fct_invoices where customer_id = $1 and outstanding > 100 order by due_date, invoice_id limit 1`,
      [c],
    );
    const promised = day(asOf, 9);
    const r = await send('POST', '/api/promises', { customer_id: c, invoice_id: inv.invoice_id, promised_date: promised, amount: 1.5 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      customer_id: c, invoice_id: inv.invoice_id, promise_date: asOf, promised_date: promised, amount: '1.50', currency: inv.currency,
      status: 'open', recorded_by: 'own', collector: f.ids.own, source: 'cartera',
    });
    const today = await (await f.get(`/api/call-list?date=${asOf}&limit=5000`, f.keys.own)).json();
    expect(today.data.map((x: { customer_id: string }) => x.customer_id)).not.toContain(c);
    const row = await listed(c);
    expect(row).toMatchObject({ open_promise_date: promised, open_promise_amount: '1.50' });
    expect(String(row!.scheduled_date) >= promised).toBe(true);
    const [p] = await f.sql<{ status: string; source: string }>(`select status, source from fct_promises where promise_id = $1`, [r.body.promise_id]);
    expect(p).toEqual({ status: 'pending', source: 'cartera' });
  }, WRITE);

  test('a broken promise (date passed without enough payment) brings the customer back ranked higher', async () => {
    const c = await ownCustomer(used, `rank > 3 and customer_id not in (
      select customer_id from fct_promises where status = 'broken' and promised_date >= as_of - 30)`);
    used.push(c);
    const before = (await listed(c))!;
    const [{ balance, currency }] = await f.sql<{ balance: string; currency: string }>(
      `select sum(outstanding)::varchar as balance, any_value(currency) as currency from fct_invoices where customer_id = $1 and outstanding > 0 group by currency order by count(*) desc limit 1`,
      [c],
    );
    const r = await send('POST', '/api/promises', { customer_id: c, date: day(asOf, -10), promised_date: day(asOf, -2), amount: Number(balance), currency });
    expect(r.status).toBe(201);
    const [p] = await f.sql<{ status: string }>(`select status from fct_promises where promise_id = $1`, [r.body.promise_id]);
    expect(p.status).toBe('broken');
    const after = (await listed(c))!;
    expect(Number(after.rank)).toBeLessThan(Number(before.rank));
    expect(Number(after.priority_score)).toBeGreaterThan(Number(before.priority_score));
    expect(after.open_promise_date).toBeNull();
  }, WRITE);

  test('PATCH closes it: who and when are kept, the hold ends, a second close is refused', async () => {
    const c = await ownCustomer(used);
    used.push(c);
    const made = await send('POST', '/api/promises', { customer_id: c, promised_date: day(asOf, 12), amount: 2 });
    expect(made.status).toBe(201);
    expect((await listed(c))?.open_promise_date).toBe(day(asOf, 12));
    const id = made.body.promise_id;
    expect((await send('PATCH', `/api/promises/${id}`, { status: 'maybe' })).status).toBe(400);
    // Imported promises are the ERP's: another collector's answers 404, the own collector's 409.
    const [theirs] = await f.sql<{ promise_id: string }>(`select promise_id from fct_promises p join dim_customers d using (customer_id) where d.collector = $1 limit 1`, [f.ids.other]);
    const [mine] = await f.sql<{ promise_id: string }>(`select promise_id from fct_promises p join dim_customers d using (customer_id) where d.collector = $1 and source <> 'cartera' limit 1`, [f.ids.own]);
    const ghost = await send('PATCH', `/api/promises/NO-SUCH`, { status: 'kept' });
    const hidden = await send('PATCH', `/api/promises/${theirs.promise_id}`, { status: 'kept' });
    expect(ghost.status).toBe(404);
    expect(hidden.status).toBe(404);
    expect(hidden.body.detail.replace(theirs.promise_id, 'ID')).toBe(ghost.body.detail.replace('NO-SUCH', 'ID'));
    const imported = await send('PATCH', `/api/promises/${mine.promise_id}`, { status: 'kept' });
    expect(imported.status).toBe(409);
    expect(imported.body.detail).toMatch(/export/);
    const closed = await send('PATCH', `/api/promises/${id}`, { status: 'broken', note: 'ya no paga' }, f.keys.own, { 'Idempotency-Key': 'close-1' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ promise_id: id, status: 'broken', closed_by: 'own', closed_date: asOf, close_note: 'ya no paga' });
    expect(Date.parse(closed.body.closed_at)).toBeGreaterThan(Date.parse(made.body.recorded_at) - 1);
    expect(await send('PATCH', `/api/promises/${id}`, { status: 'broken', note: 'ya no paga' }, f.keys.own, { 'Idempotency-Key': 'close-1' })).toEqual(closed);
    expect((await send('PATCH', `/api/promises/${id}`, { status: 'kept' })).status).toBe(409);
    expect((await listed(c))?.open_promise_date ?? null).toBeNull();
  }, WRITE);
});

describe('a dispute', () => {
  test("moves the customer's disputed invoices to dispute handling; PATCH resolves it", async () => {
    const c = await ownCustomer(used);
    used.push(c);
    const invoices = await f.sql<{ invoice_id: string; outstanding: string }>(
      `select invoice_id, outstanding::varchar as outstanding from fct_invoices where customer_id = $1 and outstanding > 0 order by invoice_id`,
      [c],
    );
    const ids = invoices.map((i) => i.invoice_id);
    const total = invoices.reduce((s, i) => s + Number(i.outstanding), 0);
    const r = await send('POST', '/api/disputes', { customer_id: c, invoice_ids: ids, amount: Number(total.toFixed(2)), reason: 'Mercancía dañada' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ customer_id: c, invoice_ids: ids, reason: 'Mercancía dañada', status: 'open', recorded_by: 'own', source: 'cartera' });
    const row = (await listed(c))!;
    expect(row).toMatchObject({ has_dispute: true, suggested_action: 'resolve_dispute' });
    const open = await f.sql<{ invoice_id: string }>(`select invoice_id from fct_disputes where status = 'open' and source = 'cartera' and customer_id = $1 order by 1`, [c]);
    expect(open.map((o) => o.invoice_id)).toEqual(ids);

    const admin = await send('PATCH', `/api/disputes/${r.body.dispute_id}`, { status: 'resolved', resolution: 'nota de crédito' }, f.keys.admin);
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ dispute_id: r.body.dispute_id, status: 'resolved', resolved_by: 'admin', resolved_date: asOf });
    const after = (await listed(c))!;
    expect(after.has_dispute).toBe(false);
    expect(after.suggested_action).not.toBe('resolve_dispute');
  }, WRITE);
});

describe('kept through refreshes', () => {
  /** Published relations: main's views of the schemas a publication serves. */
  const published = async () =>
    (await f.sql<{ name: string }>(
      `select view_name as name from duckdb_views() where schema_name = 'main' and regexp_matches(sql, 'select \\* from cartera_(build|score)_[0-9]+\\.', 'i') order by 1`,
    )).map((r) => r.name);

  /** The models the last publication rebuilt, by name, and its kind. */
  const lastBuild = async () => {
    const [last] = await f.sql<{ kind: string; models: string }>(`select kind, models::varchar as models from builds order by build_id desc limit 1`);
    return { kind: last.kind, models: (JSON.parse(last.models) as { name: string }[]).map((m) => m.name).sort() };
  };
  const ACTIVITIES = ['fct_activities', 'int_activities_recorded', 'kpi_collectors', 'stg_recorded_activities'];
  // fct_activities (a view) takes recorded contacts' collector from dim_customers, which promises rebuild.
  const PROMISES = ['agg_customer_segments', 'agg_promises', 'dim_customers', 'fct_activities', 'fct_promises', 'int_promises_unioned', 'kpi_collectors', 'stg_recorded_promises'];
  const DISPUTES = ['agg_disputes', 'fct_disputes', 'int_disputes_unioned', 'stg_recorded_disputes'];
  const union = (...sets: string[][]) => [...new Set(sets.flat())].sort();

  test('a record rebuilds only the models that read what it wrote; a re-scoring keeps them', async () => {
    // The last write above resolved a dispute.
    expect(await lastBuild()).toEqual({ kind: 'records', models: DISPUTES });
    const r = await send('POST', '/api/activities', { customer_id: f.ids.ownCustomer, channel: 'call', reached: false, outcome: 'no_answer' });
    expect(r.status).toBe(201);
    expect(await lastBuild()).toEqual({ kind: 'records', models: ACTIVITIES });
    // Served from the last full build's schema and the records builds' beside it.
    expect((await f.sql(`select * from published_build`)).length).toBeGreaterThan(1);
    const counts = async () => (await f.sql<{ n: string }>(`select count(*) filter (where source = 'cartera') as n from fct_activities`))[0].n;
    const before = await counts();
    await f.api.write(() => runRefresh(f.wh, { trigger: 'test', build: false }));
    expect(await counts()).toBe(before);
  }, WRITE);

  test("a record re-scores only its customer's open invoices and keeps the other scores", async () => {
    const [x] = await f.sql<{ customer_id: string; n: number }>(
      `select customer_id, count(*)::int as n from risk_scores group by 1 having count(*) > 1 order by 1 limit 1`,
    );
    const total = (await f.sql<{ n: number }>(`select count(*)::int as n from risk_scores`))[0].n;
    await f.wh.run(
      `insert into recorded_activities (activity_id, customer_id, activity_date, channel, reached, outcome, recorded_by, recorded_by_subject, recorded_at)
       values ('ACT-RESCORE', $1, $2::date, 'call', false, 'no_answer', 'admin', 'key:test', $3::timestamp)`,
      [x.customer_id, asOf, new Date().toISOString().replace('T', ' ').replace('Z', '')],
    );
    const r = await f.api.write(() => runRefresh(f.wh, { trigger: 'test', score: 'stored', recordsOnly: true }));
    expect([r.score?.rescored, r.score?.scored]).toEqual([x.n, total]);
  }, WRITE);

  test('a record whose publication failed is published by the next record, whatever its kind', async () => {
    // As if a promise had been recorded and the refresh that publishes it had failed.
    const [inv] = await f.sql<{ customer_id: string; invoice_id: string; currency: string }>(
      `select customer_id, invoice_id, currency from fct_invoices where customer_id = $1 and outstanding > 0 limit 1`,
      [f.ids.ownCustomer],
    );
    await f.wh.run(
      `insert into recorded_promises (promise_id, customer_id, invoice_id, promise_date, promised_date, amount, currency, collector, recorded_by, recorded_by_subject, recorded_at)
       values ('PRM-UNPUBLISHED', $1, $2, $3::date, $3::date + 5, 1.00, $4, $5, 'own', 'key:test', $6::timestamp)`,
      [inv.customer_id, inv.invoice_id, asOf, inv.currency, f.ids.own, new Date().toISOString().replace('T', ' ').replace('Z', '')],
    );
    const r = await send('POST', '/api/activities', { customer_id: f.ids.ownCustomer, channel: 'call', reached: false, outcome: 'no_answer' });
    expect(r.status).toBe(201);
    expect(await lastBuild()).toEqual({ kind: 'records', models: union(ACTIVITIES, PROMISES) });
    expect(await f.sql(`select promise_id from fct_promises where promise_id = 'PRM-UNPUBLISHED'`)).toHaveLength(1);
  }, WRITE);

  test('what records published equals what a full build makes, relation by relation', async () => {
    const names = await published();
    expect(names).toContain('fct_promises');
    expect(names).toContain('call_list');
    for (const n of names) await f.wh.run(`create or replace temp table snap_${n} as select * from main.${n}`);
    await f.api.write(() => runRefresh(f.wh, { trigger: 'test' }));
    expect(await published()).toEqual(names);
    const differ: string[] = [];
    for (const n of names) {
      const [d] = await f.sql<{ a: string; b: string }>(
        `select (select count(*) from (select * from snap_${n} except all select * from main.${n})) as a,
                (select count(*) from (select * from main.${n} except all select * from snap_${n})) as b`,
      );
      if (Number(d.a) || Number(d.b)) differ.push(`${n}: ${d.a} rows only before, ${d.b} only after`);
    }
    expect(differ).toEqual([]);
  }, WRITE);

  test('a refresh rebuilds everything and loses no record', async () => {
    const counts = async () => (await f.sql<{ n: string }>(`select
      (select count(*) from fct_activities where source = 'cartera') + (select count(*) from fct_promises where source = 'cartera')
      + (select count(*) from fct_disputes where source = 'cartera') as n`))[0].n;
    const before = await counts();
    expect(Number(before)).toBeGreaterThan(4);
    await f.api.write(() => runRefresh(f.wh, { trigger: 'test' }));
    expect(await counts()).toBe(before);
    const imported = await f.sql<{ source: string }>(`select source from fct_promises where source <> 'cartera' limit 1`);
    expect(imported[0].source).toMatch(/^batch /);
  }, WRITE);
  test('a publication that lacks a model (made by older code) is rebuilt whole by the next record', async () => {
    expect(await canBuildRecordsOnly(f.wh)).toBe(true);
    await f.wh.run(`drop view main.agg_recovery`);
    expect(await canBuildRecordsOnly(f.wh)).toBe(false);
    const r = await send('POST', '/api/activities', { customer_id: f.ids.ownCustomer, channel: 'email', reached: false, outcome: 'no_answer' });
    expect(r.status).toBe(201);
    const [last] = await f.sql<{ kind: string }>(`select kind from builds order by build_id desc limit 1`);
    expect(last.kind).toBe('build');
    expect((await f.sql(`select * from agg_recovery limit 1`)).length).toBe(1);
  }, WRITE);
});

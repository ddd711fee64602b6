/**
 * The collections page's queues (issue 19) on a copy of the demo warehouse the real pipeline
 * built: `GET /api/call-list?queue=today|legal|disputes` and `GET /api/collector-numbers`. Each
 * answer is compared with plain SQL on the same file; the numbers' changes after a recorded
 * contact and promise are worked out by hand (one more of each).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiFixture } from './fixture.ts';

let f: Awaited<ReturnType<typeof apiFixture>>;
let asOf: string;
beforeAll(async () => {
  f = await apiFixture();
  asOf = (await f.sql<{ d: string }>(`select as_of::varchar as d from build_options`))[0].d;
}, 120_000);
afterAll(() => f.close());

type Row = Record<string, unknown> & { rank: number; list_rank: number; customer_id: string; collector: string; balances: { currency: string; open: string; overdue: string }[] };

async function queue(query: string, key = f.keys.own) {
  const r = await f.get(`/api/call-list?${query}`, key);
  expect(r.status, query).toBe(200);
  return (await r.json()) as { queue: string; date: string | null; as_of: string; data: Row[] };
}

const day = (iso: string, plus: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + plus * 86_400_000).toISOString().slice(0, 10);
const ranks = (rows: Row[]) => rows.map((r) => r.rank);
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('GET /api/call-list without queue is unchanged', () => {
  test('the whole list by its own rank, no queue columns', async () => {
    const r = await f.get('/api/call-list?limit=5000', f.keys.admin);
    const body = (await r.json()) as { data: Row[] };
    const expected = await f.sql<{ customer_id: string; rank: number }>(`select customer_id, rank from call_list order by rank`);
    expect(body.data.map((x) => [x.customer_id, x.rank])).toEqual(expected.map((x) => [x.customer_id, x.rank]));
    expect(body.data[0]).not.toHaveProperty('list_rank');
    expect(body).not.toHaveProperty('queue');
  });
});

describe("today's queue", () => {
  test("the collector's calls scheduled for the as-of day, without legal and dispute-only accounts, ranked 1, 2, 3...", async () => {
    const body = await queue('queue=today&limit=5000');
    expect([body.queue, body.date, body.as_of]).toEqual(['today', asOf, asOf]);
    const expected = await f.sql<{ customer_id: string; rank: number }>(
      `select customer_id, rank from call_list
       where collector = $1 and scheduled_date = $2::date and suggested_action not in ('legal', 'resolve_dispute') order by rank`,
      [f.ids.own, asOf],
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(body.data.map((x) => x.customer_id)).toEqual(expected.map((x) => x.customer_id));
    expect(ranks(body.data)).toEqual(oneToN(expected.length));
    expect(body.data.map((x) => x.list_rank)).toEqual(expected.map((x) => x.rank));
    expect(new Set(body.data.map((x) => x.collector))).toEqual(new Set([f.ids.own]));
    // What the page shows on each row is there.
    for (const k of ['phone', 'email', 'open_balance', 'overdue_balance', 'oldest_days_past_due', 'risk_band', 'reasons', 'reason_values', 'reasons_text',
      'open_promise_date', 'open_promise_amount', 'has_dispute', 'last_activity_date', 'last_activity_outcome', 'suggested_action_es', 'suggested_action_en']) {
      expect(body.data[0], k).toHaveProperty(k);
    }
  });

  test('balances are per invoice currency, never added across currencies', async () => {
    const rows = [];
    for (const q of ['today', 'legal', 'disputes']) rows.push(...(await queue(`queue=${q}&limit=5000`, f.keys.admin)).data);
    const expected = await f.sql<{ customer_id: string; currency: string; open: string; overdue: string }>(
      `select customer_id, currency, sum(outstanding)::decimal(18,2)::varchar as open,
         coalesce(sum(outstanding) filter (where days_past_due > 0), 0)::decimal(18,2)::varchar as overdue
       from fct_invoices where outstanding > 0 group by all order by customer_id, currency`,
    );
    for (const row of rows) {
      const mine = expected.filter((e) => e.customer_id === row.customer_id).map(({ currency, open, overdue }) => ({ currency, open, overdue }));
      expect(row.balances.map((b) => ({ ...b, open: String(b.open), overdue: String(b.overdue) }))).toEqual(mine);
    }
    // The demo has customers owing in two currencies, and the queues list some of them: each currency on its own.
    expect(rows.filter((r) => r.balances.length > 1).length).toBeGreaterThan(0);
  });

  test('the date picker: another day shows the calls scheduled on it, ranked from 1 again', async () => {
    const [later] = await f.sql<{ d: string; n: number }>(
      `select scheduled_date::varchar as d, count(*)::integer as n from call_list
       where scheduled_date > $1::date and suggested_action not in ('legal', 'resolve_dispute') group by 1 order by 1 limit 1`,
      [asOf],
    );
    expect(later).toBeDefined();
    const body = await queue(`queue=today&date=${later.d}&limit=5000`, f.keys.admin);
    expect(body.date).toBe(later.d);
    expect(ranks(body.data)).toEqual(oneToN(later.n));
    expect((await queue(`queue=today&date=${day(asOf, -1)}`, f.keys.admin)).data).toEqual([]);
  });

  test('a team member picks a collector; a collector cannot read another', async () => {
    const theirs = await queue(`queue=today&collector=${encodeURIComponent(f.ids.other)}`, f.keys.collections);
    expect(theirs.data.length).toBeGreaterThan(0);
    expect(new Set(theirs.data.map((x) => x.collector))).toEqual(new Set([f.ids.other]));
    expect(ranks(theirs.data)).toEqual(oneToN(theirs.data.length));
    const refused = await f.get(`/api/call-list?queue=today&collector=${encodeURIComponent(f.ids.other)}`, f.keys.own);
    expect(refused.status).toBe(403);
    expect((await f.get('/api/call-list?queue=tomorrow', f.keys.own)).status).toBe(400);
  });
});

describe('legal and dispute queues', () => {
  test('legal: every account in the legal stage, whatever its day; none of them in today\'s queue', async () => {
    const legal = await queue('queue=legal&limit=5000', f.keys.admin);
    const expected = await f.sql<{ customer_id: string }>(`select customer_id from call_list where suggested_action = 'legal' order by rank`);
    expect(expected.length).toBeGreaterThan(0);
    expect(legal.date).toBeNull();
    expect(legal.data.map((x) => x.customer_id)).toEqual(expected.map((x) => x.customer_id));
    expect(ranks(legal.data)).toEqual(oneToN(expected.length));
    const today = await queue('queue=today&limit=5000', f.keys.admin);
    const inLegal = new Set(expected.map((x) => x.customer_id));
    expect(today.data.filter((x) => inLegal.has(x.customer_id))).toEqual([]);
  });

  test('disputes: every account with a disputed invoice; dispute-only accounts are not called today', async () => {
    const disputes = await queue('queue=disputes&limit=5000', f.keys.admin);
    const expected = await f.sql<{ customer_id: string; only: boolean }>(
      `select customer_id, suggested_action = 'resolve_dispute' as only from call_list where has_dispute order by rank`,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(disputes.data.map((x) => x.customer_id)).toEqual(expected.map((x) => x.customer_id));
    expect(ranks(disputes.data)).toEqual(oneToN(expected.length));
    const today = await queue('queue=today&limit=5000', f.keys.admin);
    const only = new Set(expected.filter((x) => x.only).map((x) => x.customer_id));
    expect(today.data.filter((x) => only.has(x.customer_id))).toEqual([]);
  });

  test('a collector sees only their own legal and dispute accounts', async () => {
    for (const q of ['legal', 'disputes']) {
      const mine = await queue(`queue=${q}&limit=5000`);
      expect(mine.data.every((x) => x.collector === f.ids.own), q).toBe(true);
    }
  });
});

describe('exports of a queue', () => {
  test('CSV keeps phone numbers as written; XLSX answers a workbook', async () => {
    const csv = await (await f.get('/api/call-list?queue=today&format=csv&limit=5000', f.keys.own)).text();
    const [header, ...lines] = csv.trim().split('\r\n');
    const phone = header.split(',').indexOf('phone');
    const phones = await f.sql<{ phone: string }>(
      `select phone from call_list where collector = $1 and scheduled_date = $2::date and suggested_action not in ('legal', 'resolve_dispute') order by rank`,
      [f.ids.own, asOf],
    );
    expect(phones[0].phone).toMatch(/^\+\d/);
    // No field of these rows holds a comma or quote before the phone: splitting on commas finds it.
    expect(lines.map((l) => l.split(',')[phone])).toEqual(phones.map((p) => p.phone));
    const xlsx = await f.get('/api/call-list?queue=legal&format=xlsx', f.keys.own);
    expect(xlsx.headers.get('content-disposition')).toContain('queue_legal.xlsx');
  });
});

describe("the collector's numbers", () => {
  type Numbers = { month: string; contacts: number; promises_made: number; promises_kept: number; customers_worked: number; collected: { currency: string; amount: string }[] };
  const numbers = async (key = f.keys.own, query = '') => {
    const r = await f.get(`/api/collector-numbers${query}`, key);
    expect(r.status).toBe(200);
    return (await r.json()) as Numbers;
  };

  test('the as-of month, the same as plain SQL on the marts', async () => {
    const n = await numbers();
    expect(n.month).toBe(asOf.slice(0, 7));
    const from = `${asOf.slice(0, 7)}-01`;
    const [sql] = await f.sql<{ contacts: number; made: number; kept: number }>(
      `select (select count(*) from fct_activities where collector = $1 and date_trunc('month', activity_date) = $2::date)::integer as contacts,
              (select count(*) from fct_promises where collector = $1 and date_trunc('month', promise_date) = $2::date)::integer as made,
              (select count(*) from fct_promises where collector = $1 and date_trunc('month', promise_date) = $2::date and status = 'kept')::integer as kept`,
      [f.ids.own, from],
    );
    expect([n.contacts, n.promises_made, n.promises_kept]).toEqual([sql.contacts, sql.made, sql.kept]);
    const cash = await f.sql<{ currency: string; amount: string }>(
      `select currency, sum(amount)::decimal(18,2)::varchar as amount from fct_payments
       where date_trunc('month', payment_date) = $2::date and not is_write_off and customer_id in (
         select customer_id from fct_activities where collector = $1 and date_trunc('month', activity_date) = $2::date
         union select customer_id from fct_promises where collector = $1 and date_trunc('month', promise_date) = $2::date)
       group by 1 order by 1`,
      [f.ids.own, from],
    );
    expect(n.collected.map((c) => ({ currency: c.currency, amount: String(c.amount) }))).toEqual(cash);
    const other = await f.get(`/api/collector-numbers?collector=${encodeURIComponent(f.ids.other)}`, f.keys.own);
    expect(other.status).toBe(403);
    expect((await f.get('/api/collector-numbers?month=2026-13', f.keys.own)).status).toBe(400);
  });

  test('a recorded contact and promise count at once (one more of each), and the promised customer leaves today\'s queue until its date', async () => {
    const before = await numbers();
    const today = await queue('queue=today&limit=5000');
    const target = today.data.find((x) => x.open_promise_date === null && x.balances.length === 1 && Number(x.balances[0].open) > 10)!;
    expect(target).toBeDefined();
    const post = (path: string, body: unknown) =>
      f.app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${f.keys.own}`, 'Idempotency-Key': crypto.randomUUID() } });
    const contact = await post('/api/activities', { customer_id: target.customer_id, channel: 'call', reached: true, outcome: 'promise', note: 'pagará el viernes' });
    expect(contact.status).toBe(201);
    const promised = day(asOf, 5);
    const promise = await post('/api/promises', { customer_id: target.customer_id, promised_date: promised, amount: 10 });
    expect(promise.status).toBe(201);
    const after = await numbers();
    expect(after.contacts).toBe(before.contacts + 1);
    expect(after.promises_made).toBe(before.promises_made + 1);
    const now = await queue('queue=today&limit=5000');
    expect(now.data.map((x) => x.customer_id)).not.toContain(target.customer_id);
    expect(ranks(now.data)).toEqual(oneToN(now.data.length));
    const back = await queue(`queue=today&date=${promised}&limit=5000`);
    const row = back.data.find((x) => x.customer_id === target.customer_id)!;
    expect(row.open_promise_date).toBe(promised);
    expect(ranks(back.data)).toEqual(oneToN(back.data.length));
  }, 240_000);
});

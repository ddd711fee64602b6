/**
 * `cartera reminders --webhook URL --secret-env NAME`: the reminders posted as JSON signed with
 * HMAC-SHA256 to a receiver on loopback (a real node:http server on 127.0.0.1 that checks the
 * signature on its own, with node:crypto, as a tool on the other side would). They count as
 * handed over, and are recorded, only when it answers 2xx.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withWarehouse } from '../../src/db/warehouse.ts';
import { signBody, verifySignature, type Reminder } from '../../src/reminders/index.ts';
import { monthWarehouse, type MonthWarehouse } from './month-warehouse.ts';
import { cartera } from './run-cli.ts';

const SECRET = 'whsec_3f9a1c77b2e04d18a6c5';

interface Delivery {
  signature: string;
  body: string;
  verified: boolean;
}

/** The receiver: verifies `t=<unix>,v1=<hex>` over `<t>.<body>` with its own secret; 401 when it does not match, `fail` when set. */
function receiver(secret: string) {
  const got: Delivery[] = [];
  let fail: number | undefined;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const signature = String(req.headers['x-cartera-signature'] ?? '');
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
      const expected = m && createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
      const fresh = m && Math.abs(Date.now() / 1000 - Number(m[1])) <= 300;
      const verified = Boolean(m && fresh && timingSafeEqual(Buffer.from(m[2], 'hex'), expected!));
      got.push({ signature, body, verified });
      res.writeHead(!verified ? 401 : (fail ?? 200)).end();
    });
  });
  return {
    got,
    failWith: (status: number | undefined) => (fail = status),
    listen: () => new Promise<string>((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/cartera`))),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

let m: MonthWarehouse;
let hook: ReturnType<typeof receiver>;
let url: string;

beforeAll(async () => {
  m = await monthWarehouse();
  hook = receiver(SECRET);
  url = await hook.listen();
}, 120_000);
afterAll(async () => {
  await hook?.close();
  m?.cleanup();
  delete process.env.REMINDERS_SECRET;
});

const recorded = () => withWarehouse(m.db, (wh) => wh.scalar<string>(`select count(*)::varchar from recorded_activities where channel = 'reminder'`));
const post = () => cartera('reminders', '--db', m.db, '--date', '2026-03-09', '--webhook', url, '--secret-env', 'REMINDERS_SECRET');

describe('the webhook', () => {
  test('a wrong secret: the receiver refuses it (401), the command fails and nothing is recorded', async () => {
    process.env.REMINDERS_SECRET = 'not-the-shared-secret';
    const r = await post();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the webhook answered 401; nothing recorded/);
    expect(hook.got.at(-1)!.verified).toBe(false);
    expect(await recorded()).toBe('0');
  });

  test('a receiver that is not there: the command says so, and nothing is recorded', async () => {
    process.env.REMINDERS_SECRET = SECRET;
    const closed = receiver(SECRET);
    const gone = await closed.listen();
    await closed.close();
    const r = await cartera('reminders', '--db', m.db, '--date', '2026-03-09', '--webhook', `${gone}?token=abc`, '--secret-env', 'REMINDERS_SECRET');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the webhook at http:\/\/127\.0\.0\.1:\d+\/hooks\/cartera did not answer \(.*ECONNREFUSED.*\); nothing recorded/);
    expect(r.err).not.toContain('token=abc');
    expect(await recorded()).toBe('0');
  });

  test('a receiver that fails (503) after checking the signature: nothing recorded either', async () => {
    process.env.REMINDERS_SECRET = SECRET;
    hook.failWith(503);
    const r = await post();
    hook.failWith(undefined);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/answered 503; nothing recorded: the same 5 reminders for 2026-03-09 go out on the next run/);
    expect(hook.got.at(-1)!.verified).toBe(true);
    expect(await recorded()).toBe('0');
  });

  test('the right secret: signed JSON, verified by the receiver, recorded once it answered 2xx', async () => {
    process.env.REMINDERS_SECRET = SECRET;
    const before = hook.got.length;
    const r = await post();
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/5 reminders for 2026-03-09 to webhook http:\/\/127\.0\.0\.1:\d+\/hooks\/cartera; recorded as handed over/);
    expect(r.out).toBe('');
    expect(hook.got).toHaveLength(before + 1);
    const d = hook.got.at(-1)!;
    expect(d.verified).toBe(true);
    expect(verifySignature(d.signature, d.body, SECRET)).toBe(true);
    const payload = JSON.parse(d.body) as { type: string; date: string; count: number; data: Reminder[] };
    expect([payload.type, payload.date, payload.count]).toEqual(['cartera.reminders', '2026-03-09', 5]);
    // Nothing handed over before: each customer gets the level it is in on 03-09 (shipped cadence only).
    expect(payload.data.map((x) => `${x.customer_id} ${x.template_key} ${x.invoices.map((i) => i.invoice_id).join(',')}`)).toEqual([
      'C1 reminder.due I13',
      'C2 reminder.due I21',
      'C5 reminder.due I51',
      'C6 reminder.before_due I61',
      'C7 reminder.due I71',
    ]);
    expect(await recorded()).toBe('5');
  });

  test('a re-run the same day posts nothing and records nothing more', async () => {
    const before = hook.got.length;
    const r = await post();
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/0 reminders for 2026-03-09, nothing posted/);
    expect(hook.got).toHaveLength(before);
    expect(await recorded()).toBe('5');
  });

  test('the secret comes from the environment only', async () => {
    const noEnv = await cartera('reminders', '--db', m.db, '--webhook', url);
    expect([noEnv.code, noEnv.err]).toEqual([2, expect.stringMatching(/--webhook needs --secret-env NAME/)]);
    const unset = await cartera('reminders', '--db', m.db, '--webhook', url, '--secret-env', 'NO_SUCH_VARIABLE_HERE');
    expect([unset.code, unset.err]).toEqual([1, expect.stringMatching(/NO_SUCH_VARIABLE_HERE is not set or empty/)]);
    const bad = await cartera('reminders', '--db', m.db, '--webhook', 'ftp://example.com/x', '--secret-env', 'REMINDERS_SECRET');
    expect([bad.code, bad.err]).toEqual([2, expect.stringMatching(/--webhook must be an http or https URL/)]);
  });
});

describe('the signature', () => {
  const body = '{"type":"cartera.reminders","count":0,"data":[]}';
  const t = 1_772_600_000;

  test('is Stripe-style: t=<unix>,v1=<hex HMAC-SHA256 over "<t>.<body>">', () => {
    const expected = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
    expect(signBody(body, SECRET, t)).toBe(`t=${t},v1=${expected}`);
  });

  test('fails for another secret, a changed body, or a time more than 5 minutes away', () => {
    const header = signBody(body, SECRET, t);
    expect(verifySignature(header, body, SECRET, 300, t + 10)).toBe(true);
    expect(verifySignature(header, body, 'another', 300, t + 10)).toBe(false);
    expect(verifySignature(header, body.replace('0', '1'), SECRET, 300, t + 10)).toBe(false);
    expect(verifySignature(header, body, SECRET, 300, t + 301)).toBe(false);
    expect(verifySignature('t=abc,v1=00', body, SECRET, 300, t)).toBe(false);
  });
});

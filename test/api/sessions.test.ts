/**
 * People sign in; keys are for machines. Sign-in with a user name and password makes a
 * server-side session whose random id is all the cookie holds; sessions end when idle, at their
 * absolute limit, on sign-out and when the user is disabled; failed sign-ins and bad keys are
 * limited per address and per account. The clock is the test's own, so nothing sleeps.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disableUser } from '../../src/api/users.ts';
import { createUsers, type Credentials, type RoleUsers } from '../support/users.ts';
import { apiFixture } from './fixture.ts';

const MIN = 60_000;
let t = Date.parse('2026-11-02T09:00:00Z');
const advance = (ms: number) => (t += ms);

let f: Awaited<ReturnType<typeof apiFixture>>;
let users: RoleUsers;
beforeAll(async () => {
  // Behind a trusted proxy, so each test signs in from an address of its own (X-Forwarded-For).
  f = await apiFixture({ now: () => t, trustProxy: true });
  users = await createUsers(f.wh, f.ids.own);
});
afterAll(() => f?.close());

let addresses = 0;
/** An address no other test uses. */
const newAddress = () => `203.0.113.${++addresses}`;

function signIn(c: Credentials | Record<string, unknown>, from = newAddress(), url = 'http://localhost/api/login', headers: Record<string, string> = {}) {
  return f.app.request(url, {
    method: 'POST',
    body: JSON.stringify(c),
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': from, ...headers },
  });
}

/** The `name=value` part of a response's cookie. */
const cookieOf = (r: Response) => (r.headers.get('set-cookie') ?? '').split(';')[0];
const withCookie = (path: string, cookie: string, init: RequestInit = {}) =>
  f.app.request(path, { ...init, headers: { Cookie: cookie, 'X-Forwarded-For': newAddress(), ...(init.headers as Record<string, string>) } });
const sessionRows = () => f.sql<{ session_hash: string; user_id: string }>(`select session_hash, user_id from sessions`);

describe('sign-in makes a server-side session', () => {
  test('the cookie is HttpOnly, SameSite=Strict, Path=/, holds a random id (stored hashed) and never a key or a password', async () => {
    const r = await signIn(users.cfo);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ name: 'u-cfo', role: 'cfo', collector: null });
    const set = r.headers.get('set-cookie')!;
    expect(set).toMatch(/^cartera_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    const id = cookieOf(r).slice('cartera_session='.length);
    for (const key of Object.values(f.keys)) expect(set).not.toContain(key);
    expect(set).not.toContain(users.cfo.password);
    const rows = await f.sql<{ session_hash: string }>(`select session_hash from sessions`);
    expect(rows.map((x) => x.session_hash)).toContain(createHash('sha256').update(id).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(id);
    expect((await withCookie('/api/kpis', cookieOf(r))).status).toBe(200);
    // The role is the user's: a cfo's session may not read the call list.
    expect((await withCookie('/api/call-list', cookieOf(r))).status).toBe(403);
  });

  test('Secure under HTTPS, and behind a trusted proxy that says the request came over HTTPS', async () => {
    expect((await signIn(users.cfo, newAddress(), 'https://cartera.example/api/login')).headers.get('set-cookie')).toMatch(/; Secure/);
    expect((await signIn(users.cfo, newAddress(), undefined, { 'X-Forwarded-Proto': 'https' })).headers.get('set-cookie')).toMatch(/; Secure/);
    expect((await signIn(users.cfo)).headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  test('a collector user sees only their portfolio, as a collector key does', async () => {
    const r = await signIn(users.own);
    expect(await r.json()).toEqual({ name: 'u-own', role: 'collections', collector: f.ids.own });
    const calls = await (await withCookie('/api/call-list?limit=5000', cookieOf(r))).json();
    expect(new Set(calls.data.map((x: { collector: string }) => x.collector))).toEqual(new Set([f.ids.own]));
    expect((await withCookie(`/api/customers/${f.ids.otherCustomer}`, cookieOf(r))).status).toBe(404);
  });

  test('a wrong password, an unknown user and a key all answer alike, and set no cookie', async () => {
    const wrong = await signIn({ user: users.cfo.user, password: 'not-the-password' });
    const nobody = await signIn({ user: 'nobody-here', password: 'whatever-it-is' });
    for (const r of [wrong, nobody]) {
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.headers.get('set-cookie')).toBeNull();
    }
    expect((await wrong.json()).detail).toBe((await nobody.json()).detail);
    const key = await signIn({ key: f.keys.cfo });
    expect(key.status).toBe(400);
    expect(key.headers.get('set-cookie')).toBeNull();
  });

  test('keys are for scripts: Bearer works, a key in a cookie (the old cartera_key) does not', async () => {
    expect((await f.get('/api/kpis', f.keys.cfo)).status).toBe(200);
    for (const cookie of [`cartera_key=${f.keys.cfo}`, `cartera_session=${f.keys.cfo}`]) {
      const r = await withCookie('/api/kpis', cookie);
      expect(r.status).toBe(401);
    }
  });

  test('signing in again from the same browser ends its previous session', async () => {
    const first = cookieOf(await signIn(users.cfo));
    const second = await signIn(users.cfo, newAddress(), undefined, { Cookie: first });
    expect(second.status).toBe(200);
    expect((await withCookie('/api/kpis', first)).status).toBe(401);
    expect((await withCookie('/api/kpis', cookieOf(second))).status).toBe(200);
  });

  test('a stale session cookie does not lock a browser out: health and sign-in still answer', async () => {
    const stale = 'cartera_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect((await withCookie('/api/health', stale)).status).toBe(200);
    const denied = await withCookie('/api/kpis', stale);
    expect(denied.status).toBe(401);
    expect((await denied.json()).detail).toMatch(/session has ended/);
    expect((await signIn(users.cfo, newAddress(), undefined, { Cookie: stale })).status).toBe(200);
  });
});

describe('sessions end', () => {
  test('after 30 minutes idle; activity keeps one alive', async () => {
    const cookie = cookieOf(await signIn(users.analyst));
    for (let i = 0; i < 4; i++) {
      advance(29 * MIN);
      expect((await withCookie('/api/kpis', cookie)).status).toBe(200);
    }
    advance(30 * MIN + 1);
    const r = await withCookie('/api/kpis', cookie);
    expect(r.status).toBe(401);
    // Ended for good, not only refused once.
    advance(-31 * MIN);
    expect((await withCookie('/api/kpis', cookie)).status).toBe(401);
    advance(31 * MIN);
  });

  test('12 hours after sign-in however active', async () => {
    const cookie = cookieOf(await signIn(users.analyst));
    for (let h = 0; h < 12 * 3; h++) {
      advance(20 * MIN - 1);
      expect((await withCookie('/api/kpis', cookie)).status, `after ${h * 20} min`).toBe(200);
    }
    advance(36);
    expect((await withCookie('/api/kpis', cookie)).status).toBe(401);
  });

  test('on sign-out, on the server: the same cookie sent again is refused', async () => {
    const cookie = cookieOf(await signIn(users.admin));
    const before = (await sessionRows()).length;
    const out = await withCookie('/api/logout', cookie, { method: 'POST' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^cartera_session=;.*Max-Age=0/);
    expect((await sessionRows()).length).toBe(before - 1);
    expect((await withCookie('/api/kpis', cookie)).status).toBe(401);
  });

  test("at once when the user is disabled, and they cannot sign in again", async () => {
    const cred = { user: 'u-temp', password: 'temp-Contraseña-1' };
    const { addUser } = await import('../../src/api/users.ts');
    await addUser(f.wh, { name: cred.user, role: 'cfo', collector: null, password: cred.password });
    const a = cookieOf(await signIn(cred));
    const b = cookieOf(await signIn(cred));
    expect((await withCookie('/api/kpis', a)).status).toBe(200);
    // What the in-server CLI does: change the warehouse, then the server re-reads who may sign in.
    expect(await disableUser(f.wh, cred.user)).toEqual({ sessionsEnded: 2 });
    await f.api.credentialsChanged();
    expect((await withCookie('/api/kpis', a)).status).toBe(401);
    expect((await withCookie('/api/kpis', b)).status).toBe(401);
    expect((await signIn(cred)).status).toBe(401);
  });
});

describe('rate limits and lock-out', () => {
  const retryAfter = (r: Response) => Number(r.headers.get('retry-after'));

  test('5 failed sign-ins lock the account for 15 minutes, even from other addresses and with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn({ user: users.collections.user, password: `guess-${i}` })).status).toBe(401);
    const locked = await signIn(users.collections);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('content-type')).toContain('application/problem+json');
    expect(retryAfter(locked)).toBe(15 * 60);
    const body = await locked.json();
    expect(body).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(body.detail).toMatch(/900 s/);
    advance(10 * MIN);
    expect(retryAfter(await signIn(users.collections))).toBe(5 * 60);
    advance(5 * MIN);
    expect((await signIn(users.collections)).status).toBe(200);
  });

  test('an account that does not exist locks the same way (which names exist stays unknown)', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn({ user: 'no-such-user', password: `guess-${i}` })).status).toBe(401);
    expect((await signIn({ user: 'no-such-user', password: 'guess-5' })).status).toBe(429);
    advance(15 * MIN);
  });

  test('sign-ins running at once for one account cannot slip past the limit', async () => {
    const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn({ user: users.admin.user, password: `parallel-${i}` })));
    const statuses = rs.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    advance(15 * MIN);
  });

  test('20 failures a minute from one address lock that address, whatever the accounts', async () => {
    const from = newAddress();
    for (let i = 0; i < 20; i++) expect((await signIn({ user: `spray-${i}`, password: 'Password1!' }, from)).status).toBe(401);
    const r = await signIn(users.cfo, from);
    expect(r.status).toBe(429);
    expect(retryAfter(r)).toBeGreaterThan(0);
    expect(retryAfter(r)).toBeLessThanOrEqual(60);
    // Another address is not affected; this one is free again after a minute.
    expect((await signIn(users.cfo)).status).toBe(200);
    advance(MIN);
    expect((await signIn(users.cfo, from)).status).toBe(200);
  });

  test('bad keys are limited per address too: after 20, even a good key from there waits', async () => {
    const from = newAddress();
    const bearer = (key: string, addr = from) => f.app.request('/api/kpis', { headers: { Authorization: `Bearer ${key}`, 'X-Forwarded-For': addr } });
    for (let i = 0; i < 20; i++) expect((await bearer(`ck_guess-${i}-000000000000000000000000`)).status).toBe(401);
    const r = await bearer(f.keys.cfo);
    expect(r.status).toBe(429);
    expect(retryAfter(r)).toBeLessThanOrEqual(60);
    expect((await bearer(f.keys.cfo, newAddress())).status).toBe(200);
    advance(MIN);
    expect((await bearer(f.keys.cfo)).status).toBe(200);
  });
});

/**
 * `cartera user` end to end, as real processes: on a warehouse no server holds, then beside a
 * running `cartera serve --secure-cookies`, where each command runs inside the server and a
 * disabled user, a changed password or a revoked key takes effect at once. Sessions outlive a
 * restart of the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWarehouse } from '../../src/db/warehouse.ts';
import { collectorIds } from '../support/keys.ts';
import { demoWarehouse } from '../support/demo-warehouse.ts';

const ROOT = join(import.meta.dirname, '../..');

let db: string;
let collector: string;
let server: ChildProcess | undefined;
let url: string;

/** Runs a CLI command on the test warehouse, `input` piped to its stdin; never rejects. */
function cartera(args: string[], input = ''): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, '--db', db], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? 1, out, err }));
    child.stdin.end(input);
  });
}

async function startServe(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--db', db, '--port', '0', '--secure-cookies', '--quiet'], { cwd: ROOT });
  server = child;
  url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error(`serve exited: ${err}`)));
  });
}

async function stopServe(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

const signIn = (user: string, password: string) =>
  fetch(`${url}/api/login`, { method: 'POST', body: JSON.stringify({ user, password }), headers: { 'Content-Type': 'application/json' } });
const cookieOf = (r: Response) => (r.headers.get('set-cookie') ?? '').split(';')[0];
const withCookie = (path: string, cookie: string) => fetch(`${url}${path}`, { headers: { Cookie: cookie } });

beforeAll(async () => {
  db = await demoWarehouse();
  collector = await withWarehouse(db, async (wh) => (await collectorIds(wh)).own);
}, 120_000);
afterAll(async () => {
  await stopServe();
  rmSync(dirname(db), { recursive: true, force: true });
});

describe('cartera user', () => {
  it('adds, lists, refuses bad input and never prints a secret, on a warehouse no server holds', async () => {
    expect((await cartera(['user', '--help'])).code).toBe(0);
    const added = await cartera(['user', 'add', 'Ana', '--role', 'collections', '--collector', collector], 'ana-Contraseña-1\n');
    expect(added.code, added.err).toBe(0);
    expect(added.out + added.err).not.toContain('ana-Contraseña-1');
    expect(added.err).toContain("user 'ana'");
    const stored = await withWarehouse(db, (wh) => wh.all<{ password_hash: string }>(`select password_hash from users where name = 'ana'`));
    expect(stored[0].password_hash).toMatch(/^scrypt\$/);
    expect(stored[0].password_hash).not.toContain('ana-Contraseña-1');

    const list = await cartera(['user', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/ana\s+collections\s+/);
    expect(list.out).toContain(collector);
    expect(list.out).not.toContain('scrypt');

    expect((await cartera(['user', 'add', 'ana', '--role', 'cfo'], 'another-Password-2\n')).code).toBe(1);
    expect((await cartera(['user', 'add', 'boss', '--role', 'boss'], 'another-Password-2\n')).code).toBe(2);
    const short = await cartera(['user', 'add', 'shorty', '--role', 'cfo'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.err).toMatch(/at least 10 characters/);
    expect((await cartera(['user', 'add', 'empty', '--role', 'cfo', '--password-stdin'])).code).toBe(1);
    expect((await cartera(['user', 'add', 'bad name!', '--role', 'cfo'], 'another-Password-2\n')).code).toBe(1);
  }, 120_000);

  it('beside a running server: each command takes effect at once, and sessions outlive a restart', async () => {
    await startServe();
    const ana = await signIn('ana', 'ana-Contraseña-1');
    expect(ana.status).toBe(200);
    // Started with --secure-cookies: Secure even over plain HTTP.
    expect(ana.headers.get('set-cookie')).toMatch(/; HttpOnly; Secure; SameSite=Strict/);
    expect((await withCookie('/api/call-list', cookieOf(ana))).status).toBe(200);

    // Added through the server; the password travels from this process's stdin, never argv.
    const added = await cartera(['user', 'add', 'bob', '--role', 'cfo'], 'bob-Contraseña-1\n');
    expect(added.code, added.err).toBe(0);
    const bob = await signIn('bob', 'bob-Contraseña-1');
    expect(bob.status).toBe(200);
    const bobCookie = cookieOf(bob);

    const passwd = await cartera(['user', 'passwd', 'bob'], 'bob-Contraseña-2\n');
    expect(passwd.code, passwd.err).toBe(0);
    expect(passwd.err).toMatch(/1 session ended/);
    expect((await withCookie('/api/kpis', bobCookie)).status).toBe(401);
    expect((await signIn('bob', 'bob-Contraseña-1')).status).toBe(401);
    const bob2 = await signIn('bob', 'bob-Contraseña-2');
    expect(bob2.status).toBe(200);

    const disabled = await cartera(['user', 'disable', 'ana']);
    expect(disabled.code, disabled.err).toBe(0);
    expect((await withCookie('/api/call-list', cookieOf(ana))).status).toBe(401);
    expect((await signIn('ana', 'ana-Contraseña-1')).status).toBe(401);
    expect((await cartera(['user', 'list'])).out).toMatch(/ana\s+collections.*\d{4}-\d\d-\d\d/);

    const created = await cartera(['token', 'create', '--role', 'cfo', '--name', 'script']);
    const key = created.out.trim().split('\n').at(-1)!;
    const bearer = () => fetch(`${url}/api/kpis`, { headers: { Authorization: `Bearer ${key}` } });
    expect((await bearer()).status).toBe(200);
    const id = /^(tk_\w+)\s+script/m.exec((await cartera(['token', 'list'])).out)![1];
    expect((await cartera(['token', 'revoke', id])).code).toBe(0);
    expect((await bearer()).status).toBe(401);

    // A restart keeps bob signed in: sessions live in the warehouse.
    await stopServe();
    await startServe();
    expect((await withCookie('/api/kpis', cookieOf(bob2))).status).toBe(200);
    expect((await withCookie('/api/call-list', cookieOf(ana))).status).toBe(401);
  }, 240_000);
});

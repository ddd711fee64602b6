/**
 * A restart of the demo keeps a signed-in browser signed in: `npm start`'s command (the package bin,
 * `cartera demo`) started, a browser signed in, the demo stopped and started again on the same
 * warehouse, and the same browser, reloading its page, is still in (same users, same passwords,
 * its session kept in the warehouse).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateExports } from '../../src/generate/generate.ts';
import { DEMO } from '../support/demo-warehouse.ts';

const ROOT = join(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let dir: string;
let browser: Browser;
let demo: ChildProcess | undefined;

/** A port free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

interface Started {
  url: string;
  logins: Map<string, string>;
  /** What it printed by the time it served. */
  out: string;
  /** What it has printed so far. */
  output: () => string;
}

/** Starts the demo as `npm start` does and waits until it serves; resolves with its URL and the users it printed. */
function startDemo(db: string, exportsDir: string, port: number): Promise<Started> {
  const child = spawn(process.execPath, [join(ROOT, 'src/bin/cartera.mjs'), 'demo', '--db', db, '--exports', exportsDir, '--port', String(port)], { cwd: dir });
  demo = child;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const at = /Cartera is serving .* at (http:\/\/\S+)\n/.exec(out);
      if (at && /Scripts use API keys/.test(out)) {
        const block = out.slice(out.indexOf('Sign in at'), out.indexOf('Scripts use API keys'));
        const logins = new Map([...block.matchAll(/^ {4}\S+\s+(\S+)\s+(\S+)/gm)].map((m) => [m[1], m[2]]));
        resolve({ url: at[1], logins, out, output: () => out });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`demo exited ${code}: ${out}\n${err}`)));
  });
}

/** Stops the running demo as Ctrl+C would, and waits for it to end. */
async function stopDemo(): Promise<void> {
  const child = demo;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
  demo = undefined;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cartera-demo-restart-'));
  await generateExports({ ...DEMO, out: join(dir, 'exports'), dialect: 'all' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
});
afterAll(async () => {
  await stopDemo();
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo, restarted', () => {
  test('keeps a signed-in browser signed in', async () => {
    const db = join(dir, 'warehouse.duckdb');
    const port = await freePort();
    const first = await startDemo(db, join(dir, 'exports'), port);
    // Each step said as it started and with its time, even into a pipe.
    for (const step of ['ingest', 'build', 'score', 'publish']) expect(first.out).toMatch(new RegExp(`^${step}: .*\\.\\.\\.\\n(.*\\n)*?${step}: done in \\d+\\.\\d s`, 'm'));
    const password = first.logins.get('demo-cfo')!;
    expect(password).toBeTruthy();

    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${first.url}/login`);
    await page.fill('#user', 'demo-cfo');
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/dashboards\/cfo/);
    await page.waitForSelector('#panels[data-state=ready]', { timeout: 60_000 });
    const cookie = (await context.cookies()).find((c) => c.name === 'cartera_session')!.value;
    // The backtest for the validation notebook ran behind the serving (on a worker thread) and ends on its own.
    // Read now, not at start: the line follows the sign-in block, which may be all there was when the server answered.
    expect(first.output()).toMatch(/^backtest: .* runs in the background/m);
    await expect.poll(() => first.output(), { timeout: 300_000, interval: 500 }).toMatch(/^backtest: done in \d+\.\d s: trained until \d{4}-\d{2}-\d{2}, [\d,]+ later invoices, AUC 0\.\d+/m);

    await stopDemo();
    const second = await startDemo(db, join(dir, 'exports'), port);
    expect(second.out).toMatch(/nothing new: publication \d+ still served/);
    expect(second.logins.get('demo-cfo')).toBe(password);

    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/dashboards/cfo');
    await page.waitForSelector('#panels[data-state=ready]', { timeout: 60_000 });
    expect((await context.cookies()).find((c) => c.name === 'cartera_session')!.value).toBe(cookie);
    expect((await fetch(`${second.url}/api/kpis`, { headers: { Cookie: `cartera_session=${cookie}` } })).status).toBe(200);
    await context.close();
  }, 600_000);
});

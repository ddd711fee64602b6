/** What every browser test shares: Debian's Chromium, launched headless the same way, and where screenshots go. */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/web/server.ts';
import { demoWarehouse, type DemoWarehouse } from '../dashboards/demo-warehouse.ts';
import type { Credentials } from '../support/users.ts';

/** Screenshots and other artefacts of the browser tests (kept by CI). */
export const SHOTS = resolve(import.meta.dirname, '../../test-results');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium headless, without the background traffic a test run must not make (no network here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // Not the temp folder of a server started in this process (its upload folder's scratch): a socket path there can
    // pass the 108 bytes a Unix socket's name may have, and Chromium stops at its start.
    ...(process.env.CARTERA_TEST_TMP ? { env: { ...process.env, TMPDIR: process.env.CARTERA_TEST_TMP } } : {}),
  });
}

/** A real server on a private copy of the demo warehouse, and Chromium to open it. */
export interface DemoSite {
  demo: DemoWarehouse;
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function openDemoSite(): Promise<DemoSite> {
  mkdirSync(SHOTS, { recursive: true });
  const demo = await demoWarehouse();
  const server = await startServer({ dbPath: demo.dbPath, port: 0, hostname: '127.0.0.1', log: false });
  const browser = await launchChromium();
  return {
    demo,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      demo.remove();
    },
  };
}

/** A browser profile signed in through the sign-in page, and what its pages complained about. */
export interface Session {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, console errors and any request that tried to leave the server. */
  errors: string[];
  /** From the sign-in click to the home dashboard fully drawn, on a cold browser cache. */
  landedMs: number;
}

export interface SignInOptions {
  viewport?: { width: number; height: number };
  /** Console errors a test provokes on purpose (a request answered 4xx), not counted as errors. */
  expectedConsole?: RegExp;
  /** The browser's time zone (IANA name); default the machine's. */
  timezoneId?: string;
}

/** A fresh profile in `locale` (the browser's language), signed in as `who`; nothing may leave the server. */
export async function signInAt(site: DemoSite, who: Credentials, locale: string, opts: SignInOptions = {}): Promise<Session> {
  const url = site.server.url;
  const context = await site.browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 }, locale, timezoneId: opts.timezoneId, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !opts.expectedConsole?.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  // No CDN, no fonts, no telemetry.
  await context.route((u) => !u.href.startsWith(url), (route) => {
    errors.push(`network: ${route.request().url()}`);
    return route.abort();
  });
  await page.goto(`${url}/login`);
  await page.fill('#user', who.user);
  await page.fill('#password', who.password);
  const t0 = Date.now();
  await page.click('button[type=submit]');
  await page.waitForURL(/\/dashboards\//);
  await page.waitForSelector('#panels[data-state=ready]', { timeout: 30_000 });
  return { context, page, errors, landedMs: Date.now() - t0 };
}

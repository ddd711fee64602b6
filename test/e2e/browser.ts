/** What every browser test shares: Debian's Chromium, launched headless the same way, and where screenshots go. */
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Screenshots and other artefacts of the browser tests (kept by CI). */
export const SHOTS = resolve(import.meta.dirname, '../../test-results');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium headless, without the background traffic a test run must not make (no network here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

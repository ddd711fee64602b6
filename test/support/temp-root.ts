import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gives the run one temporary folder and points TMPDIR at it, so every folder a test, a CLI it
 * spawns or the browser makes under `os.tmpdir()` lands inside; removes it when the run ends.
 * Tests need not clean up after themselves, and a failed or killed test leaves nothing behind
 * in the machine's /tmp (runs had left gigabytes of warehouses there).
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'cartera-test-'));
  // Workers are forked after global setup, so they inherit it: os.tmpdir() reads TMPDIR on each call.
  process.env.TMPDIR = root;
  // A server a test starts in its own process moves TMPDIR into its upload folder: the browser keeps this one (test/e2e/browser.ts).
  process.env.CARTERA_TEST_TMP = root;
  return () => rmSync(root, { recursive: true, force: true });
}

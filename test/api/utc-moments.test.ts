/**
 * Every moment the warehouse keeps is UTC, whatever the machine's time zone: the publications and
 * refreshes are (from JavaScript's clock), and so is what DuckDB's own clock dates (`UTC_NOW`):
 * users and keys, here; the SQL audit and the idempotency keys use the same expression. On a server
 * in Mexico City DuckDB's clock read local time, which stored beside the UTC ones put a key's
 * creation six hours before the refresh it followed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';

const ROOT = join(import.meta.dirname, '../..');
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cartera-utc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI as a server in Mexico City would (TZ=America/Mexico_City: UTC-6, no daylight saving); resolves to its stdout. */
function cartera(args: string[], stdin?: string) {
  return new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, TZ: 'America/Mexico_City' } }, (err, out) => (err ? reject(err) : resolve(out)));
    child.stdin!.end(stdin ?? '');
  });
}

describe('moments in the warehouse', () => {
  it('are UTC when DuckDB dates them on a machine in another time zone', async () => {
    const db = join(dir, 'w.duckdb');
    (await Warehouse.open(db)).close();
    const before = Date.now();
    await cartera(['user', 'add', 'ana', '--role', 'cfo', '--db', db], 'a long enough password 123\n');
    await cartera(['token', 'create', '--role', 'analyst', '--name', 'script', '--db', db]);
    await cartera(['user', 'disable', 'ana', '--db', db]);
    const after = Date.now();
    const wh = await Warehouse.open(db, { readOnly: true });
    try {
      const rows = await wh.all<{ what: string; ms: number }>(
        `select 'user created' as what, epoch_ms(created) as ms from users
         union all select 'user disabled', epoch_ms(disabled_at) from users
         union all select 'key created', epoch_ms(created) from api_tokens`,
      );
      const off = rows.filter((r) => Number(r.ms) < before - 1000 || Number(r.ms) > after + 1000).map((r) => `${r.what}: ${new Date(Number(r.ms)).toISOString()}`);
      expect(rows).toHaveLength(3);
      expect(off).toEqual([]);
    } finally {
      wh.close();
    }
    // The lists say which clock they read.
    expect((await cartera(['user', 'list', '--db', db])).split('\n')[0]).toMatch(/created \(UTC\) +password_changed \(UTC\) +disabled_at \(UTC\)/);
    expect((await cartera(['token', 'list', '--db', db])).split('\n')[0]).toMatch(/created \(UTC\) +revoked_at \(UTC\)/);
  }, 60_000);
});

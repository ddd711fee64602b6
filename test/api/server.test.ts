import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Warehouse, withWarehouse } from '../../src/db/warehouse.ts';
import { startServer } from '../../src/web/server.ts';
import type { AccessEntry } from '../../src/api/access-log.ts';
import { runCommand, UserError, type Command } from '../../src/cli/command.ts';
import { tokenCommand } from '../../src/commands/token.ts';
import { demoWarehouse } from '../support/demo-warehouse.ts';
import { collectorIds, createKeys, type RoleKeys } from '../support/keys.ts';

let dir: string;
let dbPath: string;
let keys: RoleKeys;
/** The publication and its latest DSO, read with plain SQL before serving. */
let expected: { build: string; dso: string };
beforeAll(async () => {
  dbPath = await demoWarehouse();
  dir = dirname(dbPath);
  ({ keys, expected } = await withWarehouse(dbPath, async (wh) => ({
    keys: await createKeys(wh, (await collectorIds(wh)).own),
    expected: (await wh.one<{ build: string; dso: string }>(
      `select (select max(build_id)::varchar from builds) as build,
              (select dso_standard::varchar from kpi_monthly where month <= (select as_of from build_options) order by month desc limit 1) as dso`,
    ))!,
  })));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command in this process (a child process per call would cost seconds of start-up), capturing its output. */
async function cli(cmd: Command, args: string[]): Promise<{ status: number; stdout: string }> {
  let stdout = '';
  const write = process.stdout.write;
  const writeErr = process.stderr.write;
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof write;
  process.stderr.write = (() => true) as typeof writeErr;
  try {
    return { status: await runCommand(cmd, args), stdout };
  } catch (err) {
    return { status: err instanceof UserError ? err.exitCode : 99, stdout };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

describe('a real server', () => {
  test('serves over HTTP on a free port, logs each request as JSON, and closes cleanly', async () => {
    const log: AccessEntry[] = [];
    const s = await startServer({ dbPath, port: 0, hostname: '127.0.0.1', log: (e) => log.push(e) });
    try {
      const health = await fetch(`${s.url}/api/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', build_id: expected.build });
      const kpis = await fetch(`${s.url}/api/kpis`, { headers: { Authorization: `Bearer ${keys.cfo}` } });
      expect(kpis.status).toBe(200);
      expect((await kpis.json()).metrics.dso_standard.value).toBe(expected.dso);
      const denied = await fetch(`${s.url}/api/sql`, { method: 'POST', body: '{"sql":"select 1"}', headers: { Authorization: `Bearer ${keys.cfo}`, 'Content-Type': 'application/json' } });
      expect(denied.status).toBe(403);
      const concurrent = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(`${s.url}/api/aging?group_by=${i % 2 ? 'customer' : 'segment'}&buckets=${30 + i}`, { headers: { Authorization: `Bearer ${keys.admin}` } }).then((r) => r.status),
        ),
      );
      expect(concurrent).toEqual(Array(20).fill(200));
    } finally {
      await s.close();
    }
    expect(log.slice(0, 3)).toMatchObject([
      { method: 'GET', path: '/api/health', status: 200, principal: null },
      { method: 'GET', path: '/api/kpis', status: 200, principal: 'cfo', role: 'cfo' },
      { method: 'POST', path: '/api/sql', status: 403, role: 'cfo' },
    ]);
    expect(log[0].duration_ms).toBeGreaterThanOrEqual(0);
    // Closed means the file is free for the next process.
    const wh = await Warehouse.open(dbPath);
    wh.close();
  });
});

describe('the CLI', () => {
  test('token create prints the key alone on its last line; list shows it; revoke stops it', async () => {
    const created = await cli(tokenCommand, ['create', '--db', dbPath, '--role', 'collections', '--name', 'Luis', '--collector', 'luis']);
    expect(created.status).toBe(0);
    const key = created.stdout.trim().split('\n').pop()!;
    expect(key).toMatch(/^ck_[A-Za-z0-9_-]{32}$/);
    const stored = await withWarehouse(dbPath, (wh) => wh.all<{ token_id: string; key_hash: string; collector: string }>(`select token_id, key_hash, collector from api_tokens where name = 'Luis'`));
    expect(stored).toHaveLength(1);
    expect(stored[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0].key_hash).not.toContain(key);
    expect(stored[0].collector).toBe('luis');
    const list = await cli(tokenCommand, ['list', '--db', dbPath]);
    expect(list.stdout).toContain(stored[0].token_id);
    expect(list.stdout).not.toContain(key);
    expect((await cli(tokenCommand, ['revoke', stored[0].token_id, '--db', dbPath])).status).toBe(0);
    expect((await cli(tokenCommand, ['revoke', stored[0].token_id, '--db', dbPath])).status).toBe(1);
    expect((await cli(tokenCommand, ['create', '--db', dbPath, '--role', 'boss', '--name', 'x'])).status).toBe(2);
    const s = await startServer({ dbPath, port: 0, hostname: '127.0.0.1', log: false });
    try {
      const r = await fetch(`${s.url}/api/call-list`, { headers: { Authorization: `Bearer ${key}` } });
      expect(r.status).toBe(401);
    } finally {
      await s.close();
    }
  });

  test('cartera serve answers, and on SIGTERM finishes and frees the warehouse', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--db', dbPath, '--port', '0', '--host', '127.0.0.1'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    const r = await fetch(`http://127.0.0.1:${port}/api/kpis`, { headers: { Authorization: `Bearer ${keys.admin}` } });
    expect(r.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim().split('\n')[0])).toMatchObject({ method: 'GET', path: '/api/kpis', status: 200, principal: 'admin' });
    const wh = await Warehouse.open(dbPath);
    wh.close();
  });
});

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWarehouse } from '../support/demo-warehouse.ts';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

let db: string;
let server: ChildProcess;
let url: string;

/** Runs a CLI command on the served warehouse; never rejects, so failures show their output. */
async function cartera(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await exec(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, '--db', db], { cwd: ROOT, maxBuffer: 64 << 20 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

beforeAll(async () => {
  db = await demoWarehouse();
  server = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1', '--quiet'], { cwd: ROOT });
  url = await new Promise<string>((resolve, reject) => {
    let err = '';
    server.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    server.once('exit', () => reject(new Error(`serve exited: ${err}`)));
  });
}, 120_000);
afterAll(() => {
  server?.kill('SIGTERM');
});

describe('every command beside a running server', () => {
  it('reads, loads, builds, scores, refreshes and manages keys through the server, never a lock error', async () => {
    const q = await cartera('query', '--format', 'json', 'select max(build_id)::int as b from builds');
    expect(q.code, q.err).toBe(0);
    const first = JSON.parse(q.out)[0].b as number;

    const created = await cartera('token', 'create', '--role', 'cfo', '--name', 'beside');
    expect(created.code, created.err).toBe(0);
    const key = created.out.trim().split('\n').at(-1)!;
    expect((await fetch(`${url}/api/kpis`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
    const list = await cartera('token', 'list');
    expect(list.out).toMatch(/beside/);
    const id = /^(\S+)\s+beside/m.exec(list.out)![1];
    expect((await cartera('token', 'revoke', id)).code).toBe(0);
    // The revocation reaches the running server at once.
    expect((await fetch(`${url}/api/kpis`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);

    // A relative path, from this shell's folder.
    writeFileSync(join(dirname(db), 'nuevas.csv'), 'invoice_id,customer_id,invoice_date,due_date,amount,currency\nB-1,C00001,2026-10-30,2026-11-29,99.00,MXN\n');
    const ingest = await exec(process.execPath, ['--import', join(ROOT, 'node_modules/tsx/dist/esm/index.mjs'), join(ROOT, 'src/cli.ts'), 'ingest', 'nuevas.csv', '--db', db, '--json'], { cwd: dirname(db) })
      .then((r) => ({ code: 0, out: r.stdout, err: r.stderr }));
    expect(JSON.parse(ingest.out.trim().split('\n')[0])).toMatchObject({ entity: 'invoices', rows: 1, rejected: 0 });

    for (const args of [['build', '--as-of', '2026-09-30'], ['score'], ['refresh', '--as-of', 'latest'], ['call-list', '--date', 'all', '--format', 'csv'], ['notebook', 'concentracion-de-cartera', '--out', join(dirname(db), 'n.html')]]) {
      const r = await cartera(...args);
      expect(r.code, `${args[0]}: ${r.err}`).toBe(0);
      expect(r.err).not.toMatch(/lock/i);
    }
    const after = JSON.parse((await cartera('query', '--format', 'json', 'select max(build_id)::int as b, (select max(as_of)::varchar from call_list) as d from builds')).out)[0];
    expect(after.b).toBe(first + 3);
    expect(after.d).toBe('2026-10-31');
    // The server serves what the CLI published.
    const health = await (await fetch(`${url}/api/health`)).json();
    expect(health).toMatchObject({ build_id: String(first + 3), as_of: '2026-10-31' });
  }, 240_000);

  it('refuses a second server, the demo and vacuum with where the running one is', async () => {
    for (const cmd of ['serve', 'demo', 'vacuum']) {
      const r = await cartera(cmd);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`a server is already running on ${db} at ${url}`);
    }
  }, 60_000);
});

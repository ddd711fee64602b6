/**
 * API benchmark: the real server on a built warehouse, driven by autocannon, beside a bare Hono
 * hello-world server measured in the same run (the ceiling of this machine and Node).
 *
 * - GET /api/kpis: throughput and p99 (served from the per-build cache after the first request).
 * - GET /api/aging?group_by=customer: uncached latency (each request with other buckets, so
 *   every one is computed), then throughput when repeated.
 *
 * Run alone: node --import tsx test/bench/api.ts DB_PATH [seconds] [connections]
 * (no DB_PATH: builds a warehouse of 200,000 invoices with the build benchmark first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withWarehouse } from '../../src/db/warehouse.ts';
import { ensureApiSchema } from '../../src/api/schema.ts';
import { createToken } from '../../src/api/tokens.ts';

export interface BenchApiOptions {
  /** A built warehouse file. It must not be open elsewhere; a bench key is added and revoked. */
  db: string;
  /** Seconds per autocannon run (default 10). */
  duration?: number;
  connections?: number;
  log?: (line: string) => void;
}

export interface Load {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export interface BenchApiResult {
  loads: Load[];
  /** Uncached GET /api/aging?group_by=customer, one request at a time. */
  agingColdMs: { median: number; max: number; runs: number };
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (o: { url: string; connections: number; duration: number; headers?: Record<string, string> }) => Promise<AutocannonResult>;

async function drive(name: string, url: string, o: { duration: number; connections: number; headers?: Record<string, string> }): Promise<Load> {
  // autocannon ships no types; its programmatic API is the documented one above.
  const autocannon = (await import('autocannon' as string)).default as Autocannon;
  const r = await autocannon({ url, connections: o.connections, duration: o.duration, headers: o.headers });
  return { name, requestsPerSecond: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Starts a child process and resolves with it and the port it announces on stdout or stderr. */
async function spawnListening(args: string[], announce: RegExp, stdout: 'pipe' | number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', stdout, 'pipe'] });
  let text = '';
  const port = await new Promise<number>((resolve, reject) => {
    const look = (d: Buffer) => {
      text += d;
      const m = announce.exec(text);
      if (m) resolve(Number(m[1]));
    };
    child.stderr!.on('data', look);
    child.stdout?.on('data', look);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${text}`)));
  });
  return { child, port };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
  });
}

const HELLO = `import { Hono } from 'hono'; import { serve } from '@hono/node-server';
serve({ fetch: new Hono().get('/', (c) => c.text('hello')).fetch, port: 0, hostname: '127.0.0.1' }, (i) => console.log('port ' + i.port));`;

/**
 * Runs the API benchmark on a built warehouse and prints a side-by-side table. The servers run
 * in processes of their own (the real \`cartera serve\`, access log on, written to a file), so
 * autocannon does not share their event loop.
 */
export async function benchApi(opts: BenchApiOptions): Promise<BenchApiResult> {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const duration = opts.duration ?? 10;
  const connections = opts.connections ?? 50;
  const { tokenId, key } = await withWarehouse(opts.db, async (wh) => {
    await ensureApiSchema(wh);
    return createToken(wh, { role: 'admin', name: 'bench' });
  });
  const scratch = mkdtempSync(join(tmpdir(), 'cartera-bench-api-'));
  const accessLog = openSync(join(scratch, 'access.log'), 'w');
  const api = await spawnListening(
    ['--import', 'tsx', 'src/cli.ts', 'serve', '--db', opts.db, '--port', '0', '--host', '127.0.0.1', '--uploads', join(scratch, 'uploads')],
    /on http:\/\/127\.0\.0\.1:(\d+)/,
    accessLog,
  );
  const url = `http://127.0.0.1:${api.port}`;
  const headers = { Authorization: `Bearer ${key}` };
  let hello: { child: ChildProcess; port: number } | undefined;
  try {
    hello = await spawnListening(['--input-type=module', '-e', HELLO], /port (\d+)/, 'pipe');
    const build = (await (await fetch(`${url}/api/health`)).json()) as { build_id: string | null };
    const cold: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const r = await fetch(`${url}/api/aging?group_by=customer&buckets=30,60,90,${121 + i}`, { headers });
      if (r.status !== 200) throw new Error(`aging answered ${r.status}: ${await r.text()}`);
      await r.arrayBuffer();
      cold.push(performance.now() - t0);
    }
    cold.sort((a, b) => a - b);
    const loads: Load[] = [];
    loads.push(await drive('hono hello-world', `http://127.0.0.1:${hello.port}/`, { duration, connections }));
    loads.push(await drive('GET /api/kpis', `${url}/api/kpis`, { duration, connections, headers }));
    loads.push(await drive('GET /api/aging?group_by=customer', `${url}/api/aging?group_by=customer`, { duration, connections, headers }));
    const agingColdMs = { median: Math.round(cold[Math.floor(cold.length / 2)]), max: Math.round(cold[cold.length - 1]), runs: cold.length };
    log(`API benchmark (${duration}s per run, ${connections} connections, build ${build.build_id ?? 'none'})`);
    log(`${'endpoint'.padEnd(36)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'non-2xx'.padStart(9)}`);
    for (const l of loads) {
      log(`${l.name.padEnd(36)}${String(l.requestsPerSecond).padStart(9)}${String(l.p50Ms).padStart(9)}${String(l.p99Ms).padStart(9)}${String(l.non2xx + l.errors).padStart(9)}`);
    }
    log(`GET /api/aging?group_by=customer uncached: median ${agingColdMs.median} ms, max ${agingColdMs.max} ms over ${agingColdMs.runs} requests`);
    await fetch(`${url}/api/admin/tokens/${tokenId}`, { method: 'DELETE', headers });
    return { loads, agingColdMs };
  } finally {
    if (hello) await stop(hello.child);
    await stop(api.child);
    closeSync(accessLog);
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [db, seconds, conns] = process.argv.slice(2);
  let dir: string | undefined;
  let path = db;
  if (!path) {
    const { benchBuild } = await import('./build.ts');
    dir = mkdtempSync(join(tmpdir(), 'cartera-bench-api-db-'));
    path = join(dir, 'w.duckdb');
    await benchBuild({ invoices: 200_000, db: path, log: () => {} });
  }
  try {
    await benchApi({ db: path, duration: seconds ? Number(seconds) : undefined, connections: conns ? Number(conns) : undefined });
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The package runs compiled JavaScript (dist/, which `npm install` and `npm ci` build through the
 * `prepare` script): it answers as the sources do, finds the SQL models, notebooks and page assets
 * from dist/ (whatever the current folder), and starts without loading what a command does not use.
 * Built here first when dist/ is older than src/ (as after editing the sources).
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const exec = promisify(execFile);

/** As the bin decides (src/bin/cartera.mjs): dist/ is fresh when built after every file of src/ last changed. */
function distIsFresh(): boolean {
  const stamp = join(ROOT, 'dist/.built');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return readdirSync(join(ROOT, 'src'), { withFileTypes: true, recursive: true }).every((e) => !e.isFile() || statSync(join(e.parentPath, e.name)).mtimeMs <= built);
}

let dir: string;
/** A resolve hook that writes every module URL the process loads through `import` to $MODULES_LOG. */
let hooks: string;

beforeAll(() => {
  if (!distIsFresh()) execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 600_000 });
  dir = mkdtempSync(join(tmpdir(), 'cartera-compiled-'));
  const hookFile = join(dir, 'hooks.mjs');
  writeFileSync(
    hookFile,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.MODULES_LOG, r.url + '\\n');
  return r;
}\n`,
  );
  hooks = join(dir, 'register.mjs');
  writeFileSync(hooks, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hookFile).href)});\n`);
}, 620_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the compiled CLI in a child process (from `cwd`); resolves with exit code, output and time, failures included. */
async function compiled(args: string[], opts: { cwd?: string; env?: Record<string, string>; node?: string[] } = {}) {
  const t0 = performance.now();
  try {
    const r = await exec(process.execPath, [...(opts.node ?? []), CLI, ...args], { cwd: opts.cwd ?? dir, env: { ...process.env, ...opts.env }, maxBuffer: 64 << 20 });
    return { code: 0, out: r.stdout, err: r.stderr, ms: performance.now() - t0 };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr, ms: performance.now() - t0 };
  }
}

/** The modules a command line loads through `import`. */
async function modulesLoaded(args: string[]): Promise<string[]> {
  const log = join(dir, `modules-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const r = await compiled(args, { env: { MODULES_LOG: log }, node: ['--import', hooks] });
  expect(r.code, r.err).toBe(0);
  return readFileSync(log, 'utf8').trim().split('\n');
}

describe('the compiled CLI', () => {
  test('--help and query answer, and load only what they use', async () => {
    const help = await compiled(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: cartera <command> \[options\]\n\nCommands:\n  generate/);
    const db = join(dir, 'one.duckdb');
    const csv = join(dir, 'facturas.csv');
    writeFileSync(csv, 'invoice_id,customer_id,invoice_date,due_date,amount,currency\nF-1,C1,2026-01-10,2026-02-09,100.00,MXN\n');
    expect((await compiled(['ingest', csv, '--db', db, '--json'])).code).toBe(0);
    const query = await compiled(['query', '--db', db, '--format', 'csv', 'select 1 as one']);
    expect(query).toMatchObject({ code: 0, out: 'one\n1\n', err: '' });
    process.stdout.write(`compiled CLI: --help ${help.ms.toFixed(0)} ms, query "select 1" ${query.ms.toFixed(0)} ms (child process, this machine now; npm run bench -- startup compares with node -e 0)\n`);

    // --help loads no command module and no DuckDB; query loads DuckDB but not Arrow, the server or the pipeline.
    const forHelp = await modulesLoaded(['--help']);
    expect(forHelp.filter((u) => /\/dist\/(commands|db\/duckdb)|@duckdb|node_modules/.test(u))).toEqual([]);
    const forQuery = await modulesLoaded(['query', '--db', db, 'select 1']);
    expect(forQuery.some((u) => u.endsWith('/dist/db/duckdb.js'))).toBe(true);
    expect(forQuery.filter((u) => /apache-arrow|hono|\/dist\/(api|web|pipeline\/refresh|ingest|risk)\//.test(u))).toEqual([]);
  });

  test('its errors: one line, the exit code, no stack trace, nothing created', async () => {
    const typo = join(dir, 'typo.duckdb');
    const missing = await compiled(['build', '--db', typo]);
    expect(missing).toMatchObject({ code: 1, out: '', err: `cartera: no warehouse at ${typo}: check --db, or load one: cartera ingest PATH\n` });
    expect(existsSync(typo)).toBe(false);
    const option = await compiled(['query', '--nope']);
    expect(option).toMatchObject({ code: 2, err: `cartera query: unknown option --nope\nUsage: cartera query "SQL" [options]\nRun 'cartera query --help' for its options.\n` });
  });

  test('finds the SQL models, the notebooks and the page assets from dist/, run from another folder', async () => {
    const db = join(dir, 'built.duckdb');
    writeFileSync(join(dir, 'f.csv'), 'invoice_id,customer_id,invoice_date,due_date,amount,currency\nF-1,C1,2026-01-10,2026-02-09,100.00,MXN\nF-2,C2,2026-02-10,2026-03-12,50.00,MXN\n');
    expect((await compiled(['ingest', 'f.csv', '--db', db, '--json'])).code).toBe(0);
    const build = await compiled(['build', '--db', db, '--no-score']);
    expect(build.code, build.err).toBe(0);
    expect(build.out).toMatch(/^build 1: as of 2026-02-10, MXN, .* - \d+ models in/m);
    const notebooks = await compiled(['notebook', '--db', db]);
    expect(notebooks.out).toContain('concentracion-de-cartera');

    const server = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--quiet'], { cwd: dir });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        server.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
          if (m) resolve(m[1]);
        });
        server.once('exit', () => reject(new Error(`serve exited: ${err}`)));
      });
      for (const asset of ['dashboard.js', 'dashboard.css', 'login.js', 'vega.js']) expect((await fetch(`${url}/assets/${asset}`)).status, asset).toBe(200);
      expect((await fetch(`${url}/login`)).status).toBe(200);
    } finally {
      server.kill('SIGTERM');
    }
  });

  test('the package bin runs dist/ when it is fresh', async () => {
    const log = join(dir, 'bin-modules.log');
    writeFileSync(log, '');
    const r = await exec(process.execPath, ['--import', hooks, join(ROOT, 'src/bin/cartera.mjs'), '--help'], { cwd: dir, env: { ...process.env, MODULES_LOG: log } });
    expect(r.stdout).toMatch(/^Usage: cartera/);
    expect(r.stderr).toBe('');
    const loaded = readFileSync(log, 'utf8');
    expect(loaded).toContain('/dist/cli.js');
    expect(loaded).not.toMatch(/tsx|\/src\/cli\.ts/);
  });
});

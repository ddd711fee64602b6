/**
 * Ingest benchmark: `cartera ingest` (a whole CLI process: start-up, hashing, detection,
 * validation, one transaction) on an N-invoice canonical CSV, beside DuckDB's own `read_csv` into a
 * table and PostgreSQL's COPY into a typed table (a server the bench starts, see postgres.ts) on
 * the same file, in the same run. Peak memory is each process's VmHWM, CPU time its user
 * and system time (every thread), both sampled from /proc every 50 ms. Two more loads of
 * the same rows follow: with three bad rows (rejects and their lines at scale), and without the
 * invoice_id column (ids made at scale).
 *
 * Run alone: node --import tsx test/bench/ingest.ts [invoices]
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { memoryLimit } from '../../src/db/warehouse.ts';
import { generateExports } from '../../src/generate/generate.ts';
import { ENTITIES, SQL_TYPE } from '../../src/canonical/entities.ts';
import { startPostgres } from './postgres.ts';
import { compiledCli } from './compiled.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface BenchIngestOptions {
  invoices: number;
  /** Folder for the generated export and the warehouses (kept between runs: generating is slow). */
  dir?: string;
  log?: (line: string) => void;
}

export interface ProcessRun {
  seconds: number;
  peakMiB: number;
  /** User and system CPU seconds of every thread, as last sampled (up to 50 ms before the end). */
  cpuSeconds: number;
  code: number | null;
  stdout: string;
}

/** Runs a process to the end, sampling its peak resident memory from /proc. */
export function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let peak = 0;
    let cpu = 0;
    const sample = () => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
        // Fields 14 and 15 of /proc/PID/stat, after the parenthesised command name: utime, stime in ticks (1/100 s).
        const [utime, stime] = readFileSync(`/proc/${child.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ').slice(11, 13).map(Number);
        cpu = Math.max(cpu, (utime + stime) / 100);
      } catch {
        /* the process has just exited */
      }
    };
    const timer = setInterval(sample, 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      done({ seconds: (performance.now() - t0) / 1000, peakMiB: peak, cpuSeconds: cpu, code, stdout });
    });
  });
}

/**
 * A copy of the export with three bad values, as real exports have: an amount and a date the reader
 * cannot type (loaded again as text, then rejected) and a missing customer (rejected by the checks).
 */
async function withRejects(csv: string, out: string, rows: number): Promise<number[]> {
  const bad = new Map<number, (f: string[]) => void>([
    [Math.floor(rows * 0.3) + 2, (f) => (f[4] = 'abc')],
    [Math.floor(rows * 0.5) + 2, (f) => (f[2] = '31/31/2024')],
    [Math.floor(rows * 0.7) + 2, (f) => (f[1] = '')],
  ]);
  if (existsSync(out)) return [...bad.keys()];
  const w = createWriteStream(`${out}.tmp`);
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(csv), crlfDelay: Infinity })) {
    const edit = bad.get(++line);
    let row = text;
    if (edit) {
      const f = text.split(',');
      edit(f);
      row = f.join(',');
    }
    if (!w.write(row + '\n')) await once(w, 'drain');
  }
  w.end();
  await once(w, 'finish');
  renameSync(`${out}.tmp`, out);
  return [...bad.keys()];
}

/** The same CSV without its invoice_id column (an export without document numbers), written once. */
async function withoutIds(csv: string, out: string): Promise<void> {
  if (existsSync(out)) return;
  const inst = await DuckDBInstance.create(':memory:', { memory_limit: memoryLimit() });
  const conn = await inst.connect();
  await conn.run(`copy (select * exclude (invoice_id) from read_csv('${csv.replace(/'/g, "''")}', all_varchar = true)) to '${`${out}.tmp`.replace(/'/g, "''")}' (header, delimiter ',')`);
  conn.closeSync();
  inst.closeSync();
  renameSync(`${out}.tmp`, out);
}

/** The canonical invoices CSV of an N-invoice export in `dir/export`, generated once (it is slow). */
export async function canonicalExport(dir: string, invoices: number, log: (line: string) => void): Promise<string> {
  const csv = join(dir, 'export', 'invoices.csv');
  if (!existsSync(csv)) {
    log(`generating a canonical export of ${invoices.toLocaleString()} invoices in ${dir}/export ...`);
    const customers = Math.max(100, Math.round(invoices / 200));
    await generateExports({ out: join(dir, 'export'), customers, invoices, seed: 7, end: '2026-10-31', years: 3, dialect: 'canonical' });
  }
  return csv;
}

/** Generates the export if needed, then times DuckDB alone and `cartera ingest` on it. */
export async function benchIngest(opts: BenchIngestOptions) {
  const log = opts.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const dir = resolve(opts.dir ?? join(ROOT, 'data/bench', `ingest-${opts.invoices}`));
  const csv = await canonicalExport(dir, opts.invoices, log);
  mkdirSync(dir, { recursive: true });
  const fresh = (name: string) => {
    const p = join(dir, name);
    rmSync(p, { force: true });
    rmSync(`${p}.wal`, { force: true });
    return p;
  };
  // DuckDB's times are the statement alone (no process start-up): the stricter comparison.
  const baseline = async (mode: 'plain' | 'shaped') => {
    const run = await measure(process.execPath, ['--import', 'tsx', 'test/bench/duckdb-read-csv.ts', fresh(`duckdb-${mode}.duckdb`), csv, mode]);
    const [seconds, cpuSeconds] = run.stdout.trim().split(' ').map(Number);
    return { ...run, seconds, cpuSeconds };
  };
  const cli = compiledCli(log);
  const duck = await baseline('plain');
  const shaped = await baseline('shaped');
  const pg = await postgresCopy(csv);
  const ours = await measure(process.execPath, [cli, 'ingest', csv, '--db', fresh('cartera.duckdb'), '--json']);
  const badCsv = join(dir, 'with-rejects', 'invoices.csv');
  mkdirSync(join(dir, 'with-rejects'), { recursive: true });
  const badLines = await withRejects(csv, badCsv, opts.invoices);
  const withBad = await measure(process.execPath, [cli, 'ingest', badCsv, '--db', fresh('cartera-rejects.duckdb'), '--json']);
  const rejected = withBad.code === 0 ? (JSON.parse(withBad.stdout.trim().split('\n')[0]) as { rejected: number }).rejected : NaN;
  const noIdCsv = join(dir, 'without-ids', 'invoices.csv');
  mkdirSync(join(dir, 'without-ids'), { recursive: true });
  await withoutIds(csv, noIdCsv);
  const noIds = await measure(process.execPath, [cli, 'ingest', noIdCsv, '--db', fresh('cartera-without-ids.duckdb'), '--json']);
  const made = noIds.code === 0 ? (JSON.parse(noIds.stdout.trim().split('\n')[0]) as { rows: number; generated_ids: boolean }) : undefined;
  const ratio = ours.seconds / duck.seconds;
  log('');
  log(`ingest: ${opts.invoices.toLocaleString()}-invoice canonical CSV (${(statSync(csv).size / 2 ** 20).toFixed(0)} MiB)`);
  const cpu = (r: ProcessRun) => `cpu ${r.cpuSeconds.toFixed(1).padStart(5)} s`;
  log(`  DuckDB read_csv -> table (statement only) ${duck.seconds.toFixed(2).padStart(7)} s   ${cpu(duck)}   peak ${duck.peakMiB.toFixed(0)} MiB`);
  log(`  DuckDB read_csv -> empty raw_invoices      ${shaped.seconds.toFixed(2).padStart(7)} s   ${cpu(shaped)}   (reader-typed columns, nothing converted or checked)`);
  log(
    pg
      ? `  PostgreSQL ${pg.version} COPY -> typed table  ${pg.run.seconds.toFixed(2).padStart(7)} s   (psql client ${cpu(pg.run)}; the server's own CPU not counted)`
      : '  PostgreSQL COPY: skipped (Debian\'s postgresql package is not installed: apt-get install -y postgresql)',
  );
  log(`  cartera ingest (compiled CLI, start-up included)${ours.seconds.toFixed(2).padStart(7)} s   ${cpu(ours)}   peak ${ours.peakMiB.toFixed(0)} MiB`);
  if (pg) log(`  cartera / PostgreSQL COPY: ${(ours.seconds / pg.run.seconds).toFixed(2)}x (target < 1)`);
  log(`  ratio ${ratio.toFixed(2)}x (target <= 1.25x), peak memory target < 3072 MiB; cpu ${(ours.cpuSeconds / duck.cpuSeconds).toFixed(2)}x DuckDB's on ${availableParallelism()} cores`);
  log(`  cartera ingest, same file with 3 bad rows ${withBad.seconds.toFixed(2).padStart(7)} s   peak ${withBad.peakMiB.toFixed(0)} MiB   (${rejected} rejected, lines ${badLines.join(', ')})`);
  log(`  cartera ingest, same file without invoice_id ${noIds.seconds.toFixed(2).padStart(5)} s   peak ${noIds.peakMiB.toFixed(0)} MiB   (${made?.rows.toLocaleString()} rows, ids ${made?.generated_ids ? 'made' : 'NOT made'})`);
  if (duck.code !== 0 || shaped.code !== 0 || ours.code !== 0 || withBad.code !== 0 || rejected !== 3 || made?.rows !== opts.invoices || !made.generated_ids)
    throw new Error(`a run failed (duckdb exit ${duck.code}/${shaped.code}, cartera exit ${ours.code}/${withBad.code}/${noIds.code}, rejected ${rejected} of 3, ${made?.rows} rows without ids)`);
  return { duck, shaped, pg, ours, withBad, noIds, ratio };
}

/** PostgreSQL's COPY of the same CSV into a table typed like raw_invoices' columns, on a server of its own; null without the package. */
async function postgresCopy(csv: string): Promise<{ version: string; run: ProcessRun } | null> {
  const pg = startPostgres();
  if (!pg) return null;
  try {
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const header = (await conn.runAndReadAll(`select * from read_csv('${csv.replace(/'/g, "''")}', all_varchar = true) limit 0`)).columnNames();
    conn.closeSync();
    inst.closeSync();
    const types = Object.fromEntries(ENTITIES.invoices.fields.map((f) => [f.name, SQL_TYPE[f.type]]));
    const pgType = (t: string | undefined) => (!t || t === 'VARCHAR' ? 'text' : t.replace(/^DECIMAL/, 'numeric').toLowerCase());
    pg.psql(`create table invoices (${header.map((h) => `"${h}" ${pgType(types[h])}`).join(', ')})`);
    const run = await pg.copy('invoices', csv);
    if (run.code !== 0) throw new Error('PostgreSQL COPY failed');
    return { version: pg.psql('show server_version').trim().split(' ')[0], run };
  } finally {
    pg.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchIngest({ invoices: Number(process.argv[2] ?? 10_000_000) });
}

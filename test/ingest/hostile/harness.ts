/**
 * The hostile-input matrix: each case writes its files into a fresh folder, runs `cartera ingest`
 * in this process (the real command, flags and all), and checks the exact outcome: the exit code
 * and the one line on stderr, the rows loaded, every rejected row and warning with its file, line,
 * column, value and reason, and that the same load with `--strict` either loads the same rows or
 * fails and leaves a warehouse that already held data exactly as it was.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/cli/dispatch.ts';
import { withOutput } from '../../../src/cli/output.ts';
import { Warehouse } from '../../../src/db/warehouse.ts';

/** A rejected row or a warning: line, column (null for the whole line), reason, and the value when it matters. */
export type Finding = [line: number, column: string | null, reason: string | RegExp, value?: string | null];

export interface Expected {
  /** Rows loaded over every file and sheet of the call. */
  loaded?: number;
  /** Every error of ingest_rejects, in line order (none when left out and no `error`). */
  rejects?: Finding[];
  /** Every warning of ingest_rejects, in line order (none when left out). */
  warnings?: Finding[];
  /** A file-level error: the command exits non-zero and prints `cartera: <this>` and nothing else. */
  error?: string | RegExp;
  /** Exit code (1 for a file-level error, 0 otherwise). */
  exit?: number;
  /** Rows of a query on the warehouse after the load. */
  rows?: { sql: string; equals: Record<string, unknown>[] };
  /** What the report lists as skipped: [end of the file label, reason]. */
  skipped?: [string, string | RegExp][];
  /** Notes the report gives for the loaded files (all of them, in order). */
  notes?: (string | RegExp)[];
}

export interface HostileCase {
  name: string;
  /** Writes the case's files into `dir` and returns their paths. */
  files(dir: string): string[] | Promise<string[]>;
  /** Extra `cartera ingest` flags. */
  args?: string[];
  /** Environment for the run (e.g. CARTERA_STREAM_BYTES=0 to stream a small file). */
  env?: Record<string, string>;
  expect: Expected;
}

/** A fresh folder for one case. */
export const tempDir = () => mkdtempSync(join(tmpdir(), 'cartera-hostile-'));

/** Writes bytes or text (UTF-8) to `dir/name` and returns the path. */
export function put(dir: string, name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Lines joined with `eol`, ending with it. */
export const lines = (rows: string[], eol = '\n') => rows.join(eol) + eol;

/** Runs one `cartera` command in this process; returns its exit code and what it printed. */
export async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await withOutput(
      { write: (c) => (out += String(c)) },
      { write: (c) => (err += String(c)) },
      () => dispatch(argv),
    );
    return { code, out, err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const TABLES = ['raw_invoices', 'raw_payments', 'raw_customers', 'raw_disputes', 'raw_promises_to_pay', 'raw_collection_activities', 'raw_fx_rates', 'ingest_batches', 'ingest_rejects'];

/** Every row of every ingestion table, hashed: equal fingerprints mean an unchanged warehouse. */
export async function fingerprintOf(wh: Warehouse): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) out[t] = String(await wh.scalar(`select count(*) || ':' || coalesce(bit_xor(hash(t::varchar)), 0) from ${t} t`));
  return out;
}

/** The fingerprint of the warehouse file at `db`. */
export async function fingerprint(db: string): Promise<Record<string, string>> {
  const wh = await Warehouse.open(db);
  try {
    return await fingerprintOf(wh);
  } finally {
    wh.close();
  }
}

let baseline: string | undefined;
/** A warehouse that already holds one good load, copied for each strict run. */
async function warehouseWithData(dir: string): Promise<string> {
  if (!baseline) {
    const home = tempDir();
    const file = put(home, 'baseline_invoices.csv', lines(['invoice_id,customer_id,invoice_date,amount', 'B1,C9,2023-05-01,10.00', 'B2,C9,2023-05-02,20.00']));
    const db = join(home, 'baseline.duckdb');
    const r = await cli(['ingest', '--db', db, '--json', file]);
    if (r.code !== 0) throw new Error(`baseline load failed: ${r.err}`);
    baseline = db;
  }
  const db = join(dir, 'strict.duckdb');
  copyFileSync(baseline, db);
  return db;
}

const matches = (actual: string, want: string | RegExp) => (typeof want === 'string' ? actual === want : want.test(actual));

function expectFindings(actual: { line: string; column_name: string | null; reason: string; value: string | null }[], want: Finding[], kind: string): void {
  const shown = actual.map((a) => [Number(a.line), a.column_name, a.reason, a.value]);
  expect(shown.length, `${kind}: ${JSON.stringify(shown)}`).toBe(want.length);
  want.forEach(([line, column, reason, value], i) => {
    const a = actual[i];
    expect([Number(a.line), a.column_name], `${kind} ${i + 1}: ${JSON.stringify(shown[i])}`).toEqual([line, column]);
    expect(matches(a.reason, reason), `${kind} ${i + 1} reason: ${a.reason}`).toBe(true);
    if (value !== undefined) expect(a.value, `${kind} ${i + 1} value`).toBe(value);
  });
}

/** Runs one case: the lenient load and its outcome, then the strict load and the warehouse it leaves. */
export async function check(c: HostileCase): Promise<void> {
  const dir = tempDir();
  try {
    await checkIn(dir, c);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function checkIn(dir: string, c: HostileCase): Promise<void> {
  const files = await c.files(dir);
  const db = join(dir, 'w.duckdb');
  const args = ['ingest', '--db', db, '--json', ...(c.args ?? []), ...files];
  const run = await cli(args, c.env);
  const want = c.expect;
  const errors = want.error !== undefined || (want.rejects?.length ?? 0) > 0;

  if (want.error !== undefined) {
    expect(run.code, run.err).toBe(want.exit ?? 1);
    expect(run.err.startsWith('cartera: '), run.err).toBe(true);
    expect(run.err).not.toMatch(/\n\s+at /); // no stack trace
    const message = run.err.slice('cartera: '.length).replace(/\n$/, '');
    expect(matches(message, want.error), `message: ${message}`).toBe(true);
    expect(run.out).toBe('');
    if (existsSync(db)) expect(Number((await fingerprint(db)).ingest_batches.split(':')[0])).toBe(0);
  } else {
    expect(run.code, run.err).toBe(want.exit ?? 0);
    const report = run.out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const loaded = report.filter((r) => r.batch_id !== undefined);
    if (want.loaded !== undefined) expect(loaded.reduce((s, r) => s + r.rows, 0), run.out).toBe(want.loaded);
    const skipped = report.filter((r) => r.skipped !== undefined).map((r) => [r.file, r.skipped]);
    expect(skipped.length, JSON.stringify(skipped)).toBe(want.skipped?.length ?? 0);
    want.skipped?.forEach(([file, reason], i) => {
      expect(String(skipped[i][0]).endsWith(file), String(skipped[i][0])).toBe(true);
      expect(matches(String(skipped[i][1]), reason), String(skipped[i][1])).toBe(true);
    });
    if (want.notes) {
      const notes: string[] = loaded.flatMap((r) => r.notes ?? []);
      expect(notes.length, JSON.stringify(notes)).toBe(want.notes.length);
      want.notes.forEach((n, i) => expect(matches(notes[i], n), notes[i]).toBe(true));
    }
    const wh = await Warehouse.open(db);
    try {
      const findings = await wh.all<{ file: string; line: string; column_name: string | null; value: string | null; reason: string; severity: string }>(
        `select file, line, column_name, value, reason, severity from ingest_rejects order by line, column_name nulls first, reason`,
      );
      // Every finding names one of the files given (XLSX ones with their sheet).
      for (const f of findings) expect(files.some((p) => f.file === p || f.file.startsWith(`${p} (sheet `)), f.file).toBe(true);
      expectFindings(findings.filter((f) => f.severity === 'error'), want.rejects ?? [], 'reject');
      expectFindings(findings.filter((f) => f.severity === 'warning'), want.warnings ?? [], 'warning');
      // What the report says adds up to what the warehouse holds.
      const counted = await wh.one<{ rows: string; rejected: string }>(`select coalesce(sum(rows), 0) as rows, coalesce(sum(rejected), 0) as rejected from ingest_batches`);
      expect(Number(counted!.rows)).toBe(loaded.reduce((s, r) => s + r.rows, 0));
      expect(Number(counted!.rejected)).toBe(loaded.reduce((s, r) => s + r.rejected, 0));
      if (want.rows) expect(await wh.all(want.rows.sql)).toEqual(want.rows.equals);
    } finally {
      wh.close();
    }
  }

  // The same load with --strict, into a warehouse that already holds data.
  const strictDb = await warehouseWithData(dir);
  const before = await fingerprint(strictDb);
  const strict = await cli(['ingest', '--db', strictDb, '--json', '--strict', ...(c.args ?? []), ...files], c.env);
  if (errors) {
    expect(strict.code, strict.err).toBe(want.exit ?? 1);
    expect(strict.err).not.toMatch(/\n\s+at /);
    if (want.rejects?.length && want.error === undefined) {
      const [line, column] = want.rejects[0];
      expect(strict.err, strict.err).toContain(`:${line}: ${column ? `column '${column}': ` : ''}`);
      expect(strict.err).toMatch(/--strict loads nothing/);
    }
    expect(await fingerprint(strictDb)).toEqual(before);
  } else {
    expect(strict.code, strict.err).toBe(0);
  }
}

/** Declares one test per case. */
export function matrix(title: string, cases: HostileCase[]): void {
  describe(title, () => {
    const names = new Set<string>();
    for (const c of cases) {
      if (names.has(c.name)) throw new Error(`two cases named '${c.name}'`);
      names.add(c.name);
      it(c.name, () => check(c));
    }
  });
}

/** The header most cases share. */
export const INVOICE_HEADER = 'invoice_id,customer_id,invoice_date,amount';

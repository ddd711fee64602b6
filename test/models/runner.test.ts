import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverModels, orderModels, parseBuckets, runBuild, SQL_ROOT, validateOptions, type ModelFile } from '../../src/models/index.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ensureRawSchema } from '../../src/canonical/raw-schema.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const model = (name: string, sql: string): ModelFile => ({
  name,
  layer: 'marts',
  path: `${name}.sql`,
  sql,
  materialized: 'table',
  provides: [name],
});

describe('dependency order', () => {
  it('puts every model after the models it reads', () => {
    const models = discoverModels();
    const order = orderModels(models.filter((m) => m.layer !== 'staging')).map((m) => m.name);
    const pos = (n: string) => order.indexOf(n);
    expect(pos('int_invoices_enriched')).toBeLessThan(pos('int_ar_movements'));
    expect(pos('int_open_item_intervals')).toBeLessThan(pos('aging_with'));
    expect(pos('aging_at')).toBeLessThan(pos('ar_aging'));
    expect(pos('fct_invoices')).toBeLessThan(pos('kpi_monthly_by_dimension'));
    expect(pos('kpi_monthly_by_dimension')).toBeLessThan(pos('kpi_monthly'));
  });

  it('ignores names in comments and strings, and refuses cycles', () => {
    const a = model('a', "-- reads b in a comment only\nselect 'b' as x");
    const b = model('b', 'select * from a');
    expect(orderModels([b, a]).map((m) => m.name)).toEqual(['a', 'b']);
    expect(() => orderModels([model('a', 'select * from b'), b])).toThrow(/dependency cycle among models: a, b/);
  });
});

describe('materialisation', () => {
  it('lets only intermediate models be ephemeral', () => {
    const root = mkdtempSync(join(tmpdir(), 'cartera-sql-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'intermediate'));
    mkdirSync(join(root, 'marts'));
    writeFileSync(join(root, 'intermediate', 'int_a.sql'), '-- One row.\n-- materialized: ephemeral (read by models only)\nselect 1 as x');
    expect(discoverModels(root).map((m) => [m.name, m.materialized])).toEqual([['int_a', 'ephemeral']]);
    writeFileSync(join(root, 'marts', 'fct_b.sql'), '-- One row.\n-- materialized: ephemeral (no)\nselect * from int_a');
    expect(() => discoverModels(root)).toThrow(/fct_b.sql: only intermediate models can be ephemeral/);
  });
});

describe('options', () => {
  it('accepts increasing positive buckets and rejects anything else', () => {
    expect(parseBuckets('15, 45,90')).toEqual([15, 45, 90]);
    for (const bad of ['30,30', '60,30', '0,30', '30,x', '', '1.5']) expect(() => parseBuckets(bad)).toThrow(/--buckets/);
    expect(() => validateOptions({ asOf: '2024-02-30' })).toThrow(/--as-of/);
    expect(() => validateOptions({ currency: "US'; drop table x" })).toThrow(/--currency/);
    expect(() => validateOptions({ basis: 'paid' as never })).toThrow(/--basis/);
  });
});

describe('runBuild', () => {
  it('records each build and reports every model with its rows', async () => {
    const t = await tempWarehouse();
    cleanups.push(t.close);
    await insertRaw(t.wh, 'invoices', [{ invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-03-01', amount: 10 }]);
    const r = await runBuild(t.wh, { buckets: [10, 20], basis: 'invoice' });
    expect(r.options).toEqual({ asOf: '2024-03-01', buckets: [10, 20], basis: 'invoice', reportingCurrency: 'XXX' });
    expect(r.models.find((m) => m.name === 'fct_invoices')?.rows).toBe(1);
    expect(r.models.find((m) => m.name === 'stg_invoices')?.materialized).toBe('view');
    const row = await t.wh.one<{ build_id: number; as_of: string; options: string }>('select build_id, as_of, options from builds');
    expect(row?.as_of).toBe('2024-03-01');
    expect(JSON.parse(row!.options)).toMatchObject({ basis: 'invoice', buckets: [10, 20] });
    expect(await t.wh.all('select * from build_options')).toEqual([
      { as_of: '2024-03-01', buckets: [10, 20], basis: 'invoice', reporting_currency: 'XXX' },
    ]);
  });

  it('builds from the rows ingestion accepted: a rejected row neither counts nor replaces an older export of its key', async () => {
    const t = await tempWarehouse();
    cleanups.push(t.close);
    await insertRaw(t.wh, 'invoices', [
      { invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-03-01', amount: 10, currency: 'MXN' },
      { invoice_id: 'I2', customer_id: 'C1', invoice_date: '2024-03-02', amount: 20, currency: 'MXN', rejected: true },
    ]);
    // A newer export of I1 whose row was rejected (say, a duplicate or an unreadable amount).
    await insertRaw(t.wh, 'invoices', [{ invoice_id: 'I1', customer_id: 'C9', invoice_date: '2024-03-05', amount: 99, currency: 'USD', rejected: true }], 2);
    await runBuild(t.wh);
    expect(await t.wh.all('select invoice_id, customer_id, amount from stg_invoices')).toEqual([{ invoice_id: 'I1', customer_id: 'C1', amount: '10.00' }]);
    expect(await t.wh.scalar('select reporting_currency from build_options')).toBe('MXN');
  });

  it('adds the rejected flag to the raw tables of a warehouse made before it existed', async () => {
    const t = await tempWarehouse();
    cleanups.push(t.close);
    await t.wh.run('alter table raw_invoices drop column rejected');
    await t.wh.run(`insert into raw_invoices (invoice_id, customer_id, invoice_date, amount, batch_id, source_line) values ('I1', 'C1', '2024-03-01', 10, 1, 2)`);
    await ensureRawSchema(t.wh);
    expect(await t.wh.all('select invoice_id, rejected from raw_invoices')).toEqual([{ invoice_id: 'I1', rejected: false }]);
  });

  it('leaves the previous build intact when a model fails', async () => {
    const t = await tempWarehouse();
    cleanups.push(t.close);
    await insertRaw(t.wh, 'invoices', [{ invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-03-01', amount: 10 }]);
    await runBuild(t.wh);
    const root = mkdtempSync(join(tmpdir(), 'cartera-sql-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    cpSync(SQL_ROOT, root, { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
    writeFileSync(join(root, 'marts', 'zz_broken.sql'), "-- One row, never: fails on purpose.\nselect error('broken on purpose') as x from fct_invoices");
    await insertRaw(t.wh, 'invoices', [{ invoice_id: 'I2', customer_id: 'C1', invoice_date: '2024-04-01', amount: 20 }], 2);
    await expect(runBuild(t.wh, { sqlRoot: root })).rejects.toThrow(/zz_broken.*broken on purpose/);
    expect(await t.wh.scalar('select count(*)::integer from fct_invoices')).toBe(1);
    expect(await t.wh.scalar('select as_of from build_options')).toBe('2024-03-01');
    expect(await t.wh.scalar('select count(*)::integer from builds')).toBe(1);
    expect(await t.wh.tableExists('zz_broken')).toBe(false);
    expect(await t.wh.scalar('select count(*)::integer from duckdb_tables() where temporary')).toBe(0);
  });

  it('builds ephemeral models as temporary tables and publishes them as views other connections read', async () => {
    const t = await tempWarehouse();
    cleanups.push(t.close);
    await insertRaw(t.wh, 'invoices', [{ invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-03-01', amount: 10 }]);
    await insertRaw(t.wh, 'payments', [{ payment_id: 'P1', customer_id: 'C1', invoice_id: 'I1', payment_date: '2024-03-05', amount: 4 }]);
    const r = await runBuild(t.wh);
    const ephemeral = discoverModels().filter((m) => m.materialized === 'ephemeral').map((m) => m.name);
    expect(ephemeral).toEqual(expect.arrayContaining(['int_invoices_enriched', 'int_ar_movements']));
    expect(r.models.find((m) => m.name === 'int_ar_movements')).toMatchObject({ materialized: 'ephemeral', rows: 2 });
    expect(await t.wh.scalar('select count(*)::integer from duckdb_tables() where temporary')).toBe(0);
    const kinds = await t.wh.all<{ schema_name: string; n: number }>(
      `select schema_name, count(*)::integer as n from duckdb_views() where view_name in (select unnest($1::varchar[])) group by all order by all`,
      [`[${ephemeral.map((n) => `"${n}"`).join(',')}]`],
    );
    expect(kinds.map((k) => k.n)).toEqual([ephemeral.length, ephemeral.length]);
    // Another connection (as the API's readers) sees the view over the published build.
    const other = await Warehouse.open(join(t.dir, 'wh.duckdb'));
    try {
      expect(await other.all('select movement_type, delta::double as delta, balance_after::double as balance_after from int_ar_movements order by movement_date')).toEqual([
        { movement_type: 'invoice', delta: 10, balance_after: 10 },
        { movement_type: 'collection', delta: -4, balance_after: 6 },
      ]);
    } finally {
      other.close();
    }
  });
});

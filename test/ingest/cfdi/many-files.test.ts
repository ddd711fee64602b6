// A load of many CFDIs is one batch per entity: it must keep what loading each file on its own kept,
// row for row, down to the file and line each reject and warning names.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/db/errors.ts';
import { Warehouse } from '../../../src/db/warehouse.ts';
import { generateExports } from '../../../src/generate/generate.ts';
import { ingestFiles } from '../../../src/ingest/ingest.ts';
import { tempDir } from '../helpers.ts';

const RFC = 'CDE150301AB1'; // the generator's company

/** The generated demo as CFDIs, with one invoice in a currency no one has (a reject), and its files in load order. */
async function demo(): Promise<{ dir: string; files: string[]; bad: string }> {
  const dir = tempDir('cartera-cfdi-many-');
  await generateExports({ out: dir, customers: 4, invoices: 30, seed: 5, end: '2026-10-31', years: 1, dialect: 'cfdi' });
  const files = ['ingreso', 'egreso', 'pago'].flatMap((k) => readdirSync(join(dir, 'cfdi', k)).sort().map((f) => join(dir, 'cfdi', k, f)));
  const bad = files[3];
  writeFileSync(bad, readFileSync(bad, 'utf8').replace(/ Moneda="[A-Z]{3}"/, ' Moneda="ZZZ"'));
  return { dir, files, bad };
}

const TABLES = {
  customers: `select * exclude (batch_id, source_line, extra), extra::varchar as extra from raw_customers order by all`,
  invoices: `select * exclude (batch_id, source_line, extra), extra::varchar as extra from raw_invoices order by all`,
  payments: `select * exclude (batch_id, source_line, extra), extra::varchar as extra from raw_payments order by all`,
  rejects: `select file, line, column_name, value, reason, severity from ingest_rejects order by all`,
  files: `select distinct file, sha256 from ingest_files order by all`,
};

async function tables(wh: Warehouse): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(TABLES)) out[name] = await wh.all(sql);
  return out;
}

describe('a load of many CFDI files', () => {
  it('gives the tables a load per file gave, in one batch per entity', async () => {
    const { dir, files, bad } = await demo();
    const one = await Warehouse.open(join(dir, 'one.duckdb'));
    const each = await Warehouse.open(join(dir, 'each.duckdb'));
    try {
      await ingestFiles(one, [join(dir, 'cfdi')], { strict: false, cfdi: { rfc: RFC } });
      for (const f of files) await ingestFiles(each, [f], { strict: false, cfdi: { rfc: RFC } });
      const together = await tables(one);
      expect(together).toEqual(await tables(each));
      expect(await one.all(`select entity, count(*)::int n from ingest_batches group by 1 order by 1`)).toEqual([
        { entity: 'customers', n: 1 },
        { entity: 'invoices', n: 2 }, // invoices and credit notes
        { entity: 'payments', n: 1 },
      ]);
      // The reject names the bad file and its Comprobante's line, not the batch and its row.
      expect(together.rejects).toContainEqual({ file: bad, line: '2', column_name: 'Moneda', value: 'ZZZ', reason: 'unknown currency (not an ISO 4217 code)', severity: 'error' });
      expect(together.files).toHaveLength(files.length);
      // Loading the folder again skips every file, each by its own hash.
      const again = await ingestFiles(one, [join(dir, 'cfdi')], { strict: false });
      expect(again.loaded).toEqual([]);
      expect(again.skipped.filter((s) => s.reason.startsWith('already loaded')).length).toBe(files.length);
    } finally {
      one.close();
      each.close();
    }
  });

  it('--strict names the bad file and line, and keeps nothing', async () => {
    const { dir, bad } = await demo();
    const wh = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      const err = await ingestFiles(wh, [join(dir, 'cfdi')], { strict: true, cfdi: { rfc: RFC } }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(new RegExp(`^${bad.replace(/[.]/g, '\\.')}:2: column 'Moneda': unknown currency`));
      expect(await wh.scalar(`select (select count(*) from raw_invoices) + (select count(*) from ingest_batches) + (select count(*) from ingest_files)`)).toBe('0');
    } finally {
      wh.close();
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild, SQL_ROOT } from '../../src/models/index.ts';
import { tempWarehouse } from './fixtures.ts';
import { loadCfdiComplianceCases, loadMixedPortfolio, MIXED_AS_OF } from './mixed-fixture.ts';

/** Assertions kept next to each model as `<model>.yml`: keys, accepted values, reconciliations. */
interface Assertions {
  unique?: string[];
  not_null?: string[];
  accepted_values?: Record<string, (string | number)[]>;
  checks?: { name: string; failing_rows: string }[];
}

const files = ['intermediate', 'marts'].flatMap((layer) =>
  readdirSync(join(SQL_ROOT, layer))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => ({ model: f.replace(/\.yml$/, ''), spec: parse(readFileSync(join(SQL_ROOT, layer, f), 'utf8')) as Assertions })),
);

let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await loadMixedPortfolio(wh);
  await loadCfdiComplianceCases(wh);
  await runBuild(wh, { asOf: MIXED_AS_OF });
});
afterAll(() => close());

const count = async (sql: string) => Number(await wh.scalar(`select count(*) from (${sql})`));

describe.each(files)('$model', ({ model, spec }) => {
  it('has rows to check', async () => {
    expect(await count(`select * from ${model}`)).toBeGreaterThan(0);
  });
  for (const key of spec.unique ?? []) {
    it(`unique: ${key}`, async () => {
      expect(await count(`select ${key} from ${model} group by all having count(*) > 1`)).toBe(0);
    });
  }
  for (const col of spec.not_null ?? []) {
    it(`not null: ${col}`, async () => {
      expect(await count(`select * from ${model} where ${col} is null`)).toBe(0);
    });
  }
  for (const [col, values] of Object.entries(spec.accepted_values ?? {})) {
    it(`accepted values: ${col}`, async () => {
      const bad = await wh.all(
        `select distinct ${col}::varchar as v from ${model} where ${col} is not null and ${col}::varchar not in (select unnest($1::varchar[]))`,
        [`[${values.map((v) => `"${v}"`).join(',')}]`],
      );
      expect(bad).toEqual([]);
    });
  }
  for (const check of spec.checks ?? []) {
    it(check.name, async () => {
      expect(await wh.all(`select * from (${check.failing_rows}) limit 5`)).toEqual([]);
    });
  }
});

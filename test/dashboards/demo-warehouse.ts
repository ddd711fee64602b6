/**
 * The dashboards' test warehouse: a private copy of the shared demo warehouse (generated, ingested,
 * built and scored once per run by test/support), plus one key per role and a collections key
 * limited to the collector with the most customers on the call list.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { withWarehouse } from '../../src/db/warehouse.ts';
import { ensureApiSchema } from '../../src/api/schema.ts';
import { createToken } from '../../src/api/tokens.ts';
import { demoWarehouse as sharedDemo } from '../support/demo-warehouse.ts';

export interface DemoKeys {
  cfo: string;
  collections: string;
  /** A collections key limited to `collector`. */
  own: string;
  analyst: string;
  admin: string;
}

export interface DemoWarehouse {
  dir: string;
  dbPath: string;
  keys: DemoKeys;
  /** The collector the `own` key is limited to. */
  collector: string;
  remove(): void;
}

/** A private copy of the shared demo warehouse (test/support), with one key per role. */
export async function demoWarehouse(): Promise<DemoWarehouse> {
  const dbPath = await sharedDemo();
  const dir = dirname(dbPath);
  const { keys, collector } = await withWarehouse(dbPath, async (wh) => {
    await ensureApiSchema(wh);
    const collector = String((await wh.result('select collector from call_list group by 1 order by count(*) desc, 1 limit 1')).getRowsJson()[0][0]);
    const keys: DemoKeys = {
      cfo: (await createToken(wh, { role: 'cfo', name: 'cfo' })).key,
      collections: (await createToken(wh, { role: 'collections', name: 'team' })).key,
      own: (await createToken(wh, { role: 'collections', name: 'own', collector })).key,
      analyst: (await createToken(wh, { role: 'analyst', name: 'analyst' })).key,
      admin: (await createToken(wh, { role: 'admin', name: 'admin' })).key,
    };
    return { keys, collector };
  });
  return { dir, dbPath, keys, collector, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The dashboards' test warehouse: a private copy of the shared demo warehouse (generated, ingested,
 * built and scored once per run by test/support), plus one key per role and a collections key
 * limited to the collector with the most customers on the call list.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { withWarehouse } from '../../src/db/warehouse.ts';
import { demoWarehouse as sharedDemo } from '../support/demo-warehouse.ts';
import { collectorIds, createKeys, type RoleKeys } from '../support/keys.ts';

export type DemoKeys = RoleKeys;

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
    const collector = (await collectorIds(wh)).own;
    return { keys: await createKeys(wh, collector), collector };
  });
  return { dir, dbPath, keys, collector, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The dashboards' test warehouse: a private copy of the shared demo warehouse (generated, ingested,
 * built and scored once per run by test/support), plus one key and one user per role, and a
 * collections key and user limited to the collector with the most customers on the call list.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { withWarehouse } from '../../src/db/warehouse.ts';
import { demoWarehouse as sharedDemo } from '../support/demo-warehouse.ts';
import { collectorIds, createKeys, type RoleKeys } from '../support/keys.ts';
import { createUsers, type RoleUsers } from '../support/users.ts';

export type DemoKeys = RoleKeys;

export interface DemoWarehouse {
  dir: string;
  dbPath: string;
  keys: DemoKeys;
  /** Who signs in on the sign-in page. */
  users: RoleUsers;
  /** The collector the `own` key is limited to. */
  collector: string;
  remove(): void;
}

/** A private copy of the shared demo warehouse (test/support), with one key and one user per role. */
export async function demoWarehouse(): Promise<DemoWarehouse> {
  const dbPath = await sharedDemo();
  const dir = dirname(dbPath);
  const { keys, users, collector } = await withWarehouse(dbPath, async (wh) => {
    const collector = (await collectorIds(wh)).own;
    return { keys: await createKeys(wh, collector), users: await createUsers(wh, collector), collector };
  });
  return { dir, dbPath, keys, users, collector, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Keys and ids the tests on the demo warehouse share: one key per role, and two collectors (with a
 * customer of each) found by SQL, so no test names an id the generator happens to make.
 */
import { ensureApiSchema } from '../../src/api/schema.ts';
import { createToken } from '../../src/api/tokens.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';

/** One key per role, plus a collections key limited to one collector. */
export interface RoleKeys {
  cfo: string;
  collections: string;
  own: string;
  analyst: string;
  admin: string;
}

/** Who the scoping tests use: two collectors and one customer of each. */
export interface CollectorIds {
  /** The collector with the most customers on the call list (the `own` key's). */
  own: string;
  other: string;
  ownCustomer: string;
  otherCustomer: string;
}

/** One key per role (and one limited to `collector`) in an open warehouse. */
export async function createKeys(wh: Warehouse, collector: string): Promise<RoleKeys> {
  await ensureApiSchema(wh);
  return {
    cfo: (await createToken(wh, { role: 'cfo', name: 'cfo' })).key,
    collections: (await createToken(wh, { role: 'collections', name: 'team' })).key,
    own: (await createToken(wh, { role: 'collections', name: 'own', collector })).key,
    analyst: (await createToken(wh, { role: 'analyst', name: 'analyst' })).key,
    admin: (await createToken(wh, { role: 'admin', name: 'admin' })).key,
  };
}

/** Two collectors of the warehouse and a customer of each (from the call list, so each has open debt). */
export async function collectorIds(wh: Warehouse): Promise<CollectorIds> {
  const collectors = await wh.all<{ collector: string }>(
    `select collector from call_list where collector is not null group by 1 order by count(*) desc, 1 limit 2`,
  );
  const [own, other] = collectors.map((c) => c.collector);
  const first = async (c: string) => (await wh.scalar<string>(`select customer_id from call_list where collector = $1 order by rank limit 1`, [c]))!;
  return { own, other, ownCustomer: await first(own), otherCustomer: await first(other) };
}

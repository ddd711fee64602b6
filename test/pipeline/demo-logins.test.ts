/**
 * The demo's sign-in: users made once with random passwords, kept in an owner-only file beside
 * the warehouse, and reused (not replaced) on later starts so whoever signed in stays signed in.
 */
import { statSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureApiSchema } from '../../src/api/schema.ts';
import { createToken } from '../../src/api/tokens.ts';
import { setPassword } from '../../src/api/users.ts';
import { verifyPassword } from '../../src/api/passwords.ts';
import { credentialsPath, demoLogins } from '../../src/commands/demo-logins.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { demoWarehouse } from '../support/demo-warehouse.ts';

let db: string;
let wh: Warehouse;
beforeAll(async () => {
  db = await demoWarehouse();
  wh = await Warehouse.open(db);
});
afterAll(() => {
  wh?.close();
  if (db) rmSync(dirname(db), { recursive: true, force: true });
});

const users = () => wh.all<{ user_id: string; name: string; role: string; collector: string | null; password_hash: string }>(`select user_id, name, role, collector, password_hash from users order by name`);

describe('demo users', () => {
  test('the first start makes one per role and one collector, with random passwords in an owner-only file', async () => {
    await ensureApiSchema(wh);
    await createToken(wh, { role: 'cfo', name: 'demo-cfo' });
    const logins = await demoLogins(wh, db, 'Ana Martínez');
    expect(logins.map((l) => [l.user, l.role, l.collector])).toEqual([
      ['demo-cfo', 'cfo', null],
      ['demo-collections', 'collections', null],
      ['demo-analyst', 'analyst', null],
      ['demo-admin', 'admin', null],
      ['ana.martinez', 'collections', 'Ana Martínez'],
    ]);
    expect(new Set(logins.map((l) => l.password)).size).toBe(5);
    for (const l of logins) expect(l.password.length).toBeGreaterThanOrEqual(16);
    const stored = await users();
    for (const l of logins) expect(await verifyPassword(l.password, stored.find((u) => u.name === l.user)!.password_hash)).toBe(true);
    const file = credentialsPath(db);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const l of logins) expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`${l.role}\\s+${l.user.replace('.', '\\.')}\\s+${l.password}`));
    // Keys an earlier demo printed are revoked: people sign in now.
    expect(await wh.scalar<number>(`select count(*)::int from api_tokens where name like 'demo-%' and revoked_at is null`)).toBe(0);
  });

  test('a later start reuses them: same users, same passwords, sessions untouched', async () => {
    const before = await users();
    await wh.run(`insert into sessions values ('h', $1, current_timestamp, current_timestamp, current_timestamp + interval 1 hour)`, [before[0].user_id]);
    const first = readFileSync(credentialsPath(db), 'utf8');
    const again = await demoLogins(wh, db, 'Ana Martínez');
    expect(await users()).toEqual(before);
    expect(readFileSync(credentialsPath(db), 'utf8')).toBe(first);
    expect(again).toHaveLength(5);
    expect(await wh.scalar<number>(`select count(*)::int from sessions`)).toBe(1);
  });

  test('a demo user whose password was changed with cartera user passwd is left alone and not listed', async () => {
    await setPassword(wh, 'demo-admin', 'chosen-by-the-admin');
    const logins = await demoLogins(wh, db, 'Ana Martínez');
    expect(logins.map((l) => l.user)).not.toContain('demo-admin');
    expect(readFileSync(credentialsPath(db), 'utf8')).not.toContain('demo-admin');
  });
});

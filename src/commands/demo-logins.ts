import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Warehouse } from '../db/warehouse.ts';
import type { Role } from '../api/roles.ts';
import { ensureApiSchema } from '../api/schema.ts';
import { listTokens, revokeToken } from '../api/tokens.ts';
import { addUser } from '../api/users.ts';

/** A demo user and the password to sign in with. */
export interface DemoLogin {
  user: string;
  password: string;
  role: Role;
  collector: string | null;
}

/** Where the demo keeps its passwords: beside the warehouse, readable by its owner only. */
export const credentialsPath = (dbPath: string) => `${dbPath}.demo-credentials.txt`;

/** 'Ana Martínez' -> 'ana.martinez': a user name for a collector. */
const slug = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '.').replace(/^\.+|\.+$/g, '').slice(0, 60) || 'collector';

function wanted(collector: string | null): Omit<DemoLogin, 'password'>[] {
  const roles: Role[] = ['cfo', 'collections', 'analyst', 'admin'];
  const out = roles.map((role) => ({ user: `demo-${role}`, role, collector: null as string | null }));
  if (collector) out.push({ user: slug(collector), role: 'collections', collector });
  return out;
}

function readSaved(path: string): Map<string, string> {
  if (!existsSync(path)) return new Map();
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  return new Map(lines.map((l) => l.trim().split(/\s+/)).filter((p) => p.length >= 3).map(([, user, password]) => [user, password]));
}

function save(path: string, logins: DemoLogin[]): void {
  const rows = logins.map((l) => `${l.role.padEnd(12)} ${l.user.padEnd(24)} ${l.password}${l.collector ? `   # collector ${l.collector}` : ''}`);
  const text = ['# Cartera demo sign-in: role, user, password. Kept across restarts; delete this file and the demo users for new ones.', ...rows, ''].join('\n');
  writeFileSync(path, text, { mode: 0o600 });
  // The mode above applies only to a new file.
  chmodSync(path, 0o600);
}

/**
 * The demo's people, one per role and one for the collector `collector`: made with random
 * passwords on the first start, kept in an owner-only file beside the warehouse and reused on
 * later starts, so sessions survive a restart. A demo user disabled or given a new password with
 * `cartera user` is left alone and not listed. Keys an earlier demo printed are revoked: people
 * sign in, keys are for scripts.
 */
export async function demoLogins(wh: Warehouse, dbPath: string, collector: string | null): Promise<DemoLogin[]> {
  await ensureApiSchema(wh);
  for (const t of await listTokens(wh)) if (t.name.startsWith('demo-') && !t.revoked_at) await revokeToken(wh, t.token_id);
  const path = credentialsPath(dbPath);
  const saved = readSaved(path);
  const out: DemoLogin[] = [];
  for (const w of wanted(collector)) {
    const [row] = await wh.all<{ managed: boolean }>(`select disabled_at is not null or password_changed is not null as managed from users where name = $1`, [w.user]);
    if (row?.managed) continue;
    const password = saved.get(w.user) ?? randomBytes(12).toString('base64url');
    if (!row) await addUser(wh, { name: w.user, role: w.role, collector: w.collector, password });
    else if (!saved.has(w.user)) continue;
    out.push({ ...w, password });
  }
  save(path, out);
  return out;
}

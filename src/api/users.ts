import { randomBytes } from 'node:crypto';
import { InputError } from '../db/errors.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { hashPassword } from './passwords.ts';
import { ROLES, type Role } from './roles.ts';
import { UTC_NOW } from './schema.ts';

/** What the user functions need of a connection: the warehouse's own, or the server's sign-in connection. */
export type Sql = Pick<Warehouse, 'all' | 'run'>;

/** A user as listed (never the password hash). */
export interface UserRow {
  name: string;
  role: Role;
  collector: string | null;
  created: string;
  password_changed: string | null;
  disabled_at: string | null;
  /** Sessions open now. */
  sessions: number;
}

/** An enabled user, as sign-in checks them. */
export interface SignInUser {
  userId: string;
  name: string;
  role: Role;
  collector: string | null;
  passwordHash: string;
}

export const PASSWORD_MIN = 10;
const PASSWORD_MAX = 1024;

/**
 * A user name as stored and signed in with: trimmed and lower-case, so 'Ana' and 'ana' are one
 * account (and one lock-out). Letters, digits and . _ @ - only.
 */
export function userName(raw: string): string {
  const name = raw.normalize('NFC').trim().toLowerCase();
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u.test(name)) {
    throw new InputError(`user name '${raw}': use 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit`);
  }
  return name;
}

/** Refuses a password too short to resist guessing (or absurdly long). */
export function checkNewPassword(password: string): void {
  if (password.length < PASSWORD_MIN) throw new InputError(`the password must have at least ${PASSWORD_MIN} characters`);
  if (password.length > PASSWORD_MAX) throw new InputError(`the password may have at most ${PASSWORD_MAX} characters`);
}

/**
 * Adds a user who signs in with `password` (stored as a scrypt hash); returns their id.
 *
 * @example
 *   await addUser(wh, { name: 'ana', role: 'collections', collector: 'Ana Martínez', password });
 */
export async function addUser(db: Sql, u: { name: string; role: Role; collector?: string | null; password: string }): Promise<string> {
  const name = userName(u.name);
  if (!ROLES.includes(u.role)) throw new InputError(`role '${u.role}': use one of ${ROLES.join(', ')}`);
  if (u.collector && u.role !== 'collections') throw new InputError(`only a collections user has a collector (role '${u.role}' given)`);
  checkNewPassword(u.password);
  if ((await db.all(`select 1 from users where name = $1`, [name])).length) throw new InputError(`user '${name}' already exists`);
  const userId = 'u_' + randomBytes(6).toString('hex');
  await db.run(`insert into users (user_id, name, role, collector, password_hash, created) values ($1, $2, $3, $4, $5, ${UTC_NOW})`, [
    userId,
    name,
    u.role,
    u.collector ?? null,
    await hashPassword(u.password),
  ]);
  return userId;
}

/** Every user, by name, with their open sessions. */
export async function listUsers(db: Sql): Promise<UserRow[]> {
  return db.all<UserRow>(
    `select u.name, u.role, u.collector, u.created::varchar as created, u.password_changed::varchar as password_changed,
       u.disabled_at::varchar as disabled_at, (select count(*) from sessions s where s.user_id = u.user_id)::int as sessions
     from users u order by u.name`,
  );
}

/** The enabled user called `name`, with their hash, or undefined. */
export async function findUser(db: Sql, name: string): Promise<SignInUser | undefined> {
  const [u] = await db.all<SignInUser>(
    `select user_id as userId, name, role, collector, password_hash as passwordHash from users where name = $1 and disabled_at is null`,
    [name],
  );
  return u;
}

/** Ends every session of a user; returns how many there were. */
async function endSessions(db: Sql, userId: string): Promise<number> {
  return (await db.all(`delete from sessions where user_id = $1 returning session_hash`, [userId])).length;
}

/** Disables an enabled user and ends their sessions; undefined when there is no enabled user `name`. */
export async function disableUser(db: Sql, name: string): Promise<{ sessionsEnded: number } | undefined> {
  const [u] = await db.all<{ user_id: string }>(
    `update users set disabled_at = ${UTC_NOW} where name = $1 and disabled_at is null returning user_id`,
    [userName(name)],
  );
  return u && { sessionsEnded: await endSessions(db, u.user_id) };
}

/** Sets a new password and ends the user's sessions (a stolen one too); undefined when there is no user `name`. */
export async function setPassword(db: Sql, name: string, password: string): Promise<{ sessionsEnded: number } | undefined> {
  checkNewPassword(password);
  const [u] = await db.all<{ user_id: string }>(
    `update users set password_hash = $2, password_changed = ${UTC_NOW} where name = $1 returning user_id`,
    [userName(name), await hashPassword(password)],
  );
  return u && { sessionsEnded: await endSessions(db, u.user_id) };
}

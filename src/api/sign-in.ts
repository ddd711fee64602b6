import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { clientAddress } from './client-address.ts';
import type { ApiEnv } from './env.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { ApiError } from './problem.ts';
import type { Principal } from './roles.ts';
import { sessionIdOf, setSessionCookie } from './session-cookie.ts';
import { userName, type SignInUser } from './users.ts';

/** The hash an unknown or disabled name is checked against, so it costs the same scrypt as a real one. */
let decoy: Promise<string> | undefined;

async function checkPassword(c: Context<ApiEnv>, name: string, password: string): Promise<SignInUser | undefined> {
  const u = await c.var.api.sessions.findUser(name);
  const ok = await verifyPassword(password, u?.passwordHash ?? (await (decoy ??= hashPassword(randomBytes(16).toString('hex')))));
  return ok ? u : undefined;
}

/** A name that is not even valid fails like a wrong password: the answer must not tell names apart. */
function accountOf(raw: string): string {
  try {
    return userName(raw);
  } catch {
    return raw.trim().toLowerCase();
  }
}

/**
 * Signs a person in: within the limits of their address and account, checks the password, starts
 * a session and sets its cookie. Every failure answers the same 401, whatever was wrong.
 */
export async function signIn(c: Context<ApiEnv>, user: string, password: string): Promise<Principal> {
  const api = c.var.api;
  const address = clientAddress(c, api.trustProxy);
  const account = accountOf(user);
  const release = api.signInGuard.enter(address, account);
  let u: SignInUser | undefined;
  try {
    u = await checkPassword(c, account, password);
    if (!u) api.signInGuard.failed(address, account);
  } finally {
    release();
  }
  if (!u) throw new ApiError(401, 'Unauthorized', { en: 'the user name or password is not valid', es: 'el usuario o la contraseña no son válidos' });
  api.signInGuard.succeeded(account);
  // A session this browser already had ends: one sign-in, one session.
  const previous = sessionIdOf(c);
  if (previous !== undefined) await api.sessions.end(previous);
  const { id, maxAgeS } = await api.sessions.start(u);
  setSessionCookie(c, id, maxAgeS);
  return { role: u.role, name: u.name, collector: u.collector, subject: `user:${u.name}`, tokenId: null, userId: u.userId };
}

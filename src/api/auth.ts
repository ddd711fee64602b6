import type { Context, MiddlewareHandler } from 'hono';
import { clientAddress } from './client-address.ts';
import type { ApiEnv } from './env.ts';
import { problem, type Said } from './problem.ts';
import type { Principal, Role } from './roles.ts';
import { sessionIdOf } from './session-cookie.ts';

/** The key of `Authorization: Bearer <key>`, if the request sends one. Keys are never read from cookies. */
export function bearerKey(header: string | undefined): string | undefined {
  return header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

/** A script's key: counted against its address when wrong, and refused (429) while that address is locked. */
function identifyKey(c: Context<ApiEnv>, key: string): Principal | undefined {
  const api = c.var.api;
  const address = clientAddress(c, api.trustProxy);
  api.signInGuard.check(address);
  const p = api.keys.identify(key);
  if (!p) api.signInGuard.failed(address);
  return p;
}

/**
 * Identifies the caller and sets `c.var.principal`: a script by its Bearer key, a person by their
 * session cookie. Without either the principal stays unset and `requireRole` refuses; open routes
 * (health, sign-in, docs) still answer, so a stale cookie never locks a browser out of signing in.
 */
export const authenticate: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const key = bearerKey(c.req.header('authorization'));
  const session = key === undefined ? sessionIdOf(c) : undefined;
  if (key !== undefined) c.set('principal', identifyKey(c, key));
  else if (session !== undefined) c.set('principal', c.var.api.sessions.identify(session));
  await next();
};

/** Why a request without a principal was refused. */
function unauthorizedDetail(c: Context<ApiEnv>): Said {
  if (bearerKey(c.req.header('authorization')) !== undefined) return { en: 'the API key is not valid or has been revoked', es: 'la clave de API no es válida o fue revocada' };
  if (sessionIdOf(c) !== undefined) {
    return {
      en: 'the session has ended (signed out, idle too long, too old, or the user was disabled): sign in again at /login',
      es: 'la sesión terminó (salida, inactividad, antigüedad o usuario desactivado): vuelva a entrar en /login',
    };
  }
  return {
    en: 'sign in at /login, or send an API key: Authorization: Bearer <key> (create one with: cartera token create)',
    es: 'entre en /login, o envíe una clave de API: Authorization: Bearer <clave> (créela con: cartera token create)',
  };
}

/**
 * Lets a request through only for the given roles: no principal answers 401, another role 403.
 *
 * @example
 *   routes.use('*', requireRole('cfo', 'analyst', 'admin'));
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const p = c.var.principal;
    if (!p) return problem(c, 401, unauthorizedDetail(c));
    if (!roles.includes(p.role)) {
      return problem(c, 403, { en: `role '${p.role}' may not use ${c.req.path}; it needs one of: ${roles.join(', ')}`, es: `el rol ${p.role} no puede usar ${c.req.path}; necesita uno de: ${roles.join(', ')}` });
    }
    await next();
  };
}

/** Who may read what: the role lists routes use. */
export const READERS = {
  finance: ['cfo', 'analyst', 'admin'],
  collections: ['collections', 'analyst', 'admin'],
  /** Customers and their statements: the CFO goes from a debtor on the page to its statement. */
  customers: ['cfo', 'collections', 'analyst', 'admin'],
  analysts: ['analyst', 'admin'],
  admins: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

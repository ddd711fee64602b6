import { getCookie } from 'hono/cookie';
import type { Context, MiddlewareHandler } from 'hono';
import type { ApiEnv } from './env.ts';
import { problem } from './problem.ts';
import type { Role } from './roles.ts';

/** The cookie `POST /api/login` sets, for browsers (dashboards); API clients send a Bearer key. */
export const KEY_COOKIE = 'cartera_key';

/** The key a request carries: `Authorization: Bearer <key>`, else the `cartera_key` cookie. */
export function presentedKey(header: string | undefined, cookie: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return m?.[1] ?? (cookie || undefined);
}

const keyOf = (c: Context<ApiEnv>) => presentedKey(c.req.header('authorization'), getCookie(c, KEY_COOKIE));

/**
 * Identifies the caller from their key and sets `c.var.principal`. Without a valid key the
 * principal stays unset and `requireRole` refuses; open routes (health, login, docs) still
 * answer, so a stale cookie never locks a browser out of signing in again.
 */
export const authenticate: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const key = keyOf(c);
  if (key !== undefined) c.set('principal', c.var.api.keys.identify(key));
  await next();
};

/**
 * Lets a request through only for the given roles: no key answers 401, another role 403.
 *
 * @example
 *   routes.use('*', requireRole('cfo', 'analyst', 'admin'));
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const p = c.var.principal;
    if (!p) {
      const detail = keyOf(c)
        ? 'the API key is not valid or has been revoked'
        : 'send an API key: Authorization: Bearer <key> (create one with: cartera token create)';
      return problem(c, 401, detail);
    }
    if (!roles.includes(p.role)) {
      return problem(c, 403, `role '${p.role}' may not use ${c.req.path}; it needs one of: ${roles.join(', ')}`);
    }
    await next();
  };
}

/** Who may read what: the role lists routes use. */
export const READERS = {
  finance: ['cfo', 'analyst', 'admin'],
  collections: ['collections', 'analyst', 'admin'],
  analysts: ['analyst', 'admin'],
  admins: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

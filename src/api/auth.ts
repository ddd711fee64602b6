import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
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

/**
 * Identifies the caller from their key and sets `c.var.principal`. A key that matches nothing is
 * refused with 401 at once; no key leaves the principal unset for `requireRole` to refuse.
 */
export const authenticate: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const key = presentedKey(c.req.header('authorization'), getCookie(c, KEY_COOKIE));
  if (key !== undefined) {
    const principal = c.var.api.keys.identify(key);
    if (!principal) return problem(c, 401, 'the API key is not valid or has been revoked');
    c.set('principal', principal);
  }
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
    if (!p) return problem(c, 401, 'send an API key: Authorization: Bearer <key> (create one with: cartera token create)');
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

import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './env.ts';

/** One structured line per request. */
export interface AccessEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  principal: string | null;
  /** 'user:<name>' or 'key:<token id>': tells a user from a key of the same name. */
  subject: string | null;
  role: string | null;
}

/** Logs every request once it is answered, as one JSON object, to `write`. */
export function accessLog(write: (entry: AccessEntry) => void): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const t0 = performance.now();
    await next();
    write({
      time: new Date().toISOString(),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - t0) * 10) / 10,
      principal: c.var.principal?.name ?? null,
      subject: c.var.principal?.subject ?? null,
      role: c.var.principal?.role ?? null,
    });
  };
}

import type { Context } from 'hono';
import type { Params, Row } from '../db/warehouse.ts';
import type { ApiContext } from './context.ts';
import { forbidden } from './problem.ts';
import type { RequestReads } from './request-reads.ts';
import type { Principal } from './roles.ts';

/**
 * The Hono environment of every API route: `c.var.api` is the shared context (warehouse, read
 * connections, build info), `c.var.principal` who is asking (set by `authenticate`).
 */
export interface ApiEnv {
  Variables: {
    api: ApiContext;
    principal: Principal | undefined;
    /** This request's reads: one snapshot of one publication. */
    reads: RequestReads;
  };
}

/**
 * Runs one read-only, parameterised query in the request's snapshot and returns JSON-safe
 * rows (DECIMAL and BIGINT as strings, dates as ISO text). For handlers of any route, dashboards
 * and notebooks included.
 *
 * @example
 *   const rows = await readRows(c, 'select * from call_list where collector = $1 order by rank', [collector]);
 */
export async function readRows<T = Row>(c: Context<ApiEnv>, sql: string, params?: Params): Promise<T[]> {
  return c.var.reads.rows<T>(sql, params);
}

/**
 * The collector a request is limited to: the user's or key's own when it names one (asking for another is
 * refused with 403), else the one asked for, if any.
 */
export function collectorScope(c: Context<ApiEnv>, requested?: string): string | undefined {
  const own = c.var.principal?.collector;
  if (!own) return requested;
  if (requested !== undefined && requested !== own) {
    throw forbidden({ en: `this sign-in covers collector '${own}' only; it cannot read collector '${requested}'`, es: `esta sesión cubre solo al cobrador ${own}; no puede leer al cobrador ${requested}` });
  }
  return own;
}

import { createRoute, z } from '@hono/zod-openapi';
import type { Role } from '../roles.ts';
import { requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { keyed, tabularResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { formatParam, sendTable } from '../tabular.ts';

/**
 * A sub-app serving one aggregate mart as it is (recovery, roll rates, forecast): the model
 * already did the work, the endpoint only reads and formats it.
 */
export function martTableRoutes(table: 'agg_recovery' | 'agg_roll_rates' | 'agg_cash_forecast' | 'agg_provision_matrix', summary: string, roles: readonly Role[]) {
  const routes = newRoutes();
  routes.use('*', requireRole(...roles), cachedGet);
  routes.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['kpis'],
      summary,
      security: keyed,
      request: { query: z.object({ format: formatParam }) },
      responses: tabularResponses(`The rows of ${table}`),
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await c.var.reads.result(`select * from ${table} order by all`);
      return sendTable(c, r, q.format, table);
    },
  );
  return routes;
}

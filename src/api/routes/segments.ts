import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { keyed, tabularResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { formatParam, sendTable } from '../tabular.ts';

/** `/api/segments`: the customer book by behaviour, value and portfolio stage. */
export const segmentRoutes = newRoutes();
segmentRoutes.use('*', requireRole(...READERS.finance), cachedGet);

const DIMENSIONS = ['behaviour_segment', 'value_tier', 'portfolio_stage'] as const;

segmentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['kpis'],
    summary: 'Customers, open and overdue balance per segment (agg_customer_segments)',
    security: keyed,
    request: {
      query: z.object({
        by: z.enum([...DIMENSIONS, 'all']).default('all').openapi({ description: 'one dimension, or all three crossed' }),
        format: formatParam,
      }),
    },
    responses: tabularResponses('One row per segment, largest open balance first'),
  }),
  async (c) => {
    const q = c.req.valid('query');
    const dims = q.by === 'all' ? DIMENSIONS : [q.by];
    const r = await c.var.reads.result(
      `select ${dims.join(', ')}, customers, open_balance, overdue_balance, overdue_pct
       from agg_customer_segments where grouped_by = $1 order by open_balance desc nulls last, ${dims.join(', ')}`,
      [q.by],
    );
    return sendTable(c, r, q.format, 'segments');
  },
);

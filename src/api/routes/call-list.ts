import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { collectorScope } from '../env.ts';
import { intParam, isoDate } from '../params.ts';
import { keyed, tabularResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { formatParam, sendTable } from '../tabular.ts';

/** `/api/call-list`: whom to call first, as the risk step ranked them. */
export const callListRoutes = newRoutes();
callListRoutes.use('*', requireRole(...READERS.collections), cachedGet);

callListRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['collections'],
    summary: "Today's call list, best first (call_list)",
    security: keyed,
    request: {
      query: z.object({
        collector: z.string().min(1).max(200).optional().openapi({ description: 'one collector (a collector-scoped key sees only its own)' }),
        date: isoDate.optional().openapi({ description: 'only the calls scheduled on this day (a promise holds its customer until the promised date)' }),
        limit: intParam(1, 5000, 50, 'rows (1-5000)'),
        format: formatParam,
      }),
    },
    responses: tabularResponses('One row per customer, in call order'),
  }),
  async (c) => {
    const q = c.req.valid('query');
    const collector = collectorScope(c, q.collector);
    const r = await c.var.reads.result(
      `select * from call_list where ($1::varchar is null or collector = $1) and ($2::date is null or scheduled_date = $2::date)
       order by rank limit ${q.limit}`,
      [collector ?? null, q.date ?? null],
    );
    return sendTable(c, r, q.format, 'call_list');
  },
);

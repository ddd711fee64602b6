import { createRoute, z } from '@hono/zod-openapi';
import { newRoutes } from '../router.ts';

export const healthRoutes = newRoutes();

healthRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['service'],
    summary: 'Liveness and the build being served (no key needed)',
    responses: {
      200: {
        description: 'The server is up',
        content: {
          'application/json': {
            schema: z.object({
              status: z.enum(['ok', 'no build']),
              build_id: z.string().nullable(),
              as_of: z.string().nullable(),
              finished: z.string().nullable(),
            }),
          },
        },
      },
    },
  }),
  (c) => {
    const b = c.var.api.build;
    return c.json({ status: b.buildId ? ('ok' as const) : ('no build' as const), build_id: b.buildId, as_of: b.asOf, finished: b.finished }, 200);
  },
);

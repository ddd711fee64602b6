import { createRoute, z } from '@hono/zod-openapi';
import { newRoutes } from '../router.ts';

export const healthRoutes = newRoutes();

const Run = z.object({
  run_id: z.string(),
  trigger: z.string(),
  started: z.string(),
  finished: z.string(),
  seconds: z.number(),
  status: z.enum(['published', 'unchanged', 'failed']),
  build_id: z.string().nullable(),
  files_loaded: z.number(),
  rows_loaded: z.string(),
  rows_rejected: z.string(),
  error: z.string().nullable(),
  /** The step running when it failed: ingest, build, score or publish (null: before any, or it did not fail). */
  failed_step: z.string().nullable(),
  steps: z.string(),
});

healthRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['service'],
    summary: 'Liveness, the publication being served and the recent refreshes (no key needed)',
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
              reporting_currency: z.string().nullable(),
              recent_refreshes: z.array(Run),
            }),
          },
        },
      },
    },
  }),
  async (c) => {
    const b = await c.var.reads.publication();
    const runs = b.relations.has('refresh_runs')
      ? await c.var.reads.rows<z.infer<typeof Run>>(
          `select run_id::varchar as run_id, trigger, started::varchar as started, finished::varchar as finished, seconds, status,
             build_id::varchar as build_id, files_loaded, rows_loaded::varchar as rows_loaded, rows_rejected::varchar as rows_rejected,
             error, failed_step, steps::varchar as steps
           from refresh_runs order by run_id desc limit 10`,
        )
      : [];
    return c.json(
      {
        status: b.buildId ? ('ok' as const) : ('no build' as const),
        build_id: b.buildId,
        as_of: b.asOf,
        finished: b.finished,
        reporting_currency: b.reportingCurrency,
        recent_refreshes: runs,
      },
      200,
    );
  },
);

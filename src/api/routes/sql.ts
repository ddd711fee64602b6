import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { errorResponses, keyed } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { runAnalystSql } from '../sql-sandbox.ts';
import { formatParam, sendTable } from '../tabular.ts';

/** `POST /api/sql`: analysts' read-only SQL on the marts, sandboxed and audited. */
export const sqlRoutes = newRoutes();
sqlRoutes.use('*', requireRole(...READERS.analysts));

sqlRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['analysts'],
    summary: 'Runs one read-only query with bound parameters ($1, $2, ...): time limit, row cap, audited',
    security: keyed,
    request: {
      query: z.object({ format: formatParam }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({
              sql: z.string().min(1).max(100_000).openapi({ example: 'select bucket, sum(outstanding_reporting) from ar_aging group by all' }),
              params: z
                .array(z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]))
                .max(100)
                .default([])
                .openapi({ description: 'values for $1, $2, ... in order' }),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'The rows (JSON), or the same rows as a file with ?format=',
        content: {
          'application/json': {
            schema: z.object({
              columns: z.array(z.string()),
              column_types: z.array(z.string()),
              rows: z.array(z.array(z.unknown())),
              row_count: z.number().int(),
              truncated: z.boolean(),
              elapsed_ms: z.number(),
            }),
          },
        },
      },
      ...errorResponses,
      // Without a schema on purpose: it lets the handler answer files as well as typed JSON.
      408: { description: 'The query ran past the time limit and was stopped (problem+json)' },
    },
  }),
  async (c) => {
    const { format } = c.req.valid('query');
    const body = c.req.valid('json');
    const r = await runAnalystSql(c.var.api, c.var.principal!, body.sql, body.params);
    c.header('X-Row-Count', String(r.rowCount));
    c.header('X-Truncated', String(r.truncated));
    if (format !== 'json') return sendTable(c, r.table, format, 'query');
    return c.json(
      {
        columns: r.table.columnNames(),
        column_types: r.table.columnTypes().map((t) => t.toString()),
        rows: r.table.getRowsJson() as unknown[][],
        row_count: r.rowCount,
        truncated: r.truncated,
        elapsed_ms: r.elapsedMs,
      },
      200,
    );
  },
);

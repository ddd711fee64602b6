import type { Context } from 'hono';
import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { errorResponses, keyed } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { truncationNote } from '../capped-rows.ts';
import { runAnalystSql, type SandboxResult } from '../sql-sandbox.ts';
import { formatParam, sendTable, type TabularFormat } from '../tabular.ts';

/** `POST /api/sql`: analysts' read-only SQL on the marts, sandboxed and audited. */
export const sqlRoutes = newRoutes();
sqlRoutes.use('*', requireRole(...READERS.analysts));

sqlRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['analysts'],
    summary: 'Runs one query on the published marts with bound parameters ($1, $2, ...): time limit, row and size caps, audited',
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
              explain: z
                .enum(['plan', 'analyze'])
                .optional()
                .openapi({ description: "answer the query's plan instead of its rows ('analyze' runs it and times each step)" }),
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
              note: z.string().optional().openapi({ description: 'Why the rows stop where they do, when truncated' }),
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
    const lang = /^en\b/i.test(c.req.header('accept-language') ?? '') ? 'en' : 'es';
    const query = { sql: body.sql, params: body.params, explain: body.explain, rowCap: format === 'json' ? c.var.api.sqlRowCap : c.var.api.sqlDownloadRowCap };
    const done = c.var.api.sqlLimits.admit(c.var.principal!.subject);
    try {
      return await runAnalystSql(c.var.api, c.var.principal!, query, (r) => answer(c, r, format, lang));
    } finally {
      done();
    }
  },
);

/** The rows as JSON, or as a file, saying inside when they were cut short. */
async function answer(c: Context, r: SandboxResult, format: TabularFormat, lang: 'es' | 'en'): Promise<Response> {
  const note = r.truncation ? truncationNote(r.truncation, r.rowCount)[lang] : undefined;
  c.header('X-Row-Count', String(r.rowCount));
  c.header('X-Truncated', String(r.truncation !== null));
  if (format !== 'json') return sendTable(c, r.table, format, 'query', {}, note);
  return c.json(
    {
      columns: r.table.columnNames(),
      column_types: r.table.columnTypes().map((t) => t.toString()),
      rows: r.table.getRowsJson() as unknown[][],
      row_count: r.rowCount,
      truncated: r.truncation !== null,
      ...(note ? { note } : {}),
      elapsed_ms: r.elapsedMs,
    },
    200,
  );
}

import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { collectorScope } from '../env.ts';
import { checkReportingCurrency, kpiFilters } from '../params.ts';
import { keyed, tabularResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { formatParam, sendTable } from '../tabular.ts';
import { agingPivotJsonSql, agingPivotSql, bucketLabelsSql, labelBuckets, type PivotKey } from '../aging-pivot.ts';

/** `/api/aging`: open receivables by days past due, one column per bucket, per group. */
export const agingRoutes = newRoutes();
agingRoutes.use('*', requireRole(...READERS.finance), cachedGet);

/** What a row of the pivot is: the columns that identify a group. */
const GROUPS: Record<string, readonly PivotKey[]> = {
  customer: ['customer_id', 'customer_name'],
  segment: ['segment'],
  collector: ['collector'],
  currency: ['currency'],
  country: ['country'],
};

const buckets = z
  .string()
  .default('30,60,90,120')
  .transform((s, ctx) => {
    const bounds = s.split(',').map((x) => Number(x.trim()));
    const ok = bounds.length >= 1 && bounds.length <= 12 && bounds.every((b, i) => Number.isInteger(b) && b > 0 && b <= 3650 && (i === 0 || b > bounds[i - 1]));
    if (!ok) ctx.addIssue({ code: 'custom', message: 'must be 1 to 12 increasing whole numbers of days, e.g. 30,60,90,120' });
    return bounds;
  })
  .openapi({ type: 'string', description: 'upper bounds of the past-due buckets in days, increasing (default 30,60,90,120)' });

agingRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['kpis'],
    summary: 'Aging pivot: open balance (reporting currency) per group, one column per bucket, plus total',
    security: keyed,
    request: {
      query: z.object({
        ...kpiFilters,
        group_by: z.enum(['customer', 'segment', 'collector', 'currency', 'country']).default('customer'),
        basis: z.enum(['due', 'invoice']).default('due').openapi({ description: 'count days from the due date or the invoice date' }),
        buckets,
        format: formatParam,
      }),
    },
    responses: tabularResponses('One row per group, largest total first', { as_of: z.string(), buckets: z.array(z.string()) }),
  }),
  async (c) => {
    const q = c.req.valid('query');
    const api = c.var.api;
    await checkReportingCurrency(c, q.currency);
    const collector = collectorScope(c, q.collector);
    const asOf = q.as_of ?? (await c.var.reads.publication()).asOf ?? new Date().toISOString().slice(0, 10);
    const params = [asOf, q.basis, q.segment ?? null, collector ?? null, q.country ?? null, q.buckets.join(',')];
    const keys = GROUPS[q.group_by];
    const { r, json, labels } = await c.var.reads.snapshot(async (read) => {
      const labels = [...((await read(bucketLabelsSql(q.buckets.length), [q.buckets.join(',')])).getRowsJson()[0][0] as string[]), 'unapplied'];
      if (q.format === 'json') {
        const rows = (await read(agingPivotJsonSql(keys, q.buckets, labels), params)).getRowsJson() as string[][];
        const json = `[${rows.map((row) => row[0]).join(',')}]`;
        return { r: undefined, json, labels };
      }
      const r = await read(agingPivotSql(keys, q.buckets, q.format === 'csv'), params);
      return { r, json: undefined, labels };
    });
    if (json !== undefined) {
      // The rows arrive as JSON text already: joined and wrapped without parsing.
      const head = JSON.stringify({ as_of: asOf, buckets: labels }).slice(0, -1);
      return c.body(`${head},"data":${json}}`, 200, { 'Content-Type': 'application/json' });
    }
    const table = labelBuckets(r!, keys.length, labels);
    return sendTable(c, table, q.format, `aging_by_${q.group_by}`, { as_of: asOf, buckets: labels });
  },
);

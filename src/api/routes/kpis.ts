import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { kpiSource } from '../kpi-source.ts';
import { checkReportingCurrency, isoDate, kpiFilters } from '../params.ts';
import { jsonResponses, keyed, tabularResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { formatParam, sendTable } from '../tabular.ts';

/** `/api/kpis`: the latest month's headline KPIs and their change, and the monthly series. */
export const kpiRoutes = newRoutes();
kpiRoutes.use('*', requireRole(...READERS.finance), cachedGet);

/** The headline KPIs, in the order the CFO dashboard shows them. */
const HEADLINE = ['dso_standard', 'dso_countback', 'best_possible_dso', 'add_days', 'cei_pct', 'overdue_pct', 'ar_end', 'bad_debt_ratio_pct'] as const;

const Metric = z.object({ value: z.string().nullable(), previous: z.string().nullable(), change: z.string().nullable() });

kpiRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['kpis'],
    summary: 'Latest month of the headline KPIs, with the previous month and the change',
    security: keyed,
    request: { query: z.object(kpiFilters) },
    responses: jsonResponses(
      'Headline KPIs of the latest month up to as_of',
      z.object({
        month: z.string().nullable(),
        previous_month: z.string().nullable(),
        source: z.string(),
        metrics: z.record(z.string(), Metric),
      }),
    ),
  }),
  async (c) => {
    const q = c.req.valid('query');
    const api = c.var.api;
    await checkReportingCurrency(c, q.currency);
    const src = kpiSource(c, q);
    const asOf = q.as_of ?? (await c.var.reads.publication()).asOf;
    const cols = HEADLINE.map((m) => `${m}::varchar as ${m}, (lag(${m}) over w)::varchar as ${m}__prev, (${m} - lag(${m}) over w)::varchar as ${m}__chg`);
    const n = src.params.length;
    const rows = await c.var.reads.result(
      `select month::varchar as month, (lag(month) over w)::varchar as previous_month, ${cols.join(', ')}
       from ${src.table} where ${src.where}
       window w as (order by month)
       qualify month <= coalesce(date_trunc('month', $${n + 1}::date), month)
       order by month desc limit 1`,
      [...src.params, asOf],
    );
    const row = (rows.getRowObjectsJson()[0] ?? {}) as Record<string, string | null>;
    const metrics = Object.fromEntries(
      HEADLINE.map((m) => [m, { value: row[m] ?? null, previous: row[`${m}__prev`] ?? null, change: row[`${m}__chg`] ?? null }]),
    );
    return c.json({ month: row.month ?? null, previous_month: row.previous_month ?? null, source: src.table, metrics }, 200);
  },
);

kpiRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/monthly',
    tags: ['kpis'],
    summary: 'Every KPI per month (kpi_monthly, or its per-segment/collector/country table when filtered)',
    security: keyed,
    request: {
      query: z.object({
        ...kpiFilters,
        from: isoDate.optional().openapi({ description: 'first month (inclusive)' }),
        format: formatParam,
      }),
    },
    responses: tabularResponses('One row per month, oldest first'),
  }),
  async (c) => {
    const q = c.req.valid('query');
    const api = c.var.api;
    await checkReportingCurrency(c, q.currency);
    const src = kpiSource(c, q);
    const n = src.params.length;
    const r = await c.var.reads.result(
      `select * from ${src.table} where ${src.where}
         and month <= coalesce(date_trunc('month', $${n + 1}::date), month)
         and month >= coalesce(date_trunc('month', $${n + 2}::date), month)
       order by month`,
      [...src.params, q.as_of ?? null, q.from ?? null],
    );
    return sendTable(c, r, q.format, 'kpi_monthly');
  },
);

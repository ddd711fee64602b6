import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../api/auth.ts';
import { collectorScope } from '../api/env.ts';
import { isoDate, kpiFilters } from '../api/params.ts';
import { forbidden } from '../api/problem.ts';
import { errorResponses, keyed } from '../api/responses.ts';
import { newRoutes } from '../api/router.ts';
import type { Query } from '../dashboards/run.ts';
import { parseLocale } from '../statements/index.ts';
import { parseReportCurrency, readAged } from './aged.ts';
import { agedJson } from './aged-json.ts';
import { layoutAged } from './aged-layout.ts';
import { agedPdf } from './aged-pdf.ts';
import { agedXlsx } from './aged-xlsx.ts';
import { agedFileName, packFileName } from './file-names.ts';
import { REPORT_LABELS } from './labels.ts';
import { readPack } from './pack-data.ts';
import { layoutPack } from './pack-layout.ts';
import { packPdf } from './pack-pdf.ts';

/**
 * `/api/reports`: the CFO's month-end reports, the aged receivables report (JSON, XLSX, PDF) and
 * the month-end pack (PDF). Mounted by the web shell beside the dashboards whose panels the pack prints.
 */
export const reportRoutes = newRoutes();
reportRoutes.use('*', requireRole(...READERS.finance));

const locale = z
  .string()
  .min(2)
  .max(35)
  .default('es-MX')
  .openapi({ description: 'language and number formats of the labels and figures: es-MX (default), es-CO, es-CL, en-US...' });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const binary = z.string().openapi({ format: 'binary' });

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/aged-receivables',
    tags: ['kpis'],
    summary: 'Aged receivables report (antigüedad de saldos): customers by aging bucket with totals, as of a date',
    description:
      "Open balances at the as-of from the models' aging (build basis and buckets), one row per customer and currency, " +
      "one amount per bucket and the total, and a totals row per currency. currency=XXX reports every amount in XXX at the models' " +
      "rate of the as-of (default: the reporting currency); currency=document keeps each document's currency, grouped and totalled " +
      'per currency. A collector-scoped sign-in sees its own customers only.',
    security: keyed,
    request: {
      query: z.object({
        ...kpiFilters,
        currency: z.string().min(3).max(8).optional().openapi({ description: "a 3-letter currency to report in (default: the reporting currency) or 'document'" }),
        format: z.enum(['json', 'xlsx', 'pdf']).default('json'),
        locale,
      }),
    },
    responses: {
      200: {
        description: 'The report',
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()) }, [XLSX]: { schema: binary }, 'application/pdf': { schema: binary } },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const loc = parseLocale(q.locale);
    const query: Query = (sql, params) => c.var.reads.result(sql, params);
    const report = await readAged(query, {
      asOf: q.as_of,
      currency: q.currency === undefined ? undefined : parseReportCurrency(q.currency),
      segment: q.segment,
      country: q.country,
      collector: collectorScope(c, q.collector),
    });
    if (q.format === 'json') return c.json(agedJson(report));
    const file = q.format === 'xlsx' ? await agedXlsx(report, loc) : await agedPdf(layoutAged(report, loc), REPORT_LABELS[loc.lang].page, new Date(`${report.asOf}T00:00:00Z`));
    return c.body(new Uint8Array(file), 200, {
      'Content-Type': q.format === 'xlsx' ? XLSX : 'application/pdf',
      'Content-Disposition': `attachment; filename="${agedFileName(report.asOf, q.format)}"`,
    });
  },
);

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/pack',
    tags: ['kpis'],
    summary: "The CFO's month-end pack as one PDF: KPIs, aged receivables, provision matrix, 13-week cash forecast",
    description:
      "The CFO page's KPI, provision and forecast panels for the as-of (resolved as the page resolves it: a date inside a month " +
      'shows the month end before it) and the aged receivables report at that date, in the locale asked for. Whole-portfolio: ' +
      'a collector-scoped sign-in is refused.',
    security: keyed,
    request: { query: z.object({ as_of: isoDate.optional(), currency: kpiFilters.currency, locale }) },
    responses: { 200: { description: 'The pack', content: { 'application/pdf': { schema: binary } } }, ...errorResponses },
  }),
  async (c) => {
    const q = c.req.valid('query');
    if (c.var.principal?.collector) throw forbidden('the month-end pack covers the whole portfolio; this sign-in covers one collector');
    const loc = parseLocale(q.locale);
    const data = await readPack((sql, params) => c.var.reads.result(sql, params), { asOf: q.as_of, currency: q.currency?.toUpperCase() });
    const pdf = await packPdf(layoutPack(data, loc), new Date(`${data.asOf}T00:00:00Z`));
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${packFileName(data.asOf)}"`,
    });
  },
);

import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { isoDate } from '../params.ts';
import { notFound } from '../problem.ts';
import { errorResponses, keyed, problemResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { PLAIN_PAGE_CSP } from '../security-headers.ts';
import {
  companyPath,
  customerLocale,
  layoutStatement,
  loadCompany,
  parseLocale,
  readStatement,
  statementAsOf,
  statementFileName,
  statementHtml,
  statementPdf,
  type Read,
} from '../../statements/index.ts';

/**
 * `/api/customers/:id/statement`: a customer's statement of account as a printable page or a PDF.
 * Not cached by publication like the marts' endpoints: the company file beside the warehouse may
 * change between publications, and a statement is read and drawn in milliseconds.
 */
export const statementRoutes = newRoutes();
statementRoutes.use('/:id/statement', requireRole(...READERS.customers));

statementRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/statement',
    tags: ['collections'],
    summary: "A customer's statement of account (estado de cuenta) as of a date, as a printable HTML page or a PDF",
    description:
      'The company (company.yaml beside the warehouse), the customer, its open items with aging bucket and days past due, ' +
      'the payments and credits of the last 90 days and the balance, one section per currency. ' +
      "A collector-scoped sign-in sees only its own customers; another's answers 404.",
    security: keyed,
    request: {
      params: z.object({ id: z.string().min(1).max(200) }),
      query: z.object({
        as_of: isoDate.optional().openapi({ description: "the statement's date, on or before the data's as-of (default: the data's as-of)" }),
        format: z.enum(['html', 'pdf']).default('html').openapi({ description: 'html (a standalone printable page) or pdf' }),
        locale: z.string().min(2).max(35).optional().openapi({ description: "language and formats: es-MX, es-CO, en-US... (default: by the customer's country)" }),
      }),
    },
    responses: {
      200: {
        description: 'The statement',
        content: { 'text/html': { schema: z.string() }, 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
      },
      ...errorResponses,
      ...problemResponses({ 404: 'No customer with this id (or not one of the collector this sign-in covers)' }),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const locale = q.locale === undefined ? undefined : parseLocale(q.locale);
    const read: Read = (sql, params) => c.var.reads.rows(sql, params);
    const asOf = await statementAsOf(read, q.as_of);
    const data = await readStatement(read, id, asOf);
    const own = c.var.principal?.collector;
    // Another collector's customer answers as one that does not exist, as GET /api/customers/:id does.
    if (!data || (own && data.customer.collector !== own)) throw notFound(`no customer with id '${id}'`);
    const layout = layoutStatement(data, locale ?? customerLocale(data.customer.country), loadCompany(companyPath(c.var.api.wh.path)));
    if (q.format === 'pdf') {
      const pdf = await statementPdf(layout, new Date(`${asOf}T00:00:00Z`));
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${statementFileName(id, asOf)}"`,
      });
    }
    return c.html(statementHtml(layout), 200, { 'Content-Security-Policy': PLAIN_PAGE_CSP });
  },
);

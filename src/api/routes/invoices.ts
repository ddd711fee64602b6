import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { collectorScope } from '../env.ts';
import { intParam, isoDate } from '../params.ts';
import { keyed, tabularResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { formatParam, sendTable } from '../tabular.ts';

/** `/api/invoices`: invoices (fct_invoices) with filters, sorting and cursor paging. */
export const invoiceRoutes = newRoutes();
invoiceRoutes.use('*', requireRole(...READERS.collections), cachedGet);

/**
 * Sortable columns and how a null sorts: keyset paging compares (key, invoice_id) tuples, which
 * needs a total order, so nulls are mapped to a value past every real one.
 */
const SORT_KEYS = {
  invoice_date: { expr: `coalesce(invoice_date, date '9999-12-31')`, cast: 'date' },
  due_date: { expr: `coalesce(due_date, date '9999-12-31')`, cast: 'date' },
  amount: { expr: `coalesce(amount_reporting, 1e30::decimal(38,2))`, cast: 'decimal(38,2)' },
  outstanding: { expr: `coalesce(outstanding_reporting, 1e30::decimal(38,2))`, cast: 'decimal(38,2)' },
  days_past_due: { expr: `coalesce(days_past_due, 2147483647)`, cast: 'integer' },
  invoice_id: { expr: `invoice_id`, cast: 'varchar' },
} as const;
type SortKey = keyof typeof SORT_KEYS;

const opt = (description: string) => z.string().min(1).max(200).optional().openapi({ description });

invoiceRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['collections'],
    summary: 'Invoices with filters, sorting and cursor pagination',
    security: keyed,
    request: {
      query: z.object({
        customer_id: opt('one customer'),
        status: opt('status, e.g. open, paid'),
        bucket: opt('aging bucket, e.g. 31-60'),
        collector: opt('collector (a collector-scoped key sees only its own)'),
        segment: opt('customer segment'),
        currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code').optional().openapi({ description: 'invoice currency' }),
        from: isoDate.optional().openapi({ description: 'invoice_date on or after' }),
        to: isoDate.optional().openapi({ description: 'invoice_date on or before' }),
        sort: z.enum(Object.keys(SORT_KEYS) as [SortKey, ...SortKey[]]).default('due_date'),
        order: z.enum(['asc', 'desc']).default('asc'),
        limit: intParam(1, 5000, 100, 'rows per page (1-5000)'),
        cursor: z.string().max(2000).optional().openapi({ description: 'next_cursor of the previous page' }),
        format: formatParam,
      }),
    },
    responses: tabularResponses('One row per invoice', { next_cursor: z.string().nullable() }),
  }),
  async (c) => {
    const q = c.req.valid('query');
    const collector = collectorScope(c, q.collector);
    const key = SORT_KEYS[q.sort];
    const after = q.cursor ? decodeCursor(q.cursor, q.sort, q.order) : null;
    const cmp = q.order === 'asc' ? '>' : '<';
    // Every value is bound; sort expressions and direction come from the fixed table above.
    const r = await c.var.reads.result(
      `select *, ${key.expr}::varchar as __key from fct_invoices
       where ($1::varchar is null or customer_id = $1) and ($2::varchar is null or status = $2)
         and ($3::varchar is null or bucket = $3) and ($4::varchar is null or collector = $4)
         and ($5::varchar is null or segment = $5) and ($6::varchar is null or currency = upper($6))
         and ($7::date is null or invoice_date >= $7) and ($8::date is null or invoice_date <= $8)
         and ($9::varchar is null or (${key.expr}, invoice_id) ${cmp} ($9::${key.cast}, $10::varchar))
       order by ${key.expr} ${q.order}, invoice_id ${q.order}
       limit ${q.limit + 1}`,
      [q.customer_id, q.status, q.bucket, collector, q.segment, q.currency, q.from, q.to, after?.value, after?.id].map((v) => v ?? null),
    );
    const rows = r.getRowObjectsJson();
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const next_cursor =
      more && last ? encodeCursor({ sort: q.sort, order: q.order, value: last.__key as string, id: last.invoice_id as string }) : null;
    const names = r.columnNames().slice(0, -1);
    const types = r.columnTypes().slice(0, -1);
    const table = {
      columnNames: () => names,
      columnTypes: () => types,
      getRowsJson: () => (r.getRowsJson() as unknown[][]).slice(0, q.limit).map((row) => row.slice(0, -1)) as never,
      getRowObjectsJson: () => page.map(({ __key: _k, ...rest }) => rest) as never,
    };
    return sendTable(c, table, q.format, 'invoices', { next_cursor });
  },
);

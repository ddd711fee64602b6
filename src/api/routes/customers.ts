import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { DuckDBResultReader } from '@duckdb/node-api';
import { READERS, requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { collectorScope, type ApiEnv } from '../env.ts';
import { intParam } from '../params.ts';
import { NO_CUSTOMER, notFound } from '../problem.ts';
import { jsonResponses, keyed, tabularResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { formatParam, sendTable } from '../tabular.ts';

/** `/api/customers`: the customer dimension and one customer (the CFO may search and open them too, issue 20). */
export const customerRoutes = newRoutes();
customerRoutes.use('*', requireRole(...READERS.customers), cachedGet);

const SORTS = ['overdue_balance', 'open_balance', 'name', 'customer_id', 'credit_limit'] as const;
const opt = (description: string) => z.string().min(1).max(200).optional().openapi({ description });

/** A tax id (or the search text) as compared: upper case, without accents, only letters and digits ('860.911.701-1' -> '8609117011'). */
const TAX_ID_OF = (sql: string) => `regexp_replace(upper(strip_accents(coalesce(${sql}, ''))), '[^0-9A-Z]', '', 'g')`;

/** With q and no sort: an exact customer or tax id first, then names that start with the text, then the rest; by name within. */
const BEST_MATCH = `case
    when lower(customer_id) = lower($1) or (${TAX_ID_OF('$1')} <> '' and ${TAX_ID_OF('tax_id')} = ${TAX_ID_OF('$1')}) then 0
    when starts_with(strip_accents(lower(name)), strip_accents(lower($1))) then 1
    else 2
  end, name, customer_id`;

customerRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['collections'],
    summary: 'Customers (dim_customers) with filters and paging; q searches name, id and tax id',
    security: keyed,
    request: {
      query: z.object({
        q: opt("part of the name (accents and case ignored), of the customer id (case ignored) or of the tax id (RFC, NIT, RUT...: case and separators ignored); matched as written, '%' and '_' included"),
        segment: opt('customer segment'),
        collector: opt('collector (a collector-scoped key sees only its own)'),
        country: opt('country'),
        behaviour_segment: opt('payment behaviour segment'),
        value_tier: opt('value tier'),
        portfolio_stage: opt('portfolio stage'),
        sort: z.enum(SORTS).optional().openapi({ description: 'default overdue_balance; with q, the best match first (exact id or tax id, then names that start with it), then by name' }),
        order: z.enum(['asc', 'desc']).default('desc'),
        limit: intParam(1, 1000, 100, 'rows per page (1-1000)'),
        offset: intParam(0, 10_000_000, 0, 'rows to skip'),
        format: formatParam,
      }),
    },
    responses: tabularResponses('One row per customer', { total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
  }),
  async (c) => {
    const q = c.req.valid('query');
    const collector = collectorScope(c, q.collector);
    const where = `($1::varchar is null or contains(strip_accents(lower(name)), strip_accents(lower($1)))
        or contains(lower(customer_id), lower($1)) or (${TAX_ID_OF('$1')} <> '' and contains(${TAX_ID_OF('tax_id')}, ${TAX_ID_OF('$1')})))
      and ($2::varchar is null or segment = $2) and ($3::varchar is null or collector = $3)
      and ($4::varchar is null or country = $4) and ($5::varchar is null or behaviour_segment = $5)
      and ($6::varchar is null or value_tier = $6) and ($7::varchar is null or portfolio_stage = $7)`;
    const params = [q.q, q.segment, collector, q.country, q.behaviour_segment, q.value_tier, q.portfolio_stage].map((v) => v ?? null);
    const { r, total } = await c.var.reads.snapshot(async (read) => {
      const total = Number((await read(`select count(*) from dim_customers where ${where}`, params)).getRowsJson()[0][0]);
      // sort and order are enum values, safe to place in the text; the search text stays a parameter ($1).
      const order = q.sort === undefined && q.q !== undefined ? BEST_MATCH : `${q.sort ?? 'overdue_balance'} ${q.order} nulls last, customer_id`;
      const r = await read(`select * from dim_customers where ${where} order by ${order} limit ${q.limit} offset ${q.offset}`, params);
      return { r, total };
    });
    return sendTable(c, r, q.format, 'customers', { total, limit: q.limit, offset: q.offset });
  },
);

/** Rows of one optional mart for a customer; a mart the build does not have reads as empty. */
async function rowsFor(c: Context<ApiEnv>, read: (sql: string, p: string[]) => Promise<DuckDBResultReader>, table: string, sql: string, id: string) {
  if (!(await c.var.reads.publication()).relations.has(table)) return [];
  return (await read(sql, [id])).getRowObjectsJson();
}

customerRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['collections'],
    summary: "A customer's statement: the customer, open items, payments, promises, activities and risk scores",
    security: keyed,
    request: { params: z.object({ id: z.string().min(1).max(200) }) },
    responses: jsonResponses(
      'The statement',
      z.object({
        customer: z.record(z.string(), z.unknown()),
        open_items: z.array(z.record(z.string(), z.unknown())),
        payments: z.array(z.record(z.string(), z.unknown())),
        promises: z.array(z.record(z.string(), z.unknown())),
        activities: z.array(z.record(z.string(), z.unknown())),
        disputes: z.array(z.record(z.string(), z.unknown())),
        risk_scores: z.array(z.record(z.string(), z.unknown())),
        counts: z
          .object({ open_items: z.number().int(), payments: z.number().int(), promises: z.number().int(), activities: z.number().int(), disputes: z.number().int() })
          .openapi({ description: 'How many rows each list has in all: payments are the newest 500, promises, activities and disputes the newest 200' }),
      }),
    ),
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const own = c.var.principal?.collector;
    const statement = await c.var.reads.snapshot(async (read) => {
      const customer = (await read(`select * from dim_customers where customer_id = $1`, [id])).getRowObjectsJson()[0];
      // Another collector's customer answers as one that does not exist: a scoped key learns nothing about ids outside its portfolio.
      if (!customer || (own && customer.collector !== own)) throw notFound(NO_CUSTOMER(id));
      const of = (table: string, sql: string) => rowsFor(c, read, table, sql, id);
      const count = async (table: string) => Number((await of(table, `select count(*) as n from ${table} where customer_id = $1`))[0]?.n ?? 0);
      const open_items = await of('fct_invoices', `select * from fct_invoices where customer_id = $1 and outstanding <> 0 order by due_date, invoice_id`);
      return {
        customer,
        open_items,
        payments: await of('fct_payments', `select * from fct_payments where customer_id = $1 order by payment_date desc, payment_id limit 500`),
        promises: await of('fct_promises', `select * from fct_promises where customer_id = $1 order by promise_date desc, promise_id limit 200`),
        activities: await of('fct_activities', `select * from fct_activities where customer_id = $1 order by activity_date desc, activity_id limit 200`),
        disputes: await of('fct_disputes', `select * from fct_disputes where customer_id = $1 order by opened_date desc, dispute_id limit 200`),
        risk_scores: await of(
          'risk_scores',
          `select * from risk_scores where customer_id = $1 order by probability desc, invoice_id`,
        ),
        counts: {
          open_items: open_items.length,
          payments: await count('fct_payments'),
          promises: await count('fct_promises'),
          activities: await count('fct_activities'),
          disputes: await count('fct_disputes'),
        },
      };
    });
    return c.json(statement, 200);
  },
);

import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { collectorScope } from '../env.ts';
import { jsonResponses, keyed } from '../responses.ts';
import { newRoutes } from '../router.ts';

/** `/api/collector-numbers`: a collector's own month: contacts, promises made and kept, cash collected. */
export const collectorNumberRoutes = newRoutes();
collectorNumberRoutes.use('*', requireRole(...READERS.collections), cachedGet);

/** Each mart the numbers read, and an empty stand-in of the same shape for a build without it (an invoices-only export). */
const SOURCES = {
  fct_activities: ['select customer_id, collector, activity_date, reached from fct_activities', 'select null::varchar as customer_id, null::varchar as collector, null::date as activity_date, null::boolean as reached where false'],
  fct_promises: ['select customer_id, collector, promise_date, status from fct_promises', 'select null::varchar as customer_id, null::varchar as collector, null::date as promise_date, null::varchar as status where false'],
  fct_payments: ['select customer_id, payment_date, currency, amount, is_write_off from fct_payments', 'select null::varchar as customer_id, null::date as payment_date, null::varchar as currency, null::decimal(18, 2) as amount, null::boolean as is_write_off where false'],
} as const;

/**
 * The month's numbers ($1 collector or null for everyone, $2 the month's first day):
 *   contacts       = activities in the month (contacts_reached: those that reached the customer)
 *   promises_made  = promises made in the month; promises_kept / _broken / _pending: their status as of the build
 *   collected      = cash (not write-offs) received in the month from the customers worked in the month (contacted or
 *                    promised), per payment currency: amounts in different currencies are never added up
 */
const numbersSql = (from: Record<keyof typeof SOURCES, string>) => `
  with period as (select $2::date as first_day, last_day($2::date) as last_day),
  activities as (
      select a.customer_id, a.reached from (${from.fct_activities}) as a, period
      where a.activity_date between period.first_day and period.last_day and ($1::varchar is null or a.collector = $1)
  ),
  promises as (
      select p.customer_id, p.status from (${from.fct_promises}) as p, period
      where p.promise_date between period.first_day and period.last_day and ($1::varchar is null or p.collector = $1)
  ),
  worked as (select customer_id from activities union select customer_id from promises),
  collected as (
      select y.currency, sum(y.amount)::decimal(18, 2) as amount from (${from.fct_payments}) as y, period
      where y.payment_date between period.first_day and period.last_day and not coalesce(y.is_write_off, false)
        and y.customer_id in (select customer_id from worked)
      group by y.currency
  )
  select
      strftime((select first_day from period), '%Y-%m') as month,
      (select first_day from period)::varchar as "from",
      (select last_day from period)::varchar as "to",
      (select count(*) from activities)::integer as contacts,
      (select count(*) filter (where reached) from activities)::integer as contacts_reached,
      (select count(*) from promises)::integer as promises_made,
      (select count(*) filter (where status = 'kept') from promises)::integer as promises_kept,
      (select count(*) filter (where status = 'broken') from promises)::integer as promises_broken,
      (select count(*) filter (where status = 'pending') from promises)::integer as promises_pending,
      (select count(*) from worked)::integer as customers_worked,
      coalesce((select list({'currency': currency, 'amount': amount} order by currency) from collected), []) as collected`;

const Numbers = z.object({
  collector: z.string().nullable(),
  month: z.string(),
  from: z.string(),
  to: z.string(),
  contacts: z.number().int(),
  contacts_reached: z.number().int(),
  promises_made: z.number().int(),
  promises_kept: z.number().int(),
  promises_broken: z.number().int(),
  promises_pending: z.number().int(),
  customers_worked: z.number().int(),
  collected: z.array(z.object({ currency: z.string(), amount: z.string() })),
});

collectorNumberRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['collections'],
    summary: "A collector's month: contacts, promises made and kept, and the cash collected from the customers worked",
    security: keyed,
    request: {
      query: z.object({
        collector: z.string().min(1).max(200).optional().openapi({ description: "one collector (a collector-scoped sign-in sees only its own); without it, the whole team" }),
        month: z
          .string()
          .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
          .optional()
          .openapi({ description: "the month (default: the month of the build's as-of date)" }),
      }),
    },
    responses: jsonResponses("The month's numbers; money per currency, as decimal strings", Numbers),
  }),
  async (c) => {
    const q = c.req.valid('query');
    const collector = collectorScope(c, q.collector) ?? null;
    const pub = await c.var.reads.publication();
    const month = q.month ?? (pub.asOf ?? new Date().toISOString()).slice(0, 7);
    const from = Object.fromEntries(
      Object.entries(SOURCES).map(([mart, [present, absent]]) => [mart, pub.relations.has(mart) ? present : absent]),
    ) as Record<keyof typeof SOURCES, string>;
    const [row] = (await c.var.reads.result(numbersSql(from), [collector, `${month}-01`])).getRowObjectsJson();
    return c.json(Numbers.parse({ collector, ...row }), 200);
  },
);

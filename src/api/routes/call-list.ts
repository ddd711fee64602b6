import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { READERS, requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { collectorScope, type ApiEnv } from '../env.ts';
import { intParam, isoDate } from '../params.ts';
import { keyed, tabularResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { formatsFor } from '../../locale/formats.ts';
import { describeReasons } from '../../locale/reasons.ts';
import { requestLocale } from '../request-locale.ts';
import { formatParam, sendTable, withTextColumn, type TableLike } from '../tabular.ts';

/** `/api/call-list`: whom to call first, as the risk step ranked them; with `?queue=`, one collector's day. */
export const callListRoutes = newRoutes();
callListRoutes.use('*', requireRole(...READERS.collections), cachedGet);

/** The three queues of the collections page. */
export const QUEUES = ['today', 'legal', 'disputes'] as const;
export type Queue = (typeof QUEUES)[number];

/**
 * Which call-list rows each queue holds ($2 the queue, $3 the day):
 * - today: the calls scheduled on the day, without the accounts handed to legal and those whose
 *   only debt is disputed (those are not called daily: they have queues of their own);
 * - legal: every account in the legal stage, whatever its day;
 * - disputes: every account with a disputed invoice (to resolve the dispute, not chase the payment).
 */
const QUEUE_SQL = `
  with listed as (
      select * from call_list
      where ($1::varchar is null or collector = $1)
        and case $2::varchar
              when 'today' then scheduled_date = $3::date and suggested_action not in ('legal', 'resolve_dispute')
              when 'legal' then suggested_action = 'legal'
              else has_dispute
            end
  ),
  -- Open and overdue balance in each invoice currency: amounts in different currencies are never added up.
  balances as (
      select customer_id, currency,
          sum(outstanding)::decimal(18, 2) as open,
          coalesce(sum(outstanding) filter (where days_past_due > 0), 0)::decimal(18, 2) as overdue
      from fct_invoices
      where outstanding > 0 and customer_id in (select customer_id from listed)
      group by customer_id, currency
  ),
  -- The open promise on its date in each currency promised (open_promise_amount is their sum in the reporting currency).
  promised as (
      select p.customer_id, p.currency, sum(p.amount)::decimal(18, 2) as amount
      from fct_promises as p
      join listed on listed.customer_id = p.customer_id and p.promised_date = listed.open_promise_date
      where p.status in ('open', 'pending')
      group by p.customer_id, p.currency
  )
  select
      listed.* replace (row_number() over (order by listed.rank)::integer as rank),
      listed.rank as list_rank,
      (select list({'currency': b.currency, 'open': b.open, 'overdue': b.overdue} order by b.currency)
       from balances as b where b.customer_id = listed.customer_id) as balances,
      (select list({'currency': p.currency, 'amount': p.amount} order by p.currency)
       from promised as p where p.customer_id = listed.customer_id) as promises
  from listed
  order by rank`;

/**
 * The rows with `reasons_text`: their reasons (codes and values) in the words and formats of the
 * request's locale (English when it asks for none), amounts in the reporting currency.
 */
async function withReasonWords(c: Context<ApiEnv>, t: TableLike): Promise<TableLike> {
  const f = formatsFor(requestLocale(c) ?? 'en-US');
  const currency = (await c.var.reads.publication()).reportingCurrency ?? 'MXN';
  return withTextColumn(t, 'reasons_text', (r) => describeReasons(f, r.reasons as string, r.reason_values as number[], currency));
}

callListRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['collections'],
    summary: "Today's call list, best first (call_list); with ?queue=, one of the collections page's queues",
    security: keyed,
    request: {
      query: z.object({
        collector: z.string().min(1).max(200).optional().openapi({ description: 'one collector (a collector-scoped key sees only its own)' }),
        date: isoDate.optional().openapi({
          description: "only the calls scheduled on this day (a promise holds its customer until the promised date); with queue=today the default is the call list's as-of",
        }),
        queue: z.enum(QUEUES).optional().openapi({
          description:
            "today: the day's calls without legal and dispute-only accounts; legal: accounts in the legal stage; disputes: accounts with a disputed invoice. " +
            'rank is then contiguous within the queue (list_rank keeps the whole list\'s rank), balances gives the open and overdue balance per invoice currency ' +
            'and promises the open promise per currency promised (open_promise_amount is in the reporting currency)',
        }),
        limit: intParam(1, 5000, 50, 'rows (1-5000)'),
        format: formatParam,
      }),
    },
    responses: tabularResponses('One row per customer, in call order', {
      queue: z.enum(QUEUES).optional(),
      date: z.string().nullable().optional(),
      as_of: z.string().nullable().optional(),
    }),
  }),
  async (c) => {
    const q = c.req.valid('query');
    const collector = collectorScope(c, q.collector);
    if (q.queue === undefined) {
      const r = await c.var.reads.result(
        `select * from call_list where ($1::varchar is null or collector = $1) and ($2::date is null or scheduled_date = $2::date)
         order by rank limit ${q.limit}`,
        [collector ?? null, q.date ?? null],
      );
      return sendTable(c, await withReasonWords(c, r), q.format, 'call_list');
    }
    const asOf = (await c.var.reads.publication()).asOf ?? null;
    const date = q.queue === 'today' ? (q.date ?? asOf) : null;
    // limit is a validated integer, safe to place in the text.
    const r = await c.var.reads.result(`${QUEUE_SQL} limit ${q.limit}`, [collector ?? null, q.queue, date]);
    return sendTable(c, await withReasonWords(c, r), q.format, `queue_${q.queue}`, { queue: q.queue, date, as_of: asOf });
  },
);

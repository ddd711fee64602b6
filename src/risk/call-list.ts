import type { Warehouse } from '../db/warehouse.ts';
import { targetSchema } from './target-schema.ts';
import { ACTIONS } from './actions.ts';
import { dataAsOf } from './as-of.ts';
import { bandSql } from './bands.ts';
import { prepareSources } from './sources.ts';
import { riskSql } from './sql.ts';

/** Calls one collector can make in a day unless told otherwise. */
export const DEFAULT_CAPACITY = 40;

/** The call_list columns, in order (the exports use this order too). */
export const CALL_LIST_COLUMNS = [
  'rank', 'customer_id', 'customer_name', 'email', 'phone', 'collector', 'open_balance', 'overdue_balance',
  'oldest_days_past_due', 'risk_band', 'max_probability', 'amount_at_risk', 'priority_score', 'reasons', 'reason_values',
  'last_activity_date', 'last_activity_channel', 'last_activity_outcome', 'open_promise_date', 'open_promise_amount',
  'suggested_action', 'suggested_action_es', 'suggested_action_en', 'has_dispute', 'disputed_amount', 'invoices',
  'scheduled_date', 'as_of',
] as const;

export interface BuildCallListOptions {
  asOf?: string;
  /** Calls per collector per day (default 40). */
  capacity?: number;
  /** Schema to write `call_list` into, beside its `risk_scores` (default `main`). */
  into?: string;
}

const DAY_MS = 86_400_000;
const toDay = (iso: string) => Math.round(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS);
const fromDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Gives each customer, in priority order, the first day on or after its earliest allowed date
 * on which its collector still has capacity. An `uncounted` account (handed to legal, or only
 * disputed debt: not called daily) keeps its earliest date and takes no capacity. Pure, so the
 * rule is easy to test.
 */
export function schedule(
  rows: { customer_id: string; collector: string; earliest_date: string; uncounted?: boolean }[],
  capacity: number,
): Map<string, string> {
  if (!(capacity >= 1)) throw new Error('call list: capacity must be at least 1');
  const booked = new Map<string, Map<number, number>>();
  // Every day before a collector's first open day is full: searches start there, not at day one.
  const firstOpen = new Map<string, number>();
  const out = new Map<string, string>();
  // A loop, not Math.min(...): spreading a few hundred thousand customers overflows the stack.
  let start = Infinity;
  for (const r of rows) start = Math.min(start, toDay(r.earliest_date));
  for (const r of rows) {
    if (r.uncounted) {
      out.set(r.customer_id, r.earliest_date.slice(0, 10));
      continue;
    }
    const days = booked.get(r.collector) ?? new Map<number, number>();
    booked.set(r.collector, days);
    let open = firstOpen.get(r.collector) ?? start;
    let day = Math.max(toDay(r.earliest_date), open);
    while ((days.get(day) ?? 0) >= capacity) day++;
    days.set(day, (days.get(day) ?? 0) + 1);
    while ((days.get(open) ?? 0) >= capacity) open++;
    firstOpen.set(r.collector, open);
    out.set(r.customer_id, fromDay(day));
  }
  return out;
}

/**
 * Rebuilds table `call_list` for a date from `risk_scores` of that date (run scoring first):
 * one row per customer, ranked by priority, each scheduled within its collector's capacity.
 * Returns the number of rows.
 */
export async function buildCallList(wh: Warehouse, opts: BuildCallListOptions = {}): Promise<number> {
  const asOf = opts.asOf ?? (await dataAsOf(wh));
  const capacity = opts.capacity ?? DEFAULT_CAPACITY;
  await prepareSources(wh);
  await wh.run(`create or replace temp table risk_call_candidates as ${riskSql('call_candidates.sql')}`, { as_of: asOf });
  const rows = await wh.all<{ customer_id: string; collector: string; earliest_date: string; uncounted: boolean }>(
    `select customer_id, collector, earliest_date, suggested_action in ('legal', 'resolve_dispute') as uncounted
       from risk_call_candidates order by priority_score desc, customer_id`,
  );
  const days = schedule(rows, capacity);
  await wh.run(`create or replace temp table risk_call_schedule (customer_id varchar, rank integer, scheduled_date date)`);
  const app = await wh.conn.createAppender('risk_call_schedule', 'main', 'temp');
  rows.forEach((r, i) => {
    app.appendVarchar(r.customer_id);
    app.appendInteger(i + 1);
    app.appendVarchar(days.get(r.customer_id)!);
    app.endRow();
  });
  app.closeSync();
  const actions = Object.entries(ACTIONS).map(([k, v]) => `('${k}', '${v.es.replace(/'/g, "''")}', '${v.en.replace(/'/g, "''")}')`).join(', ');
  await wh.run(
    // Replaced whole: the list is always today's plan, and readers never see it half built.
    `create or replace table ${targetSchema(opts.into)}.call_list as
     with labels(action, es, en) as (values ${actions}),
     reasons as (
       -- The reasons of the customer's riskiest invoice.
       select s.customer_id, arg_max({'codes': s.reasons, 'values': s.reason_values}, s.probability) as top
       from ${targetSchema(opts.into)}.risk_scores s where s.as_of = $as_of::date group by s.customer_id
     )
     select s.rank, c.customer_id, c.customer_name, c.email, c.phone, c.collector, c.open_balance, c.overdue_balance,
       c.oldest_days_past_due,
       ${bandSql('c.max_probability')} as risk_band,
       c.max_probability, c.amount_at_risk, c.priority_score, r.top.codes as reasons, r.top.values as reason_values,
       c.last_activity_date, c.last_activity_channel, c.last_activity_outcome, c.open_promise_date, c.open_promise_amount,
       c.suggested_action, l.es as suggested_action_es, l.en as suggested_action_en, c.has_dispute, c.disputed_amount,
       c.invoices, s.scheduled_date, $as_of::date as as_of
     from risk_call_candidates c
     join risk_call_schedule s using (customer_id)
     left join reasons r using (customer_id)
     left join labels l on l.action = c.suggested_action
     order by s.rank`,
    { as_of: asOf },
  );
  return rows.length;
}

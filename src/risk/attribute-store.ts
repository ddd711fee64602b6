import { createHash } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
import { atomically } from './atomically.ts';
import { buildAttributeFeatures, COUNTS_SQL, countOutcomes, encodeAttributes, TARGETS_UNTIL, writeSpec, type AttributeFeature } from './attributes.ts';
import { changedCustomersSql, firstDifferentDay } from './digest.ts';
import { SOURCES_DEFINITION } from './sources.ts';
import { riskSql } from './sql.ts';

/**
 * The attribute encodings' counts, kept from one training to the next (tables in `main`, which no analyst reads).
 * A category is encoded from the outcomes known each day per value (sql/risk/attribute_daily.sql): the count of a
 * day stays right while no fact of that day or before changes, so a retraining counts the days after the first
 * change and reads the rest, instead of joining every outcome of the history to its attributes.
 *
 * - `risk_attribute_store_counts`: (late_days, entity, attribute, value, known_on, n, n_late) per value of the stored
 *   attributes; entity null: every invoice.
 * - `risk_attribute_store_days`: the facts the counts were made from, by day: `sql/risk/feature_digest.sql`'s, and
 *   (fact 'invoice_attributes') the attribute rows of the invoices of each day.
 * - `risk_attribute_store_customers`: each customer's attribute rows, hashed. The master has no dates: a customer
 *   whose attributes changed has its outcomes counted again from its first invoice.
 * - `risk_attribute_store_state`: per late-days rule, the code and DuckDB version that counted, the attributes
 *   stored, the last day counted, the hash of every invoice attribute row, and the first day whose invoice
 *   attribute rows `risk_attribute_store_days` holds.
 *
 * An invoice's attributes are checked without joining every row to its invoice: the hash of all of them, less
 * that of the days counted again, must equal the stored one less the same days; when it does not, every day is
 * hashed to find the first that changed. A first training hashes only the days after its last (the rest would cost
 * a join of every row): a change to an older invoice's attributes (or to a credit note's) then counts every day
 * again, once.
 */

const FACTS_SQL = riskSql('feature_digest.sql');

/** The day an invoice's own columns take effect from, as feature_digest.sql keys them: no outcome is known before it. */
const INVOICE_DAY = `coalesce(least(i.invoice_date, i.due_date, i.settled_date), date '0001-01-01')`;

/** Per day from $from: the attribute rows of the invoices of that day (`INVOICE_DAY`), counted and hashed. */
const INVOICE_ATTRIBUTE_DAYS = `
  select ${INVOICE_DAY} as day, count(*) as n, sum(hash(a.entity_id, a.attribute, a.value, a.dated)) as h
  from risk_src_attributes as a
  join risk_src_invoices as i on a.entity = 'invoice' and a.entity_id = i.invoice_id
  where ${INVOICE_DAY} >= $from::date
  group by all`;

/** Every invoice attribute row, hashed: those of no receivable invoice (a credit note's) too. */
const INVOICE_ATTRIBUTES_TOTAL = `select coalesce(sum(hash(entity_id, attribute, value, dated)), 0)::varchar from risk_src_attributes where entity = 'invoice'`;

/** Each customer's attribute rows, hashed. */
const CUSTOMER_HASHES = `select entity_id as customer_id, sum(hash(attribute, value, dated)) as h from risk_src_attributes where entity = 'customer' group by entity_id`;

/** The code every stored count was made by: another version of any of it starts the store afresh. */
const CODE = createHash('sha256')
  .update(JSON.stringify({ COUNTS_SQL, SOURCES_DEFINITION, FACTS_SQL, INVOICE_DAY, INVOICE_ATTRIBUTE_DAYS, INVOICE_ATTRIBUTES_TOTAL, CUSTOMER_HASHES }))
  .digest('hex');

interface State {
  context: string;
  horizon: string;
  attributes: string;
  total: string;
  /** The first day whose invoice attribute rows are hashed in the store's days (a first training hashes only the days after its last). */
  days_from: string;
}

const STATE_COLUMNS = 'late_days,context,horizon,attributes,total,days_from';

/** Creates the store's tables, or starts them afresh when its state table has other columns (an older store's). */
async function ensureTables(wh: Warehouse): Promise<void> {
  const cols = await wh.columns('risk_attribute_store_state');
  if (cols.length && cols.join(',') !== STATE_COLUMNS) {
    for (const t of ['counts', 'days', 'customers', 'state']) await wh.run(`drop table main.risk_attribute_store_${t}`);
  }
  await wh.run(`
    create table if not exists main.risk_attribute_store_counts (late_days integer, entity varchar, attribute varchar, value varchar,
      known_on date, n bigint, n_late bigint);
    create table if not exists main.risk_attribute_store_days (late_days integer, fact varchar, day date, n bigint, h hugeint);
    create table if not exists main.risk_attribute_store_customers (late_days integer, customer_id varchar, h hugeint);
    create table if not exists main.risk_attribute_store_state (late_days integer, context varchar, horizon date, attributes varchar,
      total varchar, days_from date)`);
}

/** The stored attributes as a key each (entity and attribute: JSON, so no name can be confused with another). */
const keyOf = (entity: string, attribute: string) => JSON.stringify([entity, attribute]);

/** The earliest of some days (ISO text), or null. */
const earliest = (...days: (string | null | undefined)[]) => days.filter((d): d is string => !!d).sort()[0] ?? null;

/** The day after `day` (ISO text). */
async function dayAfter(wh: Warehouse, day: string): Promise<string> {
  return String(await wh.scalar(`select ($day::date + 1)::varchar`, { day }));
}

/** Temp table risk_attr_store_days_now (day, n, h): today's invoice attribute rows of the days from `from`. */
async function hashInvoiceAttributes(wh: Warehouse, from: string): Promise<void> {
  await wh.run(`create or replace temp table risk_attr_store_days_now as ${INVOICE_ATTRIBUTE_DAYS}`, { from });
}

/**
 * Whether the invoice attribute rows of the days before `from` (and those of no receivable invoice) are as stored:
 * the hash of all of them less today's of the days from `from` (temp table risk_attr_store_days_now, which must
 * hold them) against the stored hash less the stored days from `from`.
 */
async function sameBefore(wh: Warehouse, lateDays: number, state: State, total: string, from: string): Promise<boolean> {
  const [{ same }] = await wh.all<{ same: boolean }>(
    `select $total::hugeint - coalesce((select sum(h) from risk_attr_store_days_now where day >= $from::date), 0)
          = $stored::hugeint - coalesce((select sum(h) from main.risk_attribute_store_days
                                          where late_days = $late_days and fact = 'invoice_attributes' and day >= $from::date), 0) as same`,
    { late_days: lateDays, total, stored: state.total, from },
  );
  return same;
}

/**
 * The first day whose counts may have changed since the state was saved (temp tables `risk_digest_now`, today's facts,
 * and `risk_attr_store_customers_now`), and the first day of the invoice attribute rows hashed in temp table
 * `risk_attr_store_days_now`, made here.
 */
async function firstChangedDay(wh: Warehouse, lateDays: number, state: State, total: string): Promise<{ from: string; daysFrom: string }> {
  const p = { late_days: lateDays };
  const facts = await firstDifferentDay(
    wh,
    'select fact, day, n, h from risk_digest_now',
    `select fact, day, n, h from main.risk_attribute_store_days where late_days = $late_days and fact <> 'invoice_attributes'`,
    p,
  );
  // Days after the last one counted are counted in any case.
  let from = earliest(facts, await dayAfter(wh, state.horizon))!;
  if (from >= state.days_from) {
    await hashInvoiceAttributes(wh, from);
    if (await sameBefore(wh, lateDays, state, total, from)) {
      // The earlier days' rows are unchanged: their stored hashes are kept.
      await wh.run(
        `insert into risk_attr_store_days_now select day, n, h from main.risk_attribute_store_days
         where late_days = $late_days and fact = 'invoice_attributes' and day < $from::date`,
        { ...p, from },
      );
      return { from: earliest(from, await customersFrom(wh, lateDays))!, daysFrom: state.days_from };
    }
  }
  // Every day hashed: the first that differs among those stored, or the start when rows before them changed.
  await hashInvoiceAttributes(wh, '0001-01-01');
  const changed = await firstDifferentDay(
    wh,
    `select 'invoice_attributes' as fact, day, n, h from risk_attr_store_days_now where day >= $days_from::date`,
    `select fact, day, n, h from main.risk_attribute_store_days where late_days = $late_days and fact = 'invoice_attributes'`,
    { ...p, days_from: state.days_from },
  );
  // With every day stored, what is left is the rows of no receivable invoice (a credit note's), which move no count.
  const rest = state.days_from === '0001-01-01' || (await sameBefore(wh, lateDays, state, total, state.days_from));
  from = rest ? earliest(from, changed)! : '0001-01-01';
  return { from: earliest(from, await customersFrom(wh, lateDays))!, daysFrom: '0001-01-01' };
}

/** The first invoice day of the customers whose attribute rows differ from the stored (temp table risk_attr_store_customers_now), or null. */
async function customersFrom(wh: Warehouse, lateDays: number): Promise<string | null | undefined> {
  return wh.scalar<string | null>(
    `with changed as (${changedCustomersSql(
       'select customer_id, h from risk_attr_store_customers_now',
       'select customer_id, h from main.risk_attribute_store_customers where late_days = $late_days',
     )})
     select min(${INVOICE_DAY})::varchar from risk_src_invoices as i semi join changed using (customer_id)`,
    { late_days: lateDays },
  );
}

/** Replaces the stored counts, facts and state of `lateDays` with today's (temp tables), in one transaction. */
async function saveStore(wh: Warehouse, lateDays: number, state: State, inTransaction: boolean): Promise<void> {
  const p = { late_days: lateDays };
  await atomically(wh, inTransaction, async () => {
    for (const t of ['counts', 'days', 'customers', 'state']) await wh.run(`delete from main.risk_attribute_store_${t} where late_days = $late_days`, p);
    await wh.run(
      `insert into main.risk_attribute_store_counts
       select $late_days, entity, attribute, value, known_on, n, n_late from risk_attr_daily
       union all
       select $late_days, null, null, null, known_on, n, n_late from risk_attr_daily_known`,
      p,
    );
    await wh.run(
      `insert into main.risk_attribute_store_days
       select $late_days, fact, day, n, h from risk_digest_now
       union all
       select $late_days, 'invoice_attributes', day, n, h from risk_attr_store_days_now`,
      p,
    );
    await wh.run('insert into main.risk_attribute_store_customers select $late_days, customer_id, h from risk_attr_store_customers_now', p);
    await wh.run('insert into main.risk_attribute_store_state values ($late_days, $context, $horizon::date, $attributes, $total, $days_from::date)', { ...p, ...state });
  });
  await wh.run('drop table temp.risk_attr_store_days_now; drop table temp.risk_attr_store_customers_now');
}

/**
 * As `buildAttributeFeatures`, for the targets of temp table `risk_targets`, with the counts of the days before the
 * first change read from the store and the rest counted and stored. Needs temp table `risk_digest_now` (today's
 * facts, `sql/risk/feature_digest.sql`). Returns the first day counted again ('0001-01-01': all of them).
 */
export async function buildAttributeFeaturesStored(wh: Warehouse, attrs: AttributeFeature[], lateDays: number, inTransaction: boolean): Promise<string> {
  const [{ duckdb, horizon, total }] = await wh.all<{ duckdb: string; horizon: string | null; total: string }>(
    `select version() as duckdb, ${TARGETS_UNTIL}::varchar as horizon, (${INVOICE_ATTRIBUTES_TOTAL}) as total`,
  );
  // No targets: nothing to count up to, nor to store.
  if (horizon === null) {
    await buildAttributeFeatures(wh, attrs, lateDays);
    return '0001-01-01';
  }
  await writeSpec(wh, attrs);
  await ensureTables(wh);
  const p = { late_days: lateDays };
  const categories = attrs.filter((a) => a.kind === 'category').map((a) => keyOf(a.entity, a.attribute));
  const [old] = await wh.all<State>(
    `select context, horizon::varchar as horizon, attributes, total, days_from::varchar as days_from
     from main.risk_attribute_store_state where late_days = $late_days`,
    p,
  );
  const context = JSON.stringify({ code: CODE, duckdb });
  await wh.run(`create or replace temp table risk_attr_store_customers_now as ${CUSTOMER_HASHES}`);
  let from = '0001-01-01';
  // A first training hashes the invoice attribute rows of the days after its last only: a retraining counts from there.
  let daysFrom = await dayAfter(wh, horizon);
  if (old && old.context === context) {
    ({ from, daysFrom } = await firstChangedDay(wh, lateDays, old, total));
  } else {
    await hashInvoiceAttributes(wh, daysFrom);
  }
  const now: State = { context, horizon, attributes: JSON.stringify(categories), total, days_from: daysFrom };
  const kept = new Set<string>(old && old.context === context ? (JSON.parse(old.attributes) as string[]) : []);
  // Each attribute counted from the first changed day when stored, from the start when not.
  await wh.run('create or replace temp table risk_attr_daily_spec (entity varchar, attribute varchar, from_day date)');
  for (const a of attrs.filter((x) => x.kind === 'category')) {
    await wh.run('insert into risk_attr_daily_spec values ($entity, $attribute, $from::date)', {
      entity: a.entity,
      attribute: a.attribute,
      from: kept.has(keyOf(a.entity, a.attribute)) ? from : '0001-01-01',
    });
  }
  // Outcomes from the first changed day serve every kept attribute; one not kept needs them all.
  const countFrom = categories.every((c) => kept.has(c)) ? from : '0001-01-01';
  await countOutcomes(wh, lateDays, countFrom, 'risk_attr_counted');
  await wh.run(
    `create or replace temp table risk_attr_daily as
     select c.entity, c.attribute, c.value, c.known_on, c.n, c.n_late
     from main.risk_attribute_store_counts as c
     semi join risk_attr_daily_spec as s on s.entity = c.entity and s.attribute = c.attribute and s.from_day > '0001-01-01'
     where c.late_days = $late_days and c.known_on < $from::date
     union all
     select * from risk_attr_counted`,
    { ...p, from },
  );
  await wh.run(
    `create or replace temp table risk_attr_daily_known as
     select known_on, n, n_late from main.risk_attribute_store_counts
     where late_days = $late_days and entity is null and known_on < $from::date
     union all
     select * from risk_attr_counted_known where known_on >= $from::date`,
    { ...p, from },
  );
  await wh.run('drop table temp.risk_attr_counted; drop table temp.risk_attr_counted_known');
  await saveStore(wh, lateDays, now, inTransaction);
  await encodeAttributes(wh);
  return from;
}

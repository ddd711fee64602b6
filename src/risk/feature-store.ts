import { createHash } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
import { atomically } from './atomically.ts';
import { buildAttributeFeaturesStored } from './attribute-store.ts';
import type { AttributeFeature } from './attributes.ts';
import { HISTORY_DAYS } from './customer-record.ts';
import { changedCustomersSql, firstDifferentDay } from './digest.ts';
import { buildFeatures, FEATURES } from './features.ts';
import { prepareSources, SOURCES_DEFINITION } from './sources.ts';
import { riskSql } from './sql.ts';

/**
 * The training examples' features, kept from one training to the next (tables in `main`, which
 * no analyst reads). An example's features are taken as of its issue date and read only facts
 * dated on or before it (the leakage tests), so they stay right while no fact of those days
 * changes: a retraining after a refresh computes the features of new examples, and of those
 * after the first day whose facts changed, and reads the rest.
 *
 * - `risk_feature_store`: (late_days, invoice_id, as_of, customer_id, FEATURES...), the latest
 *   training's examples for each late-days rule.
 * - `risk_feature_store_days`: per late-days rule, the facts the rows were computed from, as
 *   `sql/risk/feature_digest.sql` counts and hashes them by the day they take effect.
 * - `risk_feature_store_customers`: per late-days rule, each customer's credit limit as the rows read
 *   it. The master has no dates: a customer whose limit changed has every example recomputed.
 * - `risk_feature_store_context`: per late-days rule, what every row depends on whatever its
 *   date: the SQL and sources that compute the features, DuckDB's version, and the history's main currency.
 *   Another context empties the rule's rows.
 */

const FEATURES_SQL_FILES = ['features.sql', 'record_rows.sql', 'customer_base.sql', 'customer_record.sql', 'invoice_paid.sql', 'parts_payments.sql', 'feature_digest.sql'];
const DIGEST_SQL = riskSql('feature_digest.sql');

/** The code every stored row was computed by: another version of any of it starts the store afresh. */
const CODE = createHash('sha256')
  .update(JSON.stringify({ FEATURES, HISTORY_DAYS, SOURCES_DEFINITION, sql: FEATURES_SQL_FILES.map(riskSql) }))
  .digest('hex');

const FEATURE_COLUMNS = FEATURES.map((f) => `"${f}"`).join(', ');
const STORE_COLUMNS = ['late_days', 'invoice_id', 'as_of', 'customer_id', ...FEATURES];

/** How many examples' features were read from the store and how many computed. */
export interface StoreUse {
  kept: number;
  computed: number;
  /** With attribute features: the first day whose outcomes the attribute encodings counted again (`src/risk/attribute-store.ts`); '0001-01-01' is all. */
  attributes_from?: string;
}

/** Creates the store's tables, or starts them afresh when the store's columns are not FEATURES'. */
async function ensureTables(wh: Warehouse): Promise<void> {
  const cols = await wh.columns('risk_feature_store');
  if (cols.length && cols.join(',') !== STORE_COLUMNS.join(',')) await wh.run('drop table main.risk_feature_store');
  await wh.run(`
    create table if not exists main.risk_feature_store (late_days integer, invoice_id varchar, as_of date, customer_id varchar,
      ${FEATURES.map((f) => `"${f}" double`).join(', ')});
    create table if not exists main.risk_feature_store_days (late_days integer, fact varchar, day date, n bigint, h hugeint);
    create table if not exists main.risk_feature_store_customers (late_days integer, customer_id varchar, h hugeint);
    create table if not exists main.risk_feature_store_context (late_days integer, context varchar)`);
}

/** What every feature depends on whatever its date (see above), as one string. */
async function context(wh: Warehouse): Promise<string> {
  // DuckDB's version too: its hash() and functions are part of the code.
  const [{ currency, duckdb }] = await wh.all<{ currency: string; duckdb: string }>(
    `select (select coalesce(mode(currency), '') from risk_src_invoices) as currency, version() as duckdb`,
  );
  return JSON.stringify({ code: CODE, duckdb, currency });
}

/**
 * Temp table `risk_store_valid` (invoice_id, as_of): the stored examples of `lateDays` still right on today's facts
 * (temp tables `risk_digest_now` and `risk_store_customers_now`): stored in this context, dated before the first day
 * whose facts changed, and of a customer whose credit limit did not.
 */
async function markValid(wh: Warehouse, lateDays: number, ctx: string): Promise<void> {
  await wh.run(`create or replace temp table risk_digest_now as ${DIGEST_SQL}`);
  await wh.run(`create or replace temp table risk_store_customers_now as
    select customer_id, sum(hash(credit_limit)) as h from risk_src_customers group by customer_id`);
  const firstDay = await firstDifferentDay(
    wh,
    'select fact, day, n, h from risk_digest_now',
    'select fact, day, n, h from main.risk_feature_store_days where late_days = $late_days',
    { late_days: lateDays },
  );
  await wh.run(
    `create or replace temp table risk_store_valid as
     -- NOT IN a list holding a NULL would keep nothing: changedCustomersSql leaves rows without a customer number out.
     with changed_customers as (${changedCustomersSql(
       'select customer_id, h from risk_store_customers_now',
       'select customer_id, h from main.risk_feature_store_customers where late_days = $late_days',
     )})
     select invoice_id, as_of from main.risk_feature_store
     where late_days = $late_days
       and (select context from main.risk_feature_store_context where late_days = $late_days) = $context
       and as_of < coalesce($first_day::date, date '9999-12-31')
       and customer_id not in (select customer_id from changed_customers)`,
    { late_days: lateDays, context: ctx, first_day: firstDay ?? null },
  );
}

/**
 * Replaces the store of `lateDays` with the examples of `risk_examples`: the valid rows kept, the features just
 * computed (temp table `risk_features`) added, today's facts and context recorded, in one transaction (the caller's,
 * when `inTransaction`).
 */
async function saveStore(wh: Warehouse, lateDays: number, ctx: string, inTransaction: boolean): Promise<void> {
  const p = { late_days: lateDays };
  await atomically(wh, inTransaction, async () => {
    await wh.run(
      `delete from main.risk_feature_store as s
       where late_days = $late_days
         and not exists (select 1 from risk_store_valid as v join risk_examples as e using (invoice_id, as_of)
                         where v.invoice_id = s.invoice_id and v.as_of = s.as_of)`,
      p,
    );
    await wh.run(`insert into main.risk_feature_store select $late_days, invoice_id, as_of, customer_id, ${FEATURE_COLUMNS} from risk_features`, p);
    await wh.run('delete from main.risk_feature_store_days where late_days = $late_days', p);
    await wh.run('insert into main.risk_feature_store_days select $late_days, fact, day, n, h from risk_digest_now', p);
    await wh.run('delete from main.risk_feature_store_customers where late_days = $late_days', p);
    await wh.run('insert into main.risk_feature_store_customers select $late_days, customer_id, h from risk_store_customers_now', p);
    await wh.run('delete from main.risk_feature_store_context where late_days = $late_days', p);
    await wh.run('insert into main.risk_feature_store_context values ($late_days, $context)', { ...p, context: ctx });
  });
}

/**
 * The features of the examples in temp table `risk_examples` (left by `collectExamples`) into temp tables
 * `risk_features` and, for `attrs`, `risk_attr_values`, as `buildFeatures` would make them: those the store keeps
 * are read, the rest computed and stored. Attribute features are computed (their codes are chosen per training) from
 * outcome counts per value, which the attribute store keeps (`src/risk/attribute-store.ts`).
 * Inside a caller's open transaction, pass `inTransaction`.
 */
export async function buildExampleFeaturesStored(wh: Warehouse, lateDays: number, attrs: AttributeFeature[], inTransaction = false): Promise<StoreUse> {
  await prepareSources(wh);
  await ensureTables(wh);
  const ctx = await context(wh);
  await markValid(wh, lateDays, ctx);
  const computed = await buildFeatures(
    wh,
    'select invoice_id, as_of from risk_examples anti join risk_store_valid using (invoice_id, as_of)',
    {},
    lateDays,
  );
  await saveStore(wh, lateDays, ctx, inTransaction);
  await wh.run('create or replace temp table risk_targets as select (row_number() over ())::int as rn, invoice_id, as_of from risk_examples');
  await wh.run(
    `create or replace temp table risk_features as
     select t.rn, s.invoice_id, s.customer_id, s.as_of, ${FEATURE_COLUMNS}
     from risk_targets as t
     join main.risk_feature_store as s on s.late_days = $late_days and s.invoice_id = t.invoice_id and s.as_of = t.as_of`,
    { late_days: lateDays },
  );
  const attributesFrom = attrs.length ? await buildAttributeFeaturesStored(wh, attrs, lateDays, inTransaction) : undefined;
  await wh.run('drop table temp.risk_store_valid; drop table temp.risk_digest_now; drop table temp.risk_store_customers_now');
  const total = Number(await wh.scalar('select count(*) from risk_features'));
  return { kept: total - computed, computed, ...(attributesFrom ? { attributes_from: attributesFrom } : {}) };
}

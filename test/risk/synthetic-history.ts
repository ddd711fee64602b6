import type { Warehouse } from '../../src/db/warehouse.ts';

/**
 * Creates fct_* shaped tables with `n` invoices generated in SQL (generate_series), fast
 * enough for millions of rows. Each customer has a hidden lateness propensity, so the model
 * has something real to learn; invoices issued near `asOf` are still open. Other marts are
 * created empty, as an invoices-only export would leave them. The invoices span `days` days (default 720).
 */
export async function createSyntheticHistory(
  wh: Warehouse,
  n: number,
  asOf = '2024-06-30',
  opts: { open?: number; attributes?: boolean; days?: number } = {},
): Promise<void> {
  const customers = Math.max(20, Math.floor(n / 50));
  await wh.run(
    `create or replace table fct_invoices as
     with base as (
       select i, 'C' || lpad((i % $customers)::varchar, 6, '0') as customer_id,
         $as_of::date - $days + (i * $days // $n)::int as invoice_date,
         ((hash(i % $customers) % 1000) / 1000.0) as propensity,
         ((hash(i, 7) % 1000) / 1000.0) as u1,
         ((hash(i, 11) % 1000) / 1000.0) as u2,
         ((hash(i, 13) % 1000) / 1000.0) as u3
       from generate_series(0, $n - 1) as t(i)
     ), shaped as (
       select *, invoice_date + 30 as due_date,
         -- The newest $open invoices are never paid (a big open book, for scoring benchmarks).
         case when i >= $n - $open then 100000
              when u1 < propensity * 0.8 then 31 + (u2 * 90)::int else (u2 * 12)::int - 5 end as eventual_days_late
       from base
     )
     select 'INV' || lpad(i::varchar, 9, '0') as invoice_id, customer_id, 'Customer ' || customer_id as customer_name,
       'invoice' as document_type, invoice_date, due_date,
       (100 + (u3 * 5000))::decimal(18,2) as amount, 'EUR' as currency, (100 + (u3 * 5000))::decimal(18,2) as amount_reporting,
       case when due_date + eventual_days_late <= $as_of::date then (100 + (u3 * 5000))::decimal(18,2) else 0 end as paid_amount,
       case when due_date + eventual_days_late <= $as_of::date then 0 else (100 + (u3 * 5000))::decimal(18,2) end as outstanding,
       case when due_date + eventual_days_late <= $as_of::date then 0 else (100 + (u3 * 5000))::decimal(18,2) end as outstanding_reporting,
       case when due_date + eventual_days_late <= $as_of::date then due_date + eventual_days_late end as paid_date,
       null::int as days_to_pay, null::int as days_late, null::int as days_past_due, null::varchar as bucket,
       (u1 > 0.98) as disputed,
       case when due_date + eventual_days_late <= $as_of::date then 'paid' else 'open' end as status,
       'collector ' || (hash(customer_id) % 3)::varchar as collector, 'retail' as segment, 'ES' as country, 30 as payment_terms_days
     from shaped`,
    { n, customers, as_of: asOf, open: opts.open ?? 0, days: opts.days ?? 720 },
  );
  await wh.run(
    `create or replace table fct_payments as
     select 'P' || invoice_id as payment_id, customer_id, invoice_id, paid_date as payment_date, amount, currency,
       amount_reporting, 'derived' as method, false as is_write_off, true as is_derived
     from fct_invoices where paid_date is not null`,
  );
  await createEmptyMarts(wh);
  if (opts.attributes) await createAttributes(wh);
}

/**
 * dim_attributes as a wide export leaves it: per invoice a sales channel (four values, one rare)
 * and a weight (a number), per customer a region (undated, like a customer master's).
 */
export async function createAttributes(wh: Warehouse): Promise<void> {
  await wh.run(`create or replace table dim_attributes as
    select 'invoice' as entity, invoice_id as entity_id, 'channel' as attribute,
      case when hash(invoice_id) % 300 = 0 then 'fax' else ['web', 'phone', 'mail'][1 + (hash(invoice_id) % 3)::int] end as value, true as dated
    from fct_invoices
    union all
    select 'invoice', invoice_id, 'weight', ((hash(invoice_id) % 2000) / 10.0)::varchar, true from fct_invoices
    union all
    select distinct 'customer', customer_id, 'region', 'R' || (hash(customer_id) % 4)::varchar, false from fct_invoices`);
}

/**
 * Events of every kind dated before `before`, so the features that read them are not all zero: broken promises,
 * contacts, open disputes, and a customer master with credit limits.
 */
export async function addEventsBefore(wh: Warehouse, before: string): Promise<void> {
  const d = { d: before };
  await wh.run(`insert into fct_promises select 'PB' || invoice_id, customer_id, invoice_id, due_date + 5, due_date + 20, amount, 'broken'
    from fct_invoices where hash(invoice_id) % 7 = 0 and due_date + 20 < $d::date`, d);
  await wh.run(`insert into fct_activities select 'AB' || invoice_id, customer_id, invoice_id, due_date + 3, 'phone', 'reached', 'Ana', null
    from fct_invoices where hash(invoice_id) % 5 = 0 and due_date + 3 < $d::date`, d);
  await wh.run(`insert into fct_disputes select 'DB' || invoice_id, invoice_id, customer_id, invoice_date + 2, null, amount, 'price', 'open'
    from fct_invoices where hash(invoice_id) % 11 = 0 and invoice_date + 2 < $d::date`, d);
  await wh.run(`insert into dim_customers select distinct customer_id, customer_id, null, null, 'retail', 'Ana', 'ES', 20000, 30 from fct_invoices`);
}

/** The marts other than invoices and payments, empty. */
export async function createEmptyMarts(wh: Warehouse): Promise<void> {
  // The fixtures' documents are all in the reporting currency, so a promise's reporting amount is its own amount
  // (generated columns: the fixtures insert promises by position, without them).
  await wh.run(`
    create or replace table fct_disputes (dispute_id varchar, invoice_id varchar, customer_id varchar, opened_date date, resolved_date date, amount decimal(18,2), reason varchar, status varchar);
    create or replace table fct_promises (promise_id varchar, customer_id varchar, invoice_id varchar, promise_date date, promised_date date, amount decimal(18,2), status varchar,
      currency varchar as ('EUR'), amount_reporting decimal(18,2) as (amount));
    create or replace table fct_activities (activity_id varchar, customer_id varchar, invoice_id varchar, activity_date date, channel varchar, outcome varchar, collector varchar, notes varchar);
    create or replace table dim_customers (customer_id varchar, name varchar, email varchar, phone varchar, segment varchar, collector varchar, country varchar, credit_limit decimal(18,2), payment_terms_days int);
  `);
}

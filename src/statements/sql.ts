/** The SQL of a statement: reads of the published marts and the models' aging macros, bound, never built from input. */

/**
 * The customers in scope. Every query below starts with it and binds $1 as-of, $2 customer, $3
 * collector: each reads all customers of a batch at once (one statement per customer, query by
 * query, took 12 minutes for the 1,841 open customers of the demo). Only a scope of open customers
 * pays for a second scan of the aging.
 */
export const scopeSql = (openOnly: boolean) => `with scope as (
    select customer_id from dim_customers
    where ($2::varchar is null or customer_id = $2) and ($3::varchar is null or collector = $3)
    ${openOnly ? 'and customer_id in (select customer_id from aging_at($1::date))' : ''}
  )`;

// Selects the as-of too: DuckDB refuses a bound value a query does not use, and a scope of all customers uses no $1.
export const CUSTOMERS_SQL = (scope: string) => `${scope}
  select $1::varchar as as_of, customer_id, name, tax_id, email, phone, country, collector, payment_terms_days
  from dim_customers where customer_id in (select customer_id from scope)
  order by customer_id`;

// Open items and their buckets are the models' own (the aging_at macro at any date), never re-aged here.
export const ITEMS_SQL = (scope: string) => `${scope}
  select customer_id, coalesce(invoice_id, payment_id) as document, document_type, currency,
         invoice_date::varchar as invoice_date, due_date::varchar as due_date,
         days_past_due, bucket, bucket_order, outstanding::varchar as outstanding
  from aging_at($1::date)
  where customer_id in (select customer_id from scope)
  order by customer_id, currency, bucket_order = (select len(buckets) + 2 from build_options), due_date, document`;

/** Every bucket of the build for every currency a customer has open, with the balance and the past-due part, summed in SQL (DECIMAL). */
export const BUCKETS_SQL = (scope: string) => `${scope},
  bounds as (select buckets from build_options),
  orders as (
      select k::integer as bucket_order, aging_bucket_label(k, (select buckets from bounds)) as bucket
      from range((select len(buckets) + 2 from bounds)) as t(k)
      union all
      select len(buckets) + 2, 'unapplied' from bounds
  ),
  items as (select customer_id, currency, bucket_order, outstanding from aging_at($1::date) where customer_id in (select customer_id from scope)),
  held as (select distinct customer_id, currency from items),
  sums as (select customer_id, currency, bucket_order, sum(outstanding) as amount from items group by all),
  final as (
      select held.customer_id, held.currency, orders.bucket_order, orders.bucket, coalesce(sums.amount, 0) as amount
      from held
      cross join orders
      left join sums using (customer_id, currency, bucket_order)
  )
  select customer_id, currency, bucket_order, bucket, amount::decimal(18, 2)::varchar as amount,
         (sum(amount) over per_currency)::decimal(18, 2)::varchar as balance,
         (sum(amount) filter (where bucket_order between 1 and (select len(buckets) + 1 from bounds)) over per_currency)::decimal(18, 2)::varchar as overdue
  from final
  window per_currency as (partition by customer_id, currency)
  order by customer_id, currency, bucket_order`;

/** Payments (not write-offs) and credit notes dated in the window: the $4 days ending on the as-of, both included. */
const MOVEMENTS = `
  select customer_id, 'payment' as kind, payment_date as date, payment_id as document, invoice_id as applied_to, currency, amount
  from fct_payments
  where customer_id in (select customer_id from scope)
    and not is_write_off and payment_date > $1::date - $4::integer and payment_date <= $1::date
  union all
  select customer_id, 'credit_note', invoice_date, invoice_id, null, currency, abs(amount)
  from fct_invoices
  where customer_id in (select customer_id from scope)
    and document_type = 'credit_note' and invoice_date > $1::date - $4::integer and invoice_date <= $1::date`;

export const MOVEMENTS_SQL = (scope: string) => `${scope}
  select customer_id, kind, date::varchar as date, document, applied_to, currency, amount::varchar as amount,
         (sum(amount) over (partition by customer_id, currency))::decimal(18, 2)::varchar as total
  from (${MOVEMENTS}) order by customer_id, currency, date, document`;

export const OPTIONS_SQL = `select basis, ($1::date - $2::integer + 1)::varchar as since from build_options`;

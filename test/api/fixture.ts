/**
 * A small hand-made warehouse with the mart tables the API reads (names and columns as the models
 * contract fixes them), so API tests run without the whole pipeline and know every figure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { ApiContext, type ApiOptions } from '../../src/api/context.ts';
import { createApp } from '../../src/web/app.ts';
import { createToken } from '../../src/api/tokens.ts';
import { ensureApiSchema } from '../../src/api/schema.ts';

const MARTS = `
create table builds (build_id varchar, as_of date, options json, finished timestamp);
insert into builds values
  ('b-001', date '2024-05-31', '{"reporting_currency":"MXN"}', timestamp '2024-06-01 01:00:00'),
  ('b-002', date '2024-06-30', '{"reporting_currency":"MXN"}', timestamp '2024-07-01 01:00:00');

create table dim_customers (customer_id varchar, name varchar, segment varchar, collector varchar, country varchar,
  email varchar, phone varchar, credit_limit decimal(18,2), open_balance decimal(18,2), overdue_balance decimal(18,2),
  behaviour_segment varchar, value_tier varchar, portfolio_stage varchar);
insert into dim_customers values
  ('C1', 'Acme SA', 'enterprise', 'ana', 'MX', 'ap@acme.mx', '555-0101', 500000.00, 1500.00, 1000.00, 'late payer', 'high', 'active'),
  ('C2', 'Beta Ltda', 'smb', 'luis', 'CO', 'pagos@beta.co', '555-0202', 100000.00, 700.00, 700.00, 'chronic', 'low', 'at risk'),
  ('C3', '=Gamma SRL', 'smb', 'ana', 'MX', null, null, 50000.00, 250.00, 0.00, 'on time', 'low', 'active');

create table fct_invoices (invoice_id varchar, customer_id varchar, customer_name varchar, document_type varchar,
  invoice_date date, due_date date, amount decimal(18,2), currency varchar, amount_reporting decimal(18,2),
  paid_amount decimal(18,2), outstanding decimal(18,2), outstanding_reporting decimal(18,2), paid_date date,
  days_to_pay integer, days_late integer, days_past_due integer, bucket varchar, bucket_order integer, disputed boolean,
  status varchar, collector varchar, segment varchar, country varchar);
insert into fct_invoices values
  ('F-001', 'C1', 'Acme SA', 'invoice', date '2024-03-01', date '2024-03-31', 1000.00, 'MXN', 1000.00, 0, 1000.00, 1000.00, null, null, null, 91, '91-120', 4, false, 'open', 'ana', 'enterprise', 'MX'),
  ('F-002', 'C1', 'Acme SA', 'invoice', date '2024-06-10', date '2024-07-10', 500.00, 'MXN', 500.00, 0, 500.00, 500.00, null, null, null, 0, 'current', 0, false, 'open', 'ana', 'enterprise', 'MX'),
  ('F-003', 'C1', 'Acme SA', 'invoice', date '2024-01-05', date '2024-02-04', 800.00, 'MXN', 800.00, 800.00, 0, 0, date '2024-02-20', 46, 16, null, 'paid', -1, false, 'paid', 'ana', 'enterprise', 'MX'),
  ('F-004', 'C2', 'Beta Ltda', 'invoice', date '2024-04-15', date '2024-05-15', 200.00, 'USD', 700.00, 0, 200.00, 700.00, null, null, null, 46, '31-60', 2, true, 'open', 'luis', 'smb', 'CO'),
  ('F-005', 'C3', '=Gamma SRL', 'invoice', date '2024-06-20', date '2024-07-20', 250.00, 'MXN', 250.00, 0, 250.00, 250.00, null, null, null, 0, 'current', 0, false, 'open', 'ana', 'smb', 'MX'),
  ('F-006', 'C2', 'Beta Ltda', 'invoice', date '2024-02-01', date '2024-03-02', 300.00, 'USD', 1050.00, 300.00, 0, 0, date '2024-04-01', 60, 30, null, 'paid', -1, false, 'paid', 'luis', 'smb', 'CO');

create table fct_payments (payment_id varchar, customer_id varchar, invoice_id varchar, payment_date date,
  amount decimal(18,2), currency varchar, amount_reporting decimal(18,2), method varchar);
insert into fct_payments values
  ('P-1', 'C1', 'F-003', date '2024-02-20', 800.00, 'MXN', 800.00, 'transfer'),
  ('P-2', 'C2', 'F-006', date '2024-04-01', 300.00, 'USD', 1050.00, 'check');

create table fct_promises (promise_id varchar, customer_id varchar, invoice_id varchar, promise_date date, promised_amount decimal(18,2), status varchar);
insert into fct_promises values ('PR-1', 'C1', 'F-001', date '2024-07-05', 1000.00, 'open');
create table fct_activities (activity_id varchar, customer_id varchar, activity_date date, kind varchar, note varchar);
insert into fct_activities values ('A-1', 'C1', date '2024-06-25', 'call', 'promised to pay F-001');
create table fct_disputes (dispute_id varchar, customer_id varchar, invoice_id varchar, opened_date date, reason varchar);
insert into fct_disputes values ('D-1', 'C2', 'F-004', date '2024-05-20', 'pricing');

create macro aging_bucket_order(days, bounds) as
  case when days <= 0 then 0 else 1 + len(list_filter(bounds, lambda b: b < days)) end;
create macro aging_bucket_label(bucket_order, bounds) as
  case
    when bucket_order = 0 then 'current'
    when bucket_order = 1 then '1-' || bounds[1]::varchar
    when bucket_order <= len(bounds) then (bounds[bucket_order - 1] + 1)::varchar || '-' || bounds[bucket_order]::varchar
    else bounds[len(bounds)]::varchar || '+'
  end;
create macro aging_with(as_of, basis, bounds) as table
  with base as (
    select as_of::date as as_of, invoice_id, customer_id, customer_name, segment, collector, country, currency,
      document_type, invoice_date, due_date,
      (as_of::date - case when basis = 'invoice' then invoice_date else due_date end)::integer as days_past_due,
      outstanding, outstanding_reporting
    from fct_invoices where invoice_date <= as_of::date and outstanding <> 0
  )
  select as_of, invoice_id, customer_id, customer_name, segment, collector, country, currency, document_type,
    invoice_date, due_date, days_past_due,
    aging_bucket_label(aging_bucket_order(days_past_due, bounds), bounds) as bucket,
    aging_bucket_order(days_past_due, bounds)::integer as bucket_order,
    outstanding, outstanding_reporting
  from base;
create table build_options as select date '2024-06-30' as as_of, [30, 60, 90, 120] as buckets, 'due' as basis, 'MXN' as reporting_currency;
-- What the aging pivot reads: the open balance per customer, currency and bucket (the mart macro sums aging_with the same way).
create macro aging_balances(as_of, basis, bounds) as table
  select customer_id, currency, bucket_order, sum(outstanding_reporting) as outstanding_reporting, count(*)::integer as items
  from aging_with(as_of, basis, bounds) group by all;
create macro aging_at(as_of) as table select * from aging_with(as_of, 'due', [30, 60, 90, 120]);
create view ar_aging as select * from aging_at(date '2024-06-30');

create table kpi_monthly (month date, credit_sales decimal(18,2), collections decimal(18,2), credit_notes decimal(18,2),
  write_offs decimal(18,2), ar_begin decimal(18,2), ar_end decimal(18,2), ar_current_end decimal(18,2),
  ar_overdue_end decimal(18,2), overdue_pct decimal(9,2), dso_standard decimal(9,1), dso_countback decimal(9,1),
  best_possible_dso decimal(9,1), add_days decimal(9,1), cei_pct decimal(9,2), bad_debt_ratio_pct decimal(9,2),
  avg_days_to_pay decimal(9,1), on_time_pct decimal(9,2));
insert into kpi_monthly values
  (date '2024-04-01', 200, 1100, 0, 0, 2100, 1200, 200, 1000, 83.33, 55.0, 50.0, 10.0, 45.0, 70.00, 0.00, 50.0, 40.00),
  (date '2024-05-01', 0, 0, 0, 0, 1200, 1200, 0, 1200, 100.00, 60.0, 58.0, 0.0, 60.0, 0.00, 0.00, null, null),
  (date '2024-06-01', 750, 0, 0, 0, 1200, 1950, 750, 1200, 61.54, 48.5, 45.0, 20.0, 28.5, 0.00, 1.25, null, null);
create table kpi_monthly_by_segment as select 'enterprise' as segment, * from kpi_monthly;
create table kpi_monthly_by_collector as
  select 'ana' as collector, * replace (dso_standard - 5 as dso_standard) from kpi_monthly
  union all select 'luis', * replace (dso_standard + 5 as dso_standard) from kpi_monthly;
create table kpi_monthly_by_country as select 'MX' as country, * from kpi_monthly;

create table agg_recovery (cohort_month date, months_after integer, recovered_pct decimal(9,2));
insert into agg_recovery values (date '2024-03-01', 1, 40.00), (date '2024-03-01', 2, 75.50);
create table agg_roll_rates (month date, from_bucket varchar, to_bucket varchar, rate_pct decimal(9,2));
insert into agg_roll_rates values (date '2024-05-01', 'current', '1-30', 12.50);
create table agg_cash_forecast (week_start date, expected_collections decimal(18,2));
insert into agg_cash_forecast values (date '2024-07-01', 950.00), (date '2024-07-08', 400.00);

create table risk_models (model_version varchar, trained_at timestamp, auc double, features json);
insert into risk_models values ('m-1', timestamp '2024-06-01 00:00:00', 0.71, '["days_past_due"]'),
  ('m-2', timestamp '2024-07-01 00:00:00', 0.78, '["days_past_due","disputed"]');
create table risk_scores (invoice_id varchar, customer_id varchar, as_of date, probability double, risk_band varchar, reasons varchar[], model_version varchar);
insert into risk_scores values ('F-001', 'C1', date '2024-06-30', 0.82, 'high', ['91+ days past due'], 'm-2'),
  ('F-004', 'C2', date '2024-06-30', 0.64, 'medium', ['disputed'], 'm-2');
create table call_list (rank integer, customer_id varchar, customer_name varchar, collector varchar,
  open_balance decimal(18,2), overdue_balance decimal(18,2), oldest_days_past_due integer, risk_band varchar,
  reasons_es varchar, reasons_en varchar, suggested_action varchar, last_activity_date date, open_promise_date date, invoices integer);
insert into call_list values
  (1, 'C1', 'Acme SA', 'ana', 1500.00, 1000.00, 91, 'high', '91+ días vencida', '91+ days past due', 'call', date '2024-06-25', date '2024-07-05', 2),
  (2, 'C2', 'Beta Ltda', 'luis', 700.00, 700.00, 46, 'medium', 'en disputa', 'disputed', 'resolve dispute', null, null, 1),
  (3, 'C3', '=Gamma SRL', 'ana', 250.00, 0.00, 0, 'low', 'al corriente', 'current', 'email', null, null, 1);
`;

/** Keys of the fixture, one per role, plus a collections key limited to collector 'ana'. */
export interface FixtureKeys {
  cfo: string;
  collections: string;
  ana: string;
  analyst: string;
  admin: string;
}

/** Writes the fixture marts and one key per role into an open warehouse. */
export async function seedFixture(wh: Warehouse): Promise<FixtureKeys> {
  await wh.run(MARTS);
  await ensureApiSchema(wh);
  return {
    cfo: (await createToken(wh, { role: 'cfo', name: 'cfo' })).key,
    collections: (await createToken(wh, { role: 'collections', name: 'team' })).key,
    ana: (await createToken(wh, { role: 'collections', name: 'ana', collector: 'ana' })).key,
    analyst: (await createToken(wh, { role: 'analyst', name: 'analyst' })).key,
    admin: (await createToken(wh, { role: 'admin', name: 'admin' })).key,
  };
}

/** A throwaway warehouse holding the fixture marts, served by an app; `close` removes it. */
export async function apiFixture(opts: ApiOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-api-'));
  const wh = await Warehouse.open(join(dir, 'w.duckdb'));
  const keys = await seedFixture(wh);
  const api = await ApiContext.create(wh, { uploadDir: join(dir, 'uploads'), ...opts });
  const app = createApp(api);
  const get = (path: string, key?: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...headers } });
  const post = (path: string, body: unknown, key?: string) =>
    app.request(path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    });
  return {
    dir,
    wh,
    api,
    app,
    keys,
    get,
    post,
    close() {
      api.close();
      wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

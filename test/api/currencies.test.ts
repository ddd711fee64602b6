/**
 * No promise, balance or forecast amount mixes currencies: on the demo warehouse (generated exports in MXN,
 * USD, COP and CLP, ingested, built, scored and published by the real pipeline), every amount given in the
 * reporting currency equals the sum of its document-currency amounts, each times the daily factor of its
 * currency on its own date (int_fx_factors_daily; 1 for the reporting currency), rounded to the cent as the
 * models round each amount.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiFixture } from './fixture.ts';

let f: Awaited<ReturnType<typeof apiFixture>>;

beforeAll(async () => {
  f = await apiFixture();
});
afterAll(() => f?.close());

const json = async (path: string, key: string) => {
  const r = await f.get(path, key);
  expect({ path, status: r.status }).toEqual({ path, status: 200 });
  return r.json();
};

/**
 * `test_factor(cur_code, on_day)`: reporting-currency units per unit of the currency on the day, as the models convert.
 * Call it with qualified columns: inside its subquery a bare `currency` or `day` would name int_fx_factors_daily's own.
 */
const FACTOR = `
  create or replace temp macro test_factor(cur_code, on_day) as
    case when cur_code = (select reporting_currency from build_options) then 1
         else (select fx.factor from int_fx_factors_daily as fx where fx.currency = cur_code and fx.day = on_day::date) end;
  create or replace temp macro test_converted(money, cur_code, on_day) as round(money * test_factor(cur_code, on_day)::decimal(38, 10), 2)`;

/** Open promises on each customer's earliest open promise date, in the reporting currency, recomputed. */
const OPEN_PROMISES = `
  select p.customer_id, sum(test_converted(p.amount, p.currency, p.promise_date)) as amount
  from fct_promises as p
  join call_list as c on c.customer_id = p.customer_id and p.promised_date = c.open_promise_date
  where p.status in ('open', 'pending') and p.promise_date <= c.as_of
  group by p.customer_id`;

describe('amounts in the reporting currency never add up currencies', () => {
  beforeAll(async () => {
    for (const stmt of FACTOR.split(';')) await f.wh.run(stmt);
  });

  test('the fixture has what could go wrong: promises, balances and open items in several currencies', async () => {
    const [r] = await f.sql<{ promised: number; open: number; cop: string }>(`
      select (select count(distinct currency)::int from fct_promises where currency <> (select reporting_currency from build_options)) as promised,
             (select count(distinct currency)::int from ar_aging where currency <> (select reporting_currency from build_options)) as open,
             test_factor('COP', (select as_of from build_options))::varchar as cop`);
    expect(r.promised).toBeGreaterThanOrEqual(2);
    expect(r.open).toBeGreaterThanOrEqual(2);
    expect(Number(r.cop)).not.toBe(1);
  });

  test('promises: fct_promises takes its invoice\'s currency and converts at the rate of its promise date', async () => {
    const wrong = await f.sql(`
      select p.promise_id, p.currency, i.currency as invoice_currency, p.amount, p.amount_reporting
      from fct_promises as p
      left join (select invoice_id, any_value(currency) as currency from fct_invoices group by invoice_id) as i using (invoice_id)
      where p.currency is distinct from coalesce(i.currency, p.currency)
         or p.amount_reporting is distinct from test_converted(p.amount, p.currency, p.promise_date)`);
    expect(wrong).toEqual([]);
  });

  test('promises: the call list (call_candidates) and GET /api/call-list sum converted promises', async () => {
    const expected = await f.sql<{ customer_id: string; amount: string }>(`select customer_id, amount::varchar as amount from (${OPEN_PROMISES}) order by customer_id`);
    const converted = await f.sql<{ n: number }>(`
      select count(*)::int as n from (${OPEN_PROMISES}) as o join call_list using (customer_id)
      join fct_promises as p on p.customer_id = o.customer_id and p.promised_date = call_list.open_promise_date
      where p.currency <> (select reporting_currency from build_options)`);
    expect(converted[0].n).toBeGreaterThan(0);
    const stored = await f.sql<{ customer_id: string; amount: string }>(
      `select customer_id, open_promise_amount::varchar as amount from call_list where open_promise_amount is not null order by customer_id`,
    );
    expect(stored).toEqual(expected);
    const api = (await json('/api/call-list?limit=5000', f.keys.collections)).data as { customer_id: string; open_promise_amount: string | number | null }[];
    const listed = api.filter((r) => r.open_promise_amount !== null).map((r) => ({ customer_id: r.customer_id, amount: Number(r.open_promise_amount).toFixed(2) }));
    expect(listed.sort((a, b) => a.customer_id.localeCompare(b.customer_id))).toEqual(expected);
  });

  test('promises: the queue gives the open promise per currency promised, never summed across them', async () => {
    const expected = await f.sql<{ customer_id: string; currency: string; amount: string }>(`
      select p.customer_id, p.currency, sum(p.amount)::decimal(18, 2)::varchar as amount
      from fct_promises as p join call_list as c on c.customer_id = p.customer_id and p.promised_date = c.open_promise_date
      where p.status in ('open', 'pending') and c.has_dispute
      group by all order by all`);
    const queue = (await json('/api/call-list?queue=disputes&limit=5000', f.keys.collections)).data as {
      customer_id: string; promises: { currency: string; amount: string | number }[] | null;
    }[];
    const got = queue.flatMap((r) => (r.promises ?? []).map((p) => ({ customer_id: r.customer_id, currency: p.currency, amount: Number(p.amount).toFixed(2) })));
    expect(got.sort((a, b) => `${a.customer_id} ${a.currency}`.localeCompare(`${b.customer_id} ${b.currency}`))).toEqual(expected);
  });

  test("promises: a customer's statement gives each promise's currency and its reporting amount", async () => {
    const customers = await f.sql<{ customer_id: string }>(`
      select distinct customer_id from fct_promises where currency <> (select reporting_currency from build_options) order by 1 limit 3`);
    expect(customers.length).toBeGreaterThan(0);
    for (const { customer_id } of customers) {
      const body = (await json(`/api/customers/${encodeURIComponent(customer_id)}`, f.keys.collections)) as {
        promises: { promise_id: string; currency: string; amount: string; amount_reporting: string }[];
      };
      const expected = await f.sql<{ promise_id: string; currency: string; amount_reporting: string }>(`
        select p.promise_id, p.currency, test_converted(p.amount, p.currency, p.promise_date)::varchar as amount_reporting
        from fct_promises as p where p.customer_id = $1 order by p.promise_id`, [customer_id]);
      expect(body.promises.map((p) => ({ promise_id: p.promise_id, currency: p.currency, amount_reporting: Number(p.amount_reporting).toFixed(2) }))
        .sort((a, b) => a.promise_id.localeCompare(b.promise_id))).toEqual(expected);
    }
  });

  test('balances: every open item, customer balance and call-list balance is its items at their own rates', async () => {
    expect(await f.sql(`
      select a.invoice_id, a.payment_id, a.currency, a.outstanding, a.outstanding_reporting from ar_aging as a
      where a.outstanding_reporting <> test_converted(a.outstanding, a.currency, a.invoice_date)`)).toEqual([]);
    expect(await f.sql(`
      select d.customer_id, d.open_balance, a.balance from dim_customers as d
      left join (select a.customer_id, sum(test_converted(a.outstanding, a.currency, a.invoice_date)) as balance from ar_aging as a group by 1) as a using (customer_id)
      where d.open_balance <> coalesce(a.balance, 0)`)).toEqual([]);
    expect(await f.sql(`
      select c.customer_id, c.open_balance, i.balance from call_list as c
      join (
          select i.customer_id, sum(test_converted(i.outstanding, i.currency, i.invoice_date)) as balance
          from fct_invoices as i
          where i.outstanding > 0 and i.document_type <> 'credit_note'
            and i.invoice_id in (select invoice_id from risk_scores where as_of = (select max(as_of) from call_list))
          group by 1
      ) as i using (customer_id)
      where c.open_balance <> i.balance`)).toEqual([]);
  });

  test('forecast: the mart and the CFO panel, under every segment and country, are open items at their own rates', async () => {
    const [{ asOf }] = await f.sql<{ asOf: string }>(`select as_of::varchar as "asOf" from build_options`);
    // The mart, at the build's as-of: each row is the converted balance of the open items the rule places there.
    expect(await f.sql(`
      select m.horizon, m.week_number, m.expected_amount, x.amount from agg_cash_forecast as m
      left join (
          select c.horizon, c.week_number, sum(test_converted(c.outstanding, c.currency, c.invoice_date)) as amount
          from cash_forecast_at((select as_of from build_options)) as c group by all
      ) as x on x.horizon = m.horizon and x.week_number is not distinct from m.week_number
      where m.expected_amount <> coalesce(x.amount, 0)`)).toEqual([]);
    const segments = (await f.sql<{ v: string }>(`select distinct segment as v from dim_customers where segment is not null order by 1`)).map((r) => r.v);
    const countries = (await f.sql<{ v: string }>(`select distinct country as v from dim_customers where country is not null order by 1`)).map((r) => r.v);
    const filters: { segment?: string; country?: string }[] = [{}, ...segments.map((segment) => ({ segment })), ...countries.map((country) => ({ country }))];
    let drawn = 0;
    for (const d of [asOf, '2026-06-30']) {
      for (const filter of filters) {
        const query = new URLSearchParams({ as_of: d, ...filter }).toString();
        const panel = (await json(`/api/dashboards/cfo/panels/cash_forecast?${query}`, f.keys.cfo)) as { rows: { week_number: number; expected_amount: number }[] };
        const expected = await f.sql<{ week_number: number; amount: string }>(`
          select c.week_number, sum(test_converted(c.outstanding, c.currency, c.invoice_date))::varchar as amount
          from cash_forecast_at($1::date) as c
          where c.horizon = 'week' and ($2::varchar is null or c.segment = $2) and ($3::varchar is null or c.country = $3)
          group by c.week_number order by c.week_number`, [d, filter.segment ?? null, filter.country ?? null]);
        const got = panel.rows.filter((r) => r.expected_amount !== 0).map((r) => ({ week_number: r.week_number, amount: r.expected_amount.toFixed(2) }));
        expect({ d, filter, weeks: got }).toEqual({ d, filter, weeks: expected.map((r) => ({ week_number: r.week_number, amount: Number(r.amount).toFixed(2) })) });
        drawn += got.length;
        if (Object.keys(filter).length) continue;
        // In another currency the page divides by that currency's factor on the as-of, and only that.
        const cop = (await json(`/api/dashboards/cfo/panels/cash_forecast?${query}&currency=COP`, f.keys.cfo)) as { rows: { expected_amount: number }[] };
        const [{ factor }] = await f.sql<{ factor: number }>(`select test_factor('COP', $1::date)::double as factor`, [d]);
        expect(cop.rows.map((r) => r.expected_amount * factor)).toEqual(panel.rows.map((r) => expect.closeTo(r.expected_amount, 2)));
      }
    }
    expect(drawn).toBeGreaterThan(20);
  });
});

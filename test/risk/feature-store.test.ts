import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { FEATURES } from '../../src/risk/features.ts';
import { DEFAULT_FOREST_PARAMS } from '../../src/risk/forest.ts';
import { scoreWarehouse } from '../../src/risk/score.ts';
import { collectExamples, readExamples, SAMPLE } from '../../src/risk/train.ts';
import { AS_OF, syntheticHistories } from './fixture.ts';
import { addEventsBefore } from './synthetic-history.ts';

/** A history with events of every kind the features read, and credit limits. */
const history = syntheticHistories((wh) => addEventsBefore(wh, AS_OF));

interface Read {
  /** Each example's features (FEATURES, then the attribute features), by invoice id. */
  rows: Map<string, number[]>;
  kept: number;
  computed: number;
}

/** The training examples at AS_OF and their features: through the store, or computed whole. */
async function examples(wh: Warehouse, store: boolean): Promise<Read> {
  await collectExamples(wh, { lateDays: 30, issuedBefore: AS_OF, knownBy: AS_OF, sample: SAMPLE });
  const attrs = [{ name: 'attr:invoice.channel', entity: 'invoice' as const, attribute: 'channel', kind: 'category' as const, dated: true, levels: ['web', 'phone', 'mail'] }];
  const { m, stored } = await readExamples(wh, 30, attrs, store);
  const rows = new Map<string, number[]>();
  for (let i = 0; i < m.n; i++) rows.set(m.invoiceIds[i], Array.from(m.X.subarray(i * m.nFeatures, (i + 1) * m.nFeatures)));
  return { rows, kept: stored?.kept ?? 0, computed: stored?.computed ?? m.n };
}

/** Reads through the store and checks every example's features against a computation of them all. */
async function throughStore(wh: Warehouse): Promise<Read> {
  const cold = await examples(wh, false);
  const read = await examples(wh, true);
  expect(read.rows.size).toBe(cold.rows.size);
  for (const [id, x] of cold.rows) expect(read.rows.get(id), id).toEqual(x);
  return read;
}

/** How many of the training examples were issued on or after `day`. */
async function examplesFrom(wh: Warehouse, day: string): Promise<number> {
  await collectExamples(wh, { lateDays: 30, issuedBefore: AS_OF, knownBy: AS_OF, sample: SAMPLE });
  return Number(await wh.scalar('select count(*) from risk_examples where as_of >= $1::date', [day]));
}

describe('the feature store', () => {
  it('keeps every example while nothing changes, and reads them back as computed', async () => {
    const wh = await history();
    const first = await throughStore(wh);
    expect(first.rows.size).toBeGreaterThan(1000);
    expect(first).toMatchObject({ kept: 0, computed: first.rows.size });
    expect(await throughStore(wh)).toMatchObject({ kept: first.rows.size, computed: 0 });
    expect(FEATURES.length + 1).toBe(first.rows.values().next().value!.length);
  });

  it('recomputes the examples from the first day a fact changed, and only those', async () => {
    const wh = await history();
    const n = (await throughStore(wh)).rows.size;
    const day = String(await wh.scalar(`select (date '${AS_OF}' - 300)::varchar`));
    // One invoice's amount, in the middle of the history: its customer's balances move from its issue day on.
    await wh.run(`update fct_invoices set amount_reporting = amount_reporting + 1
      where invoice_id = (select min(invoice_id) from fct_invoices where invoice_date = $1::date)`, [day]);
    const after = await throughStore(wh);
    const from = await examplesFrom(wh, day);
    expect(from).toBeGreaterThan(100);
    expect(after).toMatchObject({ kept: n - from, computed: from });
  });

  it('keeps the examples when only later facts arrive: payments, settlements, contacts, promises and disputes after them', async () => {
    const wh = await history();
    const n = (await throughStore(wh)).rows.size;
    // The newest example was issued 61 days before AS_OF (the late line must have passed): everything below is later.
    await wh.run(`
      insert into fct_payments select 'PL' || invoice_id, customer_id, invoice_id, date '${AS_OF}' - 10, amount_reporting, currency,
        amount_reporting, 'transfer', false, false from fct_invoices where paid_date is null and hash(invoice_id) % 2 = 0;
      update fct_invoices set paid_date = date '${AS_OF}' - 10, status = 'paid', outstanding = 0, outstanding_reporting = 0
        where paid_date is null and hash(invoice_id) % 2 = 0;
      insert into fct_activities select 'AL' || customer_id, customer_id, null, date '${AS_OF}' - 5, 'email', 'sent', 'Ana', null
        from (select distinct customer_id from fct_invoices);
      insert into fct_promises select 'PL' || customer_id, customer_id, null, date '${AS_OF}' - 5, date '${AS_OF}' + 5, 100, 'pending'
        from (select distinct customer_id from fct_invoices);
      update fct_disputes set resolved_date = date '${AS_OF}' - 3, status = 'resolved';`);
    expect(await throughStore(wh)).toMatchObject({ kept: n, computed: 0 });
  });

  it('recomputes from the day of an older payment removed, a dispute resolved or a promise made and then broken', async () => {
    const wh = await history();
    const n = (await throughStore(wh)).rows.size;
    // Each: a fact chosen by date, the day its change takes effect, and the change.
    const cases: [string, string][] = [
      [
        `select payment_id as id, payment_date as day from fct_payments where payment_date <= date '${AS_OF}' - 200 order by payment_date desc, payment_id limit 1`,
        'delete from fct_payments where payment_id = $id and $day is not null',
      ],
      [
        `select dispute_id as id, date '${AS_OF}' - 250 as day from fct_disputes where opened_date < date '${AS_OF}' - 250 order by dispute_id limit 1`,
        `update fct_disputes set resolved_date = $day, status = 'resolved' where dispute_id = $id`,
      ],
      [
        `select promise_id as id, promise_date as day from fct_promises where promised_date <= date '${AS_OF}' - 150 order by promised_date desc, promise_id limit 1`,
        `update fct_promises set status = 'kept' where promise_id = $id and $day is not null`,
      ],
    ];
    for (const [pick, change] of cases) {
      const [{ id, day }] = await wh.all<{ id: string; day: string }>(`select id, day::varchar as day from (${pick})`);
      await wh.run(change, { id, day: day as string });
      const from = await examplesFrom(wh, day);
      expect(from, change).toBeGreaterThan(0);
      expect(await throughStore(wh), change).toMatchObject({ kept: n - from, computed: from });
    }
  });

  it("recomputes a customer's examples when its credit limit changes (the master has no dates), and none for a column no feature reads", async () => {
    const wh = await history();
    const n = (await throughStore(wh)).rows.size;
    await wh.run(`update fct_invoices set outstanding = outstanding + 1, collector = 'Luis', customer_name = 'Renamed'`);
    await wh.run(`update dim_customers set email = 'x@example.com', phone = '555'`);
    expect(await throughStore(wh)).toMatchObject({ kept: n, computed: 0 });
    const [{ c }] = await wh.all<{ c: string }>(`select customer_id as c from risk_examples join fct_invoices using (invoice_id) order by invoice_id limit 1`);
    const own = Number(await wh.scalar('select count(*) from risk_examples join fct_invoices using (invoice_id) where customer_id = $1', [c]));
    await wh.run(`update dim_customers set credit_limit = 5000 where customer_id = $1`, [c]);
    expect(own).toBeGreaterThan(0);
    expect(await throughStore(wh)).toMatchObject({ kept: n - own, computed: own });
    await wh.run(`delete from dim_customers where customer_id = $1`, [c]);
    expect(await throughStore(wh)).toMatchObject({ kept: n - own, computed: own });
    // A master row without a customer number matches no invoice: it moves nothing, and must not void the store.
    await wh.run(`insert into dim_customers (customer_id, credit_limit) values (null, 100)`);
    expect(await throughStore(wh)).toMatchObject({ kept: n, computed: 0 });
  });

  it("starts afresh when the history's main currency changes: every example's foreign_currency reads it", async () => {
    const wh = await history();
    const n = (await throughStore(wh)).rows.size;
    await wh.run(`update fct_invoices set currency = 'USD' where hash(invoice_id) % 3 <> 0`);
    expect(await throughStore(wh)).toMatchObject({ kept: 0, computed: n });
  });
});

describe('the feature store under scoring', () => {
  it('serves a retraining of the warehouse model with its attribute counts, and starts afresh after other code or another table shape wrote it', async () => {
    const wh = await history();
    const params = { ...DEFAULT_FOREST_PARAMS, nTrees: 6, treesPerGroup: 3, maxDepth: 6 };
    const first = (await scoreWarehouse(wh, { lateDays: 30, retrain: true, params, callList: false })).model;
    const n = first.n_train;
    // The region of the customers is an attribute feature: its counts are kept too, all of them the second time.
    expect(first.attributes.map((a) => a.name)).toContain('attr:customer.region');
    expect(first.feature_store).toEqual({ kept: 0, computed: n, attributes_from: '0001-01-01' });
    const horizon = String(await wh.scalar('select horizon::varchar from risk_attribute_store_state where late_days = 30'));
    const next = String(await wh.scalar(`select ($1::date + 1)::varchar`, [horizon]));
    const again = () => scoreWarehouse(wh, { lateDays: 30, retrain: true, params, callList: false }).then((s) => s.model.feature_store);
    expect(await again()).toEqual({ kept: n, computed: 0, attributes_from: next });
    await wh.run(`update risk_feature_store_context set context = '{"code":"older"}'`);
    expect(await again()).toEqual({ kept: 0, computed: n, attributes_from: next });
    await wh.run('alter table risk_feature_store drop column tenure_days');
    expect(await again()).toEqual({ kept: 0, computed: n, attributes_from: next });
    await wh.run(`update risk_attribute_store_state set context = '{"code":"older"}'`);
    expect(await again()).toEqual({ kept: n, computed: 0, attributes_from: '0001-01-01' });
    // Another late-days rule has its own rows.
    expect(await scoreWarehouse(wh, { lateDays: 15, retrain: true, params, callList: false }).then((s) => s.model.feature_store))
      .toMatchObject({ kept: 0, attributes_from: '0001-01-01' });
    expect(await again()).toEqual({ kept: n, computed: 0, attributes_from: next });
  });
});

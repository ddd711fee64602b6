import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { withCustomerRecord } from '../../src/risk/customer-record.ts';
import { buildFeatures } from '../../src/risk/features.ts';
import type { RecordUse } from '../../src/risk/record-store.ts';
import { AS_OF, syntheticHistories } from './fixture.ts';

/** One invoice in seven paid in two halves, 20 days apart: the record's part-paid invoices and their payments. */
const history = syntheticHistories(async (wh) => {
  await wh.run(`create or replace table fct_payments as
    select payment_id, customer_id, invoice_id, payment_date, amount, currency, amount_reporting, method, is_write_off, is_derived
    from fct_payments where hash(invoice_id) % 7 <> 0
    union all
    select payment_id || h, customer_id, invoice_id, payment_date - (h * 20), amount / 2, currency, amount_reporting / 2, method, is_write_off, is_derived
    from fct_payments, (values (0), (1)) as halves(h) where hash(invoice_id) % 7 = 0`);
});

type Rows = Record<string, unknown>[];

/** The record and the part payments an operation reads, in one order. */
const readRecord = async (wh: Warehouse): Promise<{ record: Rows; parts: Rows }> => ({
  record: await wh.all('select * from risk_customer_record order by customer_id, record_order'),
  parts: await wh.all('select * from risk_parts_payments order by all'),
});

/** Reads the record through the store, checks it against one made whole, and returns what the store did. */
async function throughStore(wh: Warehouse, lateDays = 30): Promise<RecordUse> {
  const whole = await withCustomerRecord(wh, lateDays, () => readRecord(wh));
  let use: RecordUse | undefined;
  const read = await withCustomerRecord(wh, lateDays, () => readRecord(wh), { store: true, used: (u) => (use = u) });
  expect(whole.parts.length).toBeGreaterThan(100);
  expect(read.record).toEqual(whole.record);
  expect(read.parts).toEqual(whole.parts);
  return use!;
}

/** A customer with at least `n` invoices, the `k`-th by id. */
const customer = async (wh: Warehouse, k = 0) =>
  String(await wh.scalar(`select customer_id from fct_invoices group by 1 having count(*) >= 20 order by 1 limit 1 offset ${k}`));

/** An invoice of `c` paid in one payment, issued long before AS_OF. */
const paidInvoice = async (wh: Warehouse, c: string) =>
  String(await wh.scalar(`select invoice_id from fct_invoices join fct_payments using (customer_id, invoice_id)
    where customer_id = $1 and invoice_date < date '${AS_OF}' - 200 group by 1 having count(*) = 1 order by 1 limit 1`, [c]));

describe('the record store', () => {
  it('makes every record the first time, then none when nothing changed', async () => {
    const wh = await history();
    const customers = Number(await wh.scalar('select count(distinct customer_id) from fct_invoices'));
    expect(await throughStore(wh)).toEqual({ kept: 0, made: customers });
    expect(await throughStore(wh)).toEqual({ kept: customers, made: 0 });
  });

  it("makes again only the records of customers whose invoices or payments changed", async () => {
    const wh = await history();
    await throughStore(wh);
    // A second payment on an older invoice: part-paid now, its record row and the part payments change.
    const a = await customer(wh, 0);
    await wh.run(`insert into fct_payments select payment_id || 'b', customer_id, invoice_id, payment_date - 10, amount / 4, currency, amount_reporting / 4, method, false, false
      from fct_payments where invoice_id = $1`, [await paidInvoice(wh, a)]);
    expect((await throughStore(wh)).made).toBe(1);
    // A settlement moved: the invoice's outcome, and so its place in the record, change.
    const b = await customer(wh, 1);
    await wh.run(`update fct_invoices set paid_date = paid_date + 45 where invoice_id = $1`, [await paidInvoice(wh, b)]);
    expect((await throughStore(wh)).made).toBe(1);
    // A new invoice, and one removed (with its payments).
    const c = await customer(wh, 2);
    await wh.run(`insert into fct_invoices by name
      select * replace ('NEW1' as invoice_id, date '${AS_OF}' - 3 as invoice_date, date '${AS_OF}' + 27 as due_date, null::date as paid_date, 'open' as status)
      from fct_invoices where customer_id = $1 limit 1`, [c]);
    const d = await customer(wh, 3);
    const gone = await paidInvoice(wh, d);
    for (const table of ['fct_invoices', 'fct_payments']) await wh.run(`delete from ${table} where invoice_id = $1`, [gone]);
    expect((await throughStore(wh)).made).toBe(2);
    // A payment put on another customer: both records change.
    const e = await customer(wh, 4);
    await wh.run(`update fct_payments set customer_id = $2 where invoice_id = $1`, [await paidInvoice(wh, e), await customer(wh, 5)]);
    expect((await throughStore(wh)).made).toBe(2);
    // An invoice's columns the record does not read (its collector, what is outstanding today) change nothing.
    await wh.run(`update fct_invoices set collector = 'Someone else' where customer_id = $1`, [a]);
    expect((await throughStore(wh)).made).toBe(0);
  });

  it('makes every record again for another late-days rule', async () => {
    const wh = await history();
    const customers = Number(await wh.scalar('select count(distinct customer_id) from fct_invoices'));
    await throughStore(wh, 30);
    expect((await throughStore(wh, 0)).made).toBe(customers);
    expect((await throughStore(wh, 0)).made).toBe(0);
  });

  it("changes nothing when the caller's transaction fails", async () => {
    const wh = await history();
    await throughStore(wh);
    const a = await customer(wh);
    await wh.run(`update fct_invoices set paid_date = paid_date + 45 where invoice_id = $1`, [await paidInvoice(wh, a)]);
    await expect(
      wh.transaction(() => withCustomerRecord(wh, 30, () => wh.run(`select error('the scoring failed')`), { store: 'in-transaction' })),
    ).rejects.toThrow(/the scoring failed/);
    // The update was rolled back with the scoring: the store still holds the customer's old record and makes it again.
    expect((await throughStore(wh)).made).toBe(1);
  });

  it('gives every feature the record made whole gives', async () => {
    const wh = await history();
    const examples = `select invoice_id, invoice_date as as_of from fct_invoices where invoice_date >= date '${AS_OF}' - 365`;
    const features = async () => {
      await buildFeatures(wh, examples, {}, 30);
      return wh.all('select * from risk_features order by rn');
    };
    const whole = await withCustomerRecord(wh, 30, features);
    await withCustomerRecord(wh, 30, async () => undefined, { store: true });
    await wh.run(`update fct_invoices set paid_date = paid_date + 45 where invoice_id = $1`, [await paidInvoice(wh, await customer(wh))]);
    const changedWhole = await withCustomerRecord(wh, 30, features);
    const changedRead = await withCustomerRecord(wh, 30, features, { store: true });
    expect(changedWhole.length).toBeGreaterThan(1000);
    expect(changedRead).toEqual(changedWhole);
    expect(changedWhole).not.toEqual(whole);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { buildFeatures } from '../../src/risk/features.ts';
import { DEFAULT_FOREST_PARAMS } from '../../src/risk/forest.ts';
import { trainModel } from '../../src/risk/train.ts';
import { tempWarehouse } from './fixture.ts';
import { createSyntheticHistory } from './synthetic-history.ts';

const D = '2024-03-01';
const SMALL = { ...DEFAULT_FOREST_PARAMS, nTrees: 6, treesPerGroup: 3, maxDepth: 6 };

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function history(): Promise<Warehouse> {
  const t = await tempWarehouse();
  cleanup = t.done;
  await createSyntheticHistory(t.wh, 3000, '2024-06-30');
  // Some events of every kind before D, so the features that read them are not all zero.
  await t.wh.run(`
    insert into fct_promises select 'PB' || invoice_id, customer_id, invoice_id, due_date + 5, due_date + 20, amount, 'broken'
      from fct_invoices where hash(invoice_id) % 7 = 0 and due_date + 20 < date '${D}';
    insert into fct_activities select 'AB' || invoice_id, customer_id, invoice_id, due_date + 3, 'phone', 'reached', 'Ana', null
      from fct_invoices where hash(invoice_id) % 5 = 0 and due_date + 3 < date '${D}';
    insert into fct_disputes select 'DB' || invoice_id, invoice_id, customer_id, invoice_date + 2, null, amount, 'price', 'open'
      from fct_invoices where hash(invoice_id) % 11 = 0 and invoice_date + 2 < date '${D}';
    insert into dim_customers select distinct customer_id, customer_id, null, null, 'retail', 'Ana', 'ES', 20000, 30 from fct_invoices;`);
  return t.wh;
}

/** Invoices open on D, and a sample of older ones, all as of D. */
const TARGETS = `select invoice_id, $d::date as as_of from fct_invoices
  where invoice_date <= $d::date and (paid_date is null or paid_date > $d::date or hash(invoice_id) % 10 = 0)`;

async function featuresAtD(wh: Warehouse): Promise<unknown[]> {
  await buildFeatures(wh, TARGETS, { d: D }, 30);
  return wh.all('select * exclude (rn) from risk_features order by invoice_id');
}

/** Events dated after D of every kind the features read. */
async function addLaterEvents(wh: Warehouse): Promise<void> {
  await wh.run(`
    insert into fct_payments select 'PL' || invoice_id, customer_id, invoice_id, date '${D}' + 1 + (hash(invoice_id) % 20)::int,
      amount / 2, currency, amount_reporting / 2, 'transfer', false, false
      from fct_invoices where invoice_date <= date '${D}' and hash(invoice_id) % 3 = 0;
    insert into fct_payments select 'PU' || customer_id, customer_id, null, date '${D}' + 2, 100, 'EUR', 100, 'transfer', false, false
      from (select distinct customer_id from fct_invoices);
    insert into fct_promises select 'PL' || invoice_id, customer_id, invoice_id, date '${D}' + 1, date '${D}' + 10, amount, 'broken'
      from fct_invoices where hash(invoice_id) % 4 = 0;
    insert into fct_activities select 'AL' || invoice_id, customer_id, invoice_id, date '${D}' + 1, 'email', 'sent', 'Ana', null
      from fct_invoices where hash(invoice_id) % 4 = 1;
    insert into fct_disputes select 'DL' || invoice_id, invoice_id, customer_id, date '${D}' + 1, null, amount, 'quality', 'open'
      from fct_invoices where hash(invoice_id) % 4 = 2;
    -- Invoices still open on D settle the day after.
    update fct_invoices set paid_date = date '${D}' + 1, status = 'paid' where paid_date is null and invoice_date <= date '${D}';
    insert into fct_invoices select 'NEW' || invoice_id, customer_id, customer_name, document_type, date '${D}' + 1, date '${D}' + 31,
      amount, currency, amount_reporting, paid_amount, outstanding, outstanding_reporting, null, null, null, null, null, true, 'open',
      collector, segment, country, payment_terms_days from fct_invoices where hash(invoice_id) % 9 = 0;`);
}

describe('features as of a date', () => {
  it('never see a payment, promise, activity, dispute, settlement or invoice dated after it', async () => {
    const wh = await history();
    const before = await featuresAtD(wh);
    expect(before.length).toBeGreaterThan(100);
    await addLaterEvents(wh);
    expect(await featuresAtD(wh)).toEqual(before);
  });

  it('do see the same kinds of events when dated on or before it (the check above can fail)', async () => {
    const wh = await history();
    const before = await featuresAtD(wh);
    await wh.run(`insert into fct_promises select 'PE' || invoice_id, customer_id, invoice_id, date '${D}' - 20, date '${D}' - 10, amount, 'broken'
      from fct_invoices where hash(invoice_id) % 4 = 0`);
    await wh.run(`insert into fct_activities select 'AE' || invoice_id, customer_id, invoice_id, date '${D}', 'email', 'sent', 'Ana', null
      from fct_invoices where hash(invoice_id) % 4 = 1`);
    const after = (await featuresAtD(wh)) as Record<string, number>[];
    const changed = (f: string) => after.some((r, i) => r[f] !== (before[i] as Record<string, number>)[f]);
    expect(changed('broken_promises')).toBe(true);
    expect(changed('activities_90d')).toBe(true);
  });

  it('train the same model from what was known at the cut-off, whatever happened later', async () => {
    const wh = await history();
    const a = await trainModel(wh, { lateDays: 30, trainUntil: D, params: SMALL });
    await addLaterEvents(wh);
    const b = await trainModel(wh, { lateDays: 30, trainUntil: D, params: SMALL });
    expect(b.n_train).toBe(a.n_train);
    expect(b.forest).toEqual(a.forest);
    expect(b.calibration).toEqual(a.calibration);
  });
});

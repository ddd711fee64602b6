import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  ({ wh, close } = await tempWarehouse());
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-01-05', due_date: '2024-02-04', amount: 1000 },
    { invoice_id: 'I2', customer_id: 'C1', invoice_date: '2024-03-01', due_date: '2024-03-31', amount: 400 },
    { invoice_id: 'I3', customer_id: 'C2', invoice_date: '2024-03-20', due_date: '2024-04-19', amount: 250 },
  ]);
  await insertRaw(wh, 'payments', [
    { payment_id: 'P1', customer_id: 'C1', invoice_id: 'I1', payment_date: '2024-03-10', amount: 600 },
    { payment_id: 'P2', customer_id: 'C2', payment_date: '2024-04-02', amount: 50 },
  ]);
  await runBuild(wh, { asOf: '2024-04-30' });
});
afterAll(() => close());

const balances = (asOf: string, basis: string, bounds: string) =>
  wh.all(
    `select customer_id, bucket_order, outstanding_reporting::varchar as amount, items from aging_balances('${asOf}', '${basis}', ${bounds}) order by all`,
  );

describe('aging_balances (what the API aging pivot lays out)', () => {
  it('sums the open items per customer and bucket, at the build date and any other, worked by hand', async () => {
    // 2024-04-30, by due date: I1 400 left, 86 days past due (61-90); I2 400, 30 days (1-30); I3 250, 11 days (1-30); P2 -50 unapplied.
    expect(await balances('2024-04-30', 'due', '[30, 60, 90, 120]')).toEqual([
      { customer_id: 'C1', bucket_order: 1, amount: '400.00', items: 1 },
      { customer_id: 'C1', bucket_order: 3, amount: '400.00', items: 1 },
      { customer_id: 'C2', bucket_order: 1, amount: '250.00', items: 1 },
      { customer_id: 'C2', bucket_order: 6, amount: '-50.00', items: 1 },
    ]);
    // 2024-03-05, by invoice date, bounds 30 and 60: I1 1000 open (paid 03-10), 60 days old (31-60); I2 400, 4 days (1-30).
    expect(await balances('2024-03-05', 'invoice', '[30, 60]')).toEqual([
      { customer_id: 'C1', bucket_order: 1, amount: '400.00', items: 1 },
      { customer_id: 'C1', bucket_order: 2, amount: '1000.00', items: 1 },
    ]);
  });

  it('equals aging_with grouped the same way', async () => {
    for (const [asOf, basis, bounds] of [['2024-04-30', 'due', '[30, 60, 90, 120]'], ['2024-03-31', 'invoice', '[15, 45]']]) {
      const grouped = await wh.all(
        `select customer_id, bucket_order, sum(outstanding_reporting)::varchar as amount, count(*)::integer as items
         from aging_with('${asOf}', '${basis}', ${bounds}) group by all order by all`,
      );
      expect(await balances(asOf, basis, bounds)).toEqual(grouped);
    }
  });
});

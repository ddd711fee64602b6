import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { ingestInto, tempDir, writeFile } from '../ingest/helpers.ts';
import { BALANCE_MODELS, failingChecks } from './model-checks.ts';

// Overpayments, loaded from real exports by the real pipeline and built at 2024-06-30.
//   C1: I1 100 issued 01-01 due 01-31, paid 150 by P1 on 03-05: 50 too much (64 days to pay, 34 late)
//       I2 300 issued 01-15 due 02-14, unpaid: 137 days past due at 06-30 -> 120+
//   C2: I3  80 issued 06-01 due 07-01, paid 50 on 06-10 and 45 on 06-20: 15 too much (19 days to pay)
// The excess is unapplied credit (bucket 'unapplied'), never a negative balance in the invoice's own bucket:
// 120+ holds all of I2's 300 (it would show 250 with I1's -50 in it), current holds nothing (it would show -15).
let wh: Warehouse;

beforeAll(async () => {
  const dir = tempDir();
  const invoices = writeFile(
    dir,
    'facturas.csv',
    'invoice_id,customer_id,invoice_date,due_date,amount\nI1,C1,2024-01-01,2024-01-31,100.00\nI2,C1,2024-01-15,2024-02-14,300.00\nI3,C2,2024-06-01,2024-07-01,80.00\n',
  );
  const payments = writeFile(
    dir,
    'pagos.csv',
    'payment_id,customer_id,invoice_id,payment_date,amount\nP1,C1,I1,2024-03-05,150.00\nP2,C2,I3,2024-06-10,50.00\nP3,C2,I3,2024-06-20,45.00\n',
  );
  const loaded = await ingestInto(dir, [invoices, payments]);
  wh = loaded.wh;
  expect(loaded.report.loaded.map((r) => [r.entity, r.rows, r.rejected, r.warnings])).toEqual([
    ['invoices', 3, 0, 0],
    ['payments', 3, 0, 0],
  ]);
  await runBuild(wh, { asOf: '2024-06-30' });
});
afterAll(() => wh.close());

describe('an overpayment', () => {
  it('leaves its excess in bucket unapplied, and 120+ whole', async () => {
    expect(await wh.all(`select invoice_id, customer_id, bucket, bucket_order, outstanding from ar_aging order by bucket_order, invoice_id`)).toEqual([
      { invoice_id: 'I2', customer_id: 'C1', bucket: '120+', bucket_order: 5, outstanding: '300.00' },
      { invoice_id: 'I1', customer_id: 'C1', bucket: 'unapplied', bucket_order: 6, outstanding: '-50.00' },
      { invoice_id: 'I3', customer_id: 'C2', bucket: 'unapplied', bucket_order: 6, outstanding: '-15.00' },
    ]);
  });

  it('settles the invoice it paid, with its excess as unapplied credit', async () => {
    expect(
      await wh.all(`select invoice_id, outstanding, paid_amount, status, bucket, paid_date, days_to_pay, days_late from fct_invoices order by invoice_id`),
    ).toEqual([
      { invoice_id: 'I1', outstanding: '-50.00', paid_amount: '150.00', status: 'paid', bucket: 'unapplied', paid_date: '2024-03-05', days_to_pay: 64, days_late: 34 },
      { invoice_id: 'I2', outstanding: '300.00', paid_amount: '0.00', status: 'open', bucket: '120+', paid_date: null, days_to_pay: null, days_late: null },
      { invoice_id: 'I3', outstanding: '-15.00', paid_amount: '95.00', status: 'paid', bucket: 'unapplied', paid_date: '2024-06-20', days_to_pay: 19, days_late: 0 },
    ]);
  });

  it('does not understate what is overdue in the KPIs', async () => {
    // March: I2 300 overdue, I1's 50 unapplied. June: the same, and I3's 15 unapplied: ar_end 235, overdue 300 -> 127.66%.
    expect(await wh.all(`select month, ar_end, ar_current_end, ar_overdue_end, overdue_pct from kpi_monthly where month in ('2024-03-01', '2024-06-01') order by month`)).toEqual([
      { month: '2024-03-01', ar_end: '250.00', ar_current_end: '0.00', ar_overdue_end: '300.00', overdue_pct: '120.00' },
      { month: '2024-06-01', ar_end: '235.00', ar_current_end: '0.00', ar_overdue_end: '300.00', overdue_pct: '127.66' },
    ]);
    expect(await wh.all(`select customer_id, open_balance, overdue_balance from dim_customers order by customer_id`)).toEqual([
      { customer_id: 'C1', open_balance: '250.00', overdue_balance: '300.00' },
      { customer_id: 'C2', open_balance: '-15.00', overdue_balance: '0.00' },
    ]);
  });

  it('ages the excess as unapplied on any other date too', async () => {
    // 04-30: I2 is 76 days past due (61-90); I1's excess is unapplied.
    expect(await wh.all(`select customer_id, bucket_order, outstanding_reporting from aging_balances('2024-04-30', 'due', [30, 60, 90, 120]) order by all`)).toEqual([
      { customer_id: 'C1', bucket_order: 3, outstanding_reporting: '300.00' },
      { customer_id: 'C1', bucket_order: 6, outstanding_reporting: '-50.00' },
    ]);
    expect(await wh.all(`select invoice_id, bucket, outstanding from aging_with('2024-04-30', 'due', [30, 60, 90, 120]) order by invoice_id`)).toEqual([
      { invoice_id: 'I1', bucket: 'unapplied', outstanding: '-50.00' },
      { invoice_id: 'I2', bucket: '61-90', outstanding: '300.00' },
    ]);
  });

  it('keeps every reconciliation of balances, buckets and KPIs', async () => {
    expect(await failingChecks(wh, BALANCE_MODELS)).toEqual([]);
  });
});

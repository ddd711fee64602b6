import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

// An invoices-only export: no payments, promises, contacts, disputes or customer master. Settlements come from the
// invoices' own paid columns (int_payments_derived_from_invoices). Built at 2024-06-30.
//   I1 1,000 due 01-31 paid 02-20 (20 days late)   I3 300 due 02-29 paid 03-05 (5)   I4 200 due 03-31 paid 04-02 (2)
//   I2   500 due 05-31, open: waited 30 days, and nothing in the history was paid more than 30 days late -> never
// Open at the end of February: I3 (300); at the end of June: I2 (500).
let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-01-01', due_date: '2024-01-31', amount: 1000, paid_date: '2024-02-20', paid_amount: 1000 },
    { invoice_id: 'I2', customer_id: 'C1', invoice_date: '2024-05-01', due_date: '2024-05-31', amount: 500, outstanding: 500 },
    { invoice_id: 'I3', customer_id: 'C2', invoice_date: '2024-01-30', due_date: '2024-02-29', amount: 300, paid_date: '2024-03-05', paid_amount: 300 },
    { invoice_id: 'I4', customer_id: 'C2', invoice_date: '2024-03-01', due_date: '2024-03-31', amount: 200, paid_date: '2024-04-02', paid_amount: 200 },
  ]);
  await runBuild(wh, { asOf: '2024-06-30' });
});
afterAll(() => close());

describe('the remaining marts on an invoices-only export', () => {
  it('leave disputes and promises empty', async () => {
    expect(await wh.scalar('select count(*) from agg_disputes')).toBe('0');
    expect(await wh.scalar('select count(*) from agg_promises')).toBe('0');
  });

  it('give collectors their collections and balances with no contacts or promises', async () => {
    expect(
      await wh.all(
        `select month, collector, collected_amount, open_balance, activities, promises_made, promises_kept_rate_pct
         from kpi_collectors where month in ('2024-02-01', '2024-06-01') order by month`,
      ),
    ).toEqual([
      { month: '2024-02-01', collector: 'unassigned', collected_amount: '1000.00', open_balance: '300.00', activities: '0', promises_made: '0', promises_kept_rate_pct: null },
      { month: '2024-06-01', collector: 'unassigned', collected_amount: '0.00', open_balance: '500.00', activities: '0', promises_made: '0', promises_kept_rate_pct: null },
    ]);
  });

  it('follow recoveries and forecast from the settlements the invoices carry', async () => {
    expect(
      await wh.all(`select cohort_month, past_due_amount, recovered_30_pct, open_pct from agg_recovery where kind = 'past_due' order by cohort_month`),
    ).toEqual([
      { cohort_month: '2024-02-01', past_due_amount: '1000.00', recovered_30_pct: '100.00', open_pct: '0.00' },
      { cohort_month: '2024-03-01', past_due_amount: '300.00', recovered_30_pct: '100.00', open_pct: '0.00' },
      { cohort_month: '2024-04-01', past_due_amount: '200.00', recovered_30_pct: '100.00', open_pct: '0.00' },
      { cohort_month: '2024-06-01', past_due_amount: '500.00', recovered_30_pct: null, open_pct: '100.00' },
    ]);
    expect(await wh.all(`select horizon, expected_amount, invoices from agg_cash_forecast where expected_amount <> 0`)).toEqual([
      { horizon: 'never', expected_amount: '500.00', invoices: '1' },
    ]);
    expect(await wh.scalar(`select count(*) from agg_roll_rates where to_bucket <> 'loss'`)).not.toBe('0');
  });
});

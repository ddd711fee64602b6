import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

// Built at 2024-03-31, reporting in MXN (two MXN documents, one USD at 17.00).
//   D1 price     opened 01-10, resolved 01-25 (15 days), 100 MXN
//   D2 price     opened 01-20, resolved 02-19 (30 days), no amount: the invoice's 1,000 MXN
//   D3 quantity  opened 02-05, open, 250 USD = 4,250 MXN
//   D4 (no reason) opened 03-10, resolved 04-15 (after the as-of: still open), 50 MXN
//   D5 price     opened 04-02: after the as-of, not counted
let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await insertRaw(wh, 'fx_rates', [{ rate_date: '2024-01-01', currency: 'USD', rate: 17, base_currency: 'MXN' }]);
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-01-05', due_date: '2024-02-04', amount: 1000, currency: 'MXN' },
    { invoice_id: 'I2', customer_id: 'C1', invoice_date: '2024-01-06', due_date: '2024-02-05', amount: 500, currency: 'MXN' },
    { invoice_id: 'I3', customer_id: 'C2', invoice_date: '2024-01-07', due_date: '2024-02-06', amount: 300, currency: 'USD' },
  ]);
  await insertRaw(wh, 'disputes', [
    { dispute_id: 'D1', invoice_id: 'I1', opened_date: '2024-01-10', resolved_date: '2024-01-25', amount: 100, reason: 'price' },
    { dispute_id: 'D2', invoice_id: 'I1', opened_date: '2024-01-20', resolved_date: '2024-02-19', reason: 'price' },
    { dispute_id: 'D3', invoice_id: 'I3', opened_date: '2024-02-05', amount: 250, reason: 'quantity' },
    { dispute_id: 'D4', invoice_id: 'I2', opened_date: '2024-03-10', resolved_date: '2024-04-15', amount: 50 },
    { dispute_id: 'D5', invoice_id: 'I2', opened_date: '2024-04-02', amount: 20, reason: 'price' },
  ]);
  await runBuild(wh, { asOf: '2024-03-31' });
});
afterAll(() => close());

const d = (month: string, reason: string, opened: number, resolved: number, open: number, amountOpened: string, amountOpen: string, avg: string | null) => ({
  month,
  reason,
  opened: String(opened),
  resolved: String(resolved),
  open_at_month_end: String(open),
  amount_opened: amountOpened,
  amount_open_at_month_end: amountOpen,
  avg_days_to_resolve: avg,
});

describe('agg_disputes', () => {
  it('counts disputes opened, resolved and open at each month end by reason, with days to resolve', async () => {
    expect(await wh.all('select * from agg_disputes order by month, reason')).toEqual([
      d('2024-01-01', 'price', 2, 1, 1, '1100.00', '1000.00', '15.00'),
      d('2024-01-01', 'quantity', 0, 0, 0, '0.00', '0.00', null),
      d('2024-01-01', 'unspecified', 0, 0, 0, '0.00', '0.00', null),
      d('2024-02-01', 'price', 0, 1, 0, '0.00', '0.00', '30.00'),
      d('2024-02-01', 'quantity', 1, 0, 1, '4250.00', '4250.00', null),
      d('2024-02-01', 'unspecified', 0, 0, 0, '0.00', '0.00', null),
      d('2024-03-01', 'price', 0, 0, 0, '0.00', '0.00', null),
      d('2024-03-01', 'quantity', 0, 0, 1, '0.00', '4250.00', null),
      d('2024-03-01', 'unspecified', 1, 0, 1, '50.00', '50.00', null),
    ]);
  });
});

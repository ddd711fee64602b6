import { afterEach, describe, expect, it } from 'vitest';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

let close: () => void = () => {};
afterEach(() => close());

describe('kpi_monthly: the worked example', () => {
  it('gives the documented June 2024 figures', async () => {
    const t = await tempWarehouse();
    close = t.close;
    await insertRaw(t.wh, 'invoices', [
      { invoice_id: 'APR', customer_id: 'C1', invoice_date: '2024-04-15', due_date: '2024-05-15', amount: 70000, currency: 'USD' },
      { invoice_id: 'MAY', customer_id: 'C1', invoice_date: '2024-05-15', due_date: '2024-06-14', amount: 80000, currency: 'USD' },
      { invoice_id: 'JUN', customer_id: 'C1', invoice_date: '2024-06-15', due_date: '2024-07-15', amount: 100000, currency: 'USD' },
    ]);
    await insertRaw(t.wh, 'payments', [
      { payment_id: 'P1', customer_id: 'C1', invoice_id: 'APR', payment_date: '2024-06-20', amount: 38000 },
    ]);
    await runBuild(t.wh, { asOf: '2024-06-30' });
    const june = await t.wh.one(`select * from kpi_monthly where month = '2024-06-01'`);
    expect(june).toMatchObject({
      credit_sales: '100000.00',
      collections: '38000.00',
      ar_begin: '150000.00',
      ar_end: '212000.00',
      ar_current_end: '100000.00',
      ar_overdue_end: '112000.00',
      dso_standard: '77.17',
      dso_countback: '74.71',
      best_possible_dso: '36.40',
      add_days: '40.77',
      cei_pct: '25.33',
    });
    const months = await t.wh.all<{ month: string }>('select month from kpi_monthly order by month');
    expect(months.map((m) => m.month)).toEqual(['2024-04-01', '2024-05-01', '2024-06-01']);
  });

  it('leaves 0.01 open when 99.99 of 100 is paid', async () => {
    const t = await tempWarehouse();
    close = t.close;
    await insertRaw(t.wh, 'invoices', [
      { invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-01-10', due_date: '2024-02-09', amount: 100 },
    ]);
    await insertRaw(t.wh, 'payments', [
      { payment_id: 'P1', customer_id: 'C1', invoice_id: 'I1', payment_date: '2024-02-01', amount: 99.99 },
    ]);
    await runBuild(t.wh, { asOf: '2024-03-31' });
    expect(await t.wh.one('select outstanding, paid_amount, paid_date, status, bucket from fct_invoices')).toEqual({
      outstanding: '0.01',
      paid_amount: '99.99',
      paid_date: null,
      status: 'open',
      bucket: '31-60',
    });
    expect(await t.wh.scalar('select sum(outstanding) from ar_aging')).toBe('0.01');
    expect(await t.wh.scalar(`select ar_end from kpi_monthly where month = '2024-03-01'`)).toBe('0.01');
  });
});

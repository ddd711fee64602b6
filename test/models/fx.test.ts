import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

let close: () => void = () => {};
afterEach(() => close());

/** EUR and USD documents with rates to a USD base: EUR 1.10 from January, 1.20 from February. */
async function euroWarehouse(): Promise<Warehouse> {
  const t = await tempWarehouse();
  close = t.close;
  await insertRaw(t.wh, 'fx_rates', [
    { rate_date: '2024-01-01', currency: 'EUR', rate: 1.1, base_currency: 'USD' },
    { rate_date: '2024-02-01', currency: 'EUR', rate: 1.2, base_currency: 'USD' },
  ]);
  await insertRaw(t.wh, 'invoices', [
    { invoice_id: 'E1', customer_id: 'C1', invoice_date: '2024-01-15', due_date: '2024-02-14', amount: 1000, currency: 'EUR' },
    { invoice_id: 'E2', customer_id: 'C1', invoice_date: '2024-02-10', due_date: '2024-03-11', amount: 100, currency: 'EUR' },
    { invoice_id: 'U1', customer_id: 'C2', invoice_date: '2024-01-20', due_date: '2024-02-19', amount: 500, currency: 'USD' },
  ]);
  await insertRaw(t.wh, 'payments', [
    { payment_id: 'P1', customer_id: 'C1', invoice_id: 'E1', payment_date: '2024-02-15', amount: 400, currency: 'EUR' },
  ]);
  return t.wh;
}

describe('currency conversion', () => {
  it('converts to the reporting currency at the latest rate on or before each date', async () => {
    const wh = await euroWarehouse();
    const r = await runBuild(wh, { asOf: '2024-02-29', currency: 'USD' });
    expect(r.options.reportingCurrency).toBe('USD');
    expect(await wh.all('select invoice_id, amount_reporting, outstanding, outstanding_reporting from fct_invoices order by invoice_id')).toEqual([
      { invoice_id: 'E1', amount_reporting: '1100.00', outstanding: '600.00', outstanding_reporting: '660.00' },
      { invoice_id: 'E2', amount_reporting: '120.00', outstanding: '100.00', outstanding_reporting: '120.00' },
      { invoice_id: 'U1', amount_reporting: '500.00', outstanding: '500.00', outstanding_reporting: '500.00' },
    ]);
    // Cash is valued on the day it arrives; the receivable it settles leaves at its booked rate.
    expect(await wh.scalar(`select amount_reporting from fct_payments where payment_id = 'P1'`)).toBe('480.00');
    expect(await wh.one(`select collections, ar_end from kpi_monthly where month = '2024-02-01'`)).toEqual({
      collections: '440.00',
      ar_end: '1280.00',
    });
    // What pages divide by to show these figures in EUR: the same daily rate, 1 for USD itself.
    expect(await wh.all(`select reporting_per_unit('EUR', '2024-01-31')::varchar as jan, reporting_per_unit('EUR', '2024-02-29')::varchar as feb, reporting_per_unit('USD', '2024-02-29')::varchar as usd`)).toEqual([
      { jan: '1.1000000000', feb: '1.2000000000', usd: '1.0000000000' },
    ]);
  });

  it('applies cash in another currency than its invoice at the cross rate of the payment date', async () => {
    const wh = await euroWarehouse();
    // 60 USD on 2024-02-20 against the 100 EUR of E2: EUR is 1.20 USD from February, so 50 EUR leave E2.
    await insertRaw(wh, 'payments', [
      { payment_id: 'P2', customer_id: 'C1', invoice_id: 'E2', payment_date: '2024-02-20', amount: 60, currency: 'USD' },
    ], 2);
    await runBuild(wh, { asOf: '2024-02-29', currency: 'USD' });
    expect(await wh.one(`select paid_amount, outstanding, outstanding_reporting from fct_invoices where invoice_id = 'E2'`)).toEqual({
      paid_amount: '50.00',
      outstanding: '50.00',
      outstanding_reporting: '60.00',
    });
    expect(await wh.one(`select amount, currency, amount_reporting from fct_payments where payment_id = 'P2'`)).toEqual({
      amount: '60.00',
      currency: 'USD',
      amount_reporting: '60.00',
    });
    // Reported in EUR instead: the same 50 EUR leave E2, and the cash is worth 60 / 1.20 = 50 EUR.
    await runBuild(wh, { asOf: '2024-02-29', currency: 'EUR' });
    expect(await wh.scalar(`select outstanding from fct_invoices where invoice_id = 'E2'`)).toBe('50.00');
    expect(await wh.scalar(`select amount_reporting from fct_payments where payment_id = 'P2'`)).toBe('50.00');
  });

  it('defaults the reporting currency to the most common invoice currency and crosses via the base', async () => {
    const wh = await euroWarehouse();
    const r = await runBuild(wh, { asOf: '2024-02-29' });
    expect(r.options.reportingCurrency).toBe('EUR');
    // 500 USD on 2024-01-20: USD is the base (1), EUR is 1.10 -> 500 / 1.10.
    expect(await wh.scalar(`select amount_reporting from fct_invoices where invoice_id = 'U1'`)).toBe('454.55');
    expect(await wh.scalar(`select amount_reporting from fct_invoices where invoice_id = 'E1'`)).toBe('1000.00');
  });

  it('fails the build naming the currency and date of a missing rate, keeping the previous build', async () => {
    const wh = await euroWarehouse();
    await runBuild(wh, { asOf: '2024-02-29', currency: 'USD' });
    await insertRaw(wh, 'invoices', [
      { invoice_id: 'G1', customer_id: 'C3', invoice_date: '2024-01-15', due_date: '2024-02-14', amount: 10, currency: 'GBP' },
    ], 2);
    await expect(runBuild(wh, { asOf: '2024-02-29', currency: 'USD' })).rejects.toThrow(/missing fx rate for GBP on 2024-01-15/);
    expect(await wh.scalar('select count(*)::integer from fct_invoices')).toBe(3);
    expect(await wh.scalar('select count(*)::integer from builds')).toBe(1);
  });

  it('fails for a document dated before the first rate', async () => {
    const wh = await euroWarehouse();
    await insertRaw(wh, 'invoices', [
      { invoice_id: 'E0', customer_id: 'C1', invoice_date: '2023-12-20', due_date: '2024-01-19', amount: 10, currency: 'EUR' },
    ], 2);
    await expect(runBuild(wh, { asOf: '2024-02-29', currency: 'USD' })).rejects.toThrow(/missing fx rate for EUR on 2023-12-20/);
  });

  it('needs no rates when everything is in one currency', async () => {
    const t = await tempWarehouse();
    close = t.close;
    await insertRaw(t.wh, 'invoices', [{ invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-01-15', amount: 10, currency: 'MXN' }]);
    const r = await runBuild(t.wh);
    expect(r.options).toMatchObject({ reportingCurrency: 'MXN', asOf: '2024-01-15' });
    expect(await t.wh.scalar('select amount_reporting from fct_invoices')).toBe('10.00');
  });
});

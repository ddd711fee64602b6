import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

// One customer: an invoice lowered by a referenced credit note and a payment, a credit note
// naming no invoice, and cash naming no invoice. Figures below are worked out by hand.
let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'INV1', customer_id: 'C1', invoice_date: '2024-01-10', due_date: '2024-02-09', amount: 1000 },
    // Sources disagree on the sign of credit notes: one positive, one negative.
    { invoice_id: 'CN1', customer_id: 'C1', invoice_date: '2024-01-20', amount: 200, document_type: 'credit_note', reference: 'INV1' },
    { invoice_id: 'CN2', customer_id: 'C1', invoice_date: '2024-01-25', amount: -50, document_type: 'credit_note' },
  ]);
  await insertRaw(wh, 'payments', [
    { payment_id: 'P1', customer_id: 'C1', invoice_id: 'INV1', payment_date: '2024-02-01', amount: 500 },
    { payment_id: 'P9', customer_id: 'C1', payment_date: '2024-02-05', amount: 300 },
  ]);
  await runBuild(wh, { asOf: '2024-02-29' });
});
afterAll(() => close());

describe('credit notes and unapplied cash', () => {
  it('applies a referenced credit note to its invoice and keeps an unreferenced one open', async () => {
    const rows = await wh.all('select invoice_id, amount, credited_amount, paid_amount, outstanding, status, bucket from fct_invoices order by invoice_id');
    expect(rows).toEqual([
      { invoice_id: 'CN1', amount: '-200.00', credited_amount: '0.00', paid_amount: '0.00', outstanding: '0.00', status: 'applied', bucket: null },
      { invoice_id: 'CN2', amount: '-50.00', credited_amount: '0.00', paid_amount: '0.00', outstanding: '-50.00', status: 'open', bucket: 'unapplied' },
      { invoice_id: 'INV1', amount: '1000.00', credited_amount: '200.00', paid_amount: '500.00', outstanding: '300.00', status: 'open', bucket: '1-30' },
    ]);
  });

  it('shows unapplied cash and credit as negative unapplied lines, summing to the open balance', async () => {
    const rows = await wh.all(
      'select coalesce(invoice_id, payment_id) as id, bucket, bucket_order, outstanding from ar_aging order by id',
    );
    expect(rows).toEqual([
      { id: 'CN2', bucket: 'unapplied', bucket_order: 6, outstanding: '-50.00' },
      { id: 'INV1', bucket: '1-30', bucket_order: 1, outstanding: '300.00' },
      { id: 'P9', bucket: 'unapplied', bucket_order: 6, outstanding: '-300.00' },
    ]);
    expect(await wh.scalar(`select open_balance from dim_customers where customer_id = 'C1'`)).toBe('-50.00');
  });

  it('rolls the months forward: credit notes and unapplied cash included', async () => {
    const rows = await wh.all(
      'select month, credit_sales, credit_notes, collections, ar_begin, ar_end, ar_current_end, ar_overdue_end from kpi_monthly order by month',
    );
    expect(rows).toEqual([
      { month: '2024-01-01', credit_sales: '1000.00', credit_notes: '250.00', collections: '0.00', ar_begin: '0.00', ar_end: '750.00', ar_current_end: '800.00', ar_overdue_end: '0.00' },
      { month: '2024-02-01', credit_sales: '0.00', credit_notes: '0.00', collections: '800.00', ar_begin: '750.00', ar_end: '-50.00', ar_current_end: '0.00', ar_overdue_end: '300.00' },
    ]);
    expect((await wh.one<{ payment_id: string; invoice_id: string | null; is_applied: boolean }>(
      `select payment_id, invoice_id, is_applied from fct_payments where payment_id = 'P9'`,
    ))?.is_applied).toBe(false);
  });

  it('ages by invoice date and with custom buckets', async () => {
    const byInvoice = await wh.one(`select days_past_due, bucket from aging_with('2024-02-29', 'invoice', [30, 60, 90, 120]) where invoice_id = 'INV1'`);
    expect(byInvoice).toEqual({ days_past_due: 50, bucket: '31-60' });
    const custom = await wh.all(
      ['2024-02-20', '2024-03-15', '2024-04-30']
        .map((d) => `select as_of, days_past_due, bucket, bucket_order from aging_with('${d}', 'due', [15, 45]) where invoice_id = 'INV1'`)
        .join(' union all ') + ' order by as_of',
    );
    expect(custom).toEqual([
      { as_of: '2024-02-20', days_past_due: 11, bucket: '1-15', bucket_order: 1 },
      { as_of: '2024-03-15', days_past_due: 35, bucket: '16-45', bucket_order: 2 },
      { as_of: '2024-04-30', days_past_due: 81, bucket: '45+', bucket_order: 3 },
    ]);
    const unapplied = await wh.scalar(`select distinct bucket_order from aging_with('2024-02-29', 'due', [15, 45]) where bucket = 'unapplied'`);
    expect(unapplied).toBe(4);
  });

  it('counts due-today as current', async () => {
    const row = await wh.one(`select days_past_due, bucket from aging_at('2024-02-09') where invoice_id = 'INV1'`);
    expect(row).toEqual({ days_past_due: 0, bucket: 'current' });
  });
});

describe('credit notes larger than what they credit', () => {
  it('apply up to the invoice amount, in date order, and keep the rest open as unapplied credit', async () => {
    const t = await tempWarehouse();
    try {
      await insertRaw(t.wh, 'invoices', [
        // INV2 300: CN3 takes 200, CN4 (250) only the 100 left; 150 of CN4 stays open.
        { invoice_id: 'INV2', customer_id: 'C1', invoice_date: '2024-01-10', due_date: '2024-02-09', amount: 300 },
        { invoice_id: 'CN4', customer_id: 'C1', invoice_date: '2024-01-20', amount: 250, document_type: 'credit_note', reference: 'INV2' },
        { invoice_id: 'CN3', customer_id: 'C1', invoice_date: '2024-01-15', amount: 200, document_type: 'credit_note', reference: 'INV2' },
        // INV3 100 and a 500 credit note on it: 100 applied, 400 open.
        { invoice_id: 'INV3', customer_id: 'C1', invoice_date: '2024-01-12', due_date: '2024-02-11', amount: 100 },
        { invoice_id: 'CN5', customer_id: 'C1', invoice_date: '2024-01-25', amount: -500, document_type: 'credit_note', reference: 'INV3' },
        // Invoices-only settlement: INV4 closed (outstanding 0) by a 150 credit note: 100 applied, no cash, 50 open.
        { invoice_id: 'INV4', customer_id: 'C1', invoice_date: '2024-01-12', due_date: '2024-02-11', amount: 100, outstanding: 0 },
        { invoice_id: 'CN6', customer_id: 'C1', invoice_date: '2024-01-26', amount: 150, document_type: 'credit_note', reference: 'INV4' },
      ]);
      await runBuild(t.wh, { asOf: '2024-02-29' });
      expect(await t.wh.all('select invoice_id, credited_amount, paid_amount, outstanding, paid_date, status, bucket from fct_invoices order by invoice_id')).toEqual([
        { invoice_id: 'CN3', credited_amount: '0.00', paid_amount: '0.00', outstanding: '0.00', paid_date: null, status: 'applied', bucket: null },
        { invoice_id: 'CN4', credited_amount: '0.00', paid_amount: '0.00', outstanding: '-150.00', paid_date: null, status: 'open', bucket: 'unapplied' },
        { invoice_id: 'CN5', credited_amount: '0.00', paid_amount: '0.00', outstanding: '-400.00', paid_date: null, status: 'open', bucket: 'unapplied' },
        { invoice_id: 'CN6', credited_amount: '0.00', paid_amount: '0.00', outstanding: '-50.00', paid_date: null, status: 'open', bucket: 'unapplied' },
        { invoice_id: 'INV2', credited_amount: '300.00', paid_amount: '0.00', outstanding: '0.00', paid_date: '2024-01-20', status: 'paid', bucket: null },
        { invoice_id: 'INV3', credited_amount: '100.00', paid_amount: '0.00', outstanding: '0.00', paid_date: '2024-01-25', status: 'paid', bucket: null },
        { invoice_id: 'INV4', credited_amount: '100.00', paid_amount: '0.00', outstanding: '0.00', paid_date: '2024-01-26', status: 'paid', bucket: null },
      ]);
      // Nothing is lost: the open items still sum to what was issued (300 + 100 + 100 - 200 - 250 - 500 - 150).
      expect(await t.wh.scalar('select sum(outstanding) from ar_aging')).toBe('-600.00');
      expect(await t.wh.scalar('select count(*) from fct_payments')).toBe('0');
    } finally {
      t.close();
    }
  });
});

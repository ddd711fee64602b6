import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

// An invoices-only export: settlement rides on the invoice rows.
let wh: Warehouse;
let close: () => void;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-01-02', due_date: '2024-02-01', amount: 100, paid_date: '2024-01-20' },
    { invoice_id: 'I2', customer_id: 'C1', invoice_date: '2024-01-05', due_date: '2024-02-04', amount: 200, days_to_pay: 10, outstanding: 0 },
    { invoice_id: 'I3', customer_id: 'C1', invoice_date: '2024-01-05', due_date: '2024-02-04', amount: 300, paid_amount: 120 },
    { invoice_id: 'I4', customer_id: 'C1', invoice_date: '2024-01-06', due_date: '2024-01-21', amount: 400, paid_date: '2024-01-25', paid_amount: 150 },
    { invoice_id: 'I5', customer_id: 'C1', invoice_date: '2024-01-07', due_date: '2024-02-06', amount: 50 },
    { invoice_id: 'I6', customer_id: 'C1', invoice_date: '2024-01-08', due_date: '2024-02-07', amount: 60, paid_date: '2024-01-30' },
    // Only a balance, or only a status: paid at the due date.
    { invoice_id: 'I8', customer_id: 'C1', invoice_date: '2024-01-10', due_date: '2024-02-09', amount: 90, outstanding: 30 },
    { invoice_id: 'I9', customer_id: 'C1', invoice_date: '2024-01-10', due_date: '2024-02-09', amount: 80, status: 'pagada' },
    // No due date: invoice date plus the invoice's terms.
    { invoice_id: 'I7', customer_id: 'C1', invoice_date: '2024-01-09', payment_terms_days: 45, amount: 70, paid_date: '2024-03-01' },
  ]);
  // I6 has a payment row, so its paid_date does not add a second payment.
  await insertRaw(wh, 'payments', [{ payment_id: 'P1', customer_id: 'C1', invoice_id: 'I6', payment_date: '2024-01-30', amount: 20 }]);
  await runBuild(wh, { asOf: '2024-03-31' });
});
afterAll(() => close());

describe('payments derived from invoices', () => {
  it('derives one payment per settled invoice without payment rows', async () => {
    expect(await wh.all('select payment_id, invoice_id, payment_date, amount, is_derived from fct_payments order by payment_id')).toEqual([
      { payment_id: 'P1', invoice_id: 'I6', payment_date: '2024-01-30', amount: '20.00', is_derived: false },
      { payment_id: 'derived-I1', invoice_id: 'I1', payment_date: '2024-01-20', amount: '100.00', is_derived: true },
      { payment_id: 'derived-I2', invoice_id: 'I2', payment_date: '2024-01-15', amount: '200.00', is_derived: true },
      { payment_id: 'derived-I3', invoice_id: 'I3', payment_date: '2024-02-04', amount: '120.00', is_derived: true },
      { payment_id: 'derived-I4', invoice_id: 'I4', payment_date: '2024-01-25', amount: '150.00', is_derived: true },
      { payment_id: 'derived-I7', invoice_id: 'I7', payment_date: '2024-03-01', amount: '70.00', is_derived: true },
      { payment_id: 'derived-I8', invoice_id: 'I8', payment_date: '2024-02-09', amount: '60.00', is_derived: true },
      { payment_id: 'derived-I9', invoice_id: 'I9', payment_date: '2024-02-09', amount: '80.00', is_derived: true },
    ]);
  });

  it('settles, times and ages the invoices from them', async () => {
    expect(await wh.all('select invoice_id, due_date, outstanding, paid_date, days_to_pay, days_late, status from fct_invoices order by invoice_id')).toEqual([
      { invoice_id: 'I1', due_date: '2024-02-01', outstanding: '0.00', paid_date: '2024-01-20', days_to_pay: 18, days_late: 0, status: 'paid' },
      { invoice_id: 'I2', due_date: '2024-02-04', outstanding: '0.00', paid_date: '2024-01-15', days_to_pay: 10, days_late: 0, status: 'paid' },
      { invoice_id: 'I3', due_date: '2024-02-04', outstanding: '180.00', paid_date: null, days_to_pay: null, days_late: null, status: 'open' },
      { invoice_id: 'I4', due_date: '2024-01-21', outstanding: '250.00', paid_date: null, days_to_pay: null, days_late: null, status: 'open' },
      { invoice_id: 'I5', due_date: '2024-02-06', outstanding: '50.00', paid_date: null, days_to_pay: null, days_late: null, status: 'open' },
      { invoice_id: 'I6', due_date: '2024-02-07', outstanding: '40.00', paid_date: null, days_to_pay: null, days_late: null, status: 'open' },
      { invoice_id: 'I7', due_date: '2024-02-23', outstanding: '0.00', paid_date: '2024-03-01', days_to_pay: 52, days_late: 7, status: 'paid' },
      { invoice_id: 'I8', due_date: '2024-02-09', outstanding: '30.00', paid_date: null, days_to_pay: null, days_late: null, status: 'open' },
      { invoice_id: 'I9', due_date: '2024-02-09', outstanding: '0.00', paid_date: '2024-02-09', days_to_pay: 30, days_late: 0, status: 'paid' },
    ]);
  });

  it('rolls the months forward with the derived collections', async () => {
    const rows = await wh.all<Record<string, string>>('select month, ar_begin, credit_sales, collections, ar_end from kpi_monthly order by month');
    expect(rows.map((r) => [r.month, r.credit_sales, r.collections, r.ar_end])).toEqual([
      ['2024-01-01', '1350.00', '470.00', '880.00'],
      ['2024-02-01', '0.00', '260.00', '620.00'],
      ['2024-03-01', '0.00', '70.00', '550.00'],
    ]);
  });
});

describe('payments derived from invoices settled partly or wholly by credit notes', () => {
  it('derives only the part not credited', async () => {
    const t = await tempWarehouse();
    try {
      await insertRaw(t.wh, 'invoices', [
        { invoice_id: 'I10', customer_id: 'C1', invoice_date: '2024-01-02', due_date: '2024-02-01', amount: 100, status: 'pagada' },
        { invoice_id: 'NC1', customer_id: 'C1', invoice_date: '2024-01-10', due_date: '2024-01-10', amount: 100, document_type: 'credit_note', reference: 'I10' },
        { invoice_id: 'I11', customer_id: 'C1', invoice_date: '2024-01-02', due_date: '2024-02-01', amount: 100, status: 'pagada' },
        { invoice_id: 'NC2', customer_id: 'C1', invoice_date: '2024-01-10', due_date: '2024-01-10', amount: 40, document_type: 'credit_note', reference: 'I11' },
      ]);
      await runBuild(t.wh, { asOf: '2024-03-31' });
      expect(await t.wh.all('select payment_id, amount from fct_payments order by 1')).toEqual([{ payment_id: 'derived-I11', amount: '60.00' }]);
      expect(await t.wh.all(`select invoice_id, paid_amount, credited_amount, outstanding from fct_invoices where document_type = 'invoice' order by 1`)).toEqual([
        { invoice_id: 'I10', paid_amount: '0.00', credited_amount: '100.00', outstanding: '0.00' },
        { invoice_id: 'I11', paid_amount: '60.00', credited_amount: '40.00', outstanding: '0.00' },
      ]);
    } finally {
      t.close();
    }
  });
});

describe('invoices whose status says written off', () => {
  // An invoices-only export up to 2024-06-30 (its last invoice date), as-of 2024-07-31. Each written-off
  // invoice is cleared by a write-off of what was neither paid nor credited; figures worked out by hand.
  let t: Awaited<ReturnType<typeof tempWarehouse>>;
  beforeAll(async () => {
    t = await tempWarehouse();
    await insertRaw(t.wh, 'invoices', [
      // Balance cleared by the ERP: all 500 written off, dated at the export's last date (2024-06-30).
      { invoice_id: 'W1', customer_id: 'C1', invoice_date: '2024-01-05', due_date: '2024-02-04', amount: 500, outstanding: 0, status: 'Castigada' },
      // Balance kept on the document: 120 was paid (at the due date), the 380 left is written off.
      { invoice_id: 'W2', customer_id: 'C1', invoice_date: '2024-01-10', due_date: '2024-02-09', amount: 500, outstanding: 380, status: 'written off' },
      // Its own settled date: written off then. A 100 credit note lowers what is written off to 200.
      { invoice_id: 'W3', customer_id: 'C2', invoice_date: '2024-02-01', due_date: '2024-03-02', amount: 300, paid_date: '2024-05-15', status: 'incobrable' },
      { invoice_id: 'NC3', customer_id: 'C2', invoice_date: '2024-02-20', due_date: '2024-02-20', amount: 100, document_type: 'credit_note', reference: 'W3' },
      // A paid amount: 50 cash, 150 written off, dated at the export's last date.
      { invoice_id: 'W4', customer_id: 'C2', invoice_date: '2024-03-01', due_date: '2024-03-31', amount: 200, paid_amount: 50, status: 'CASTIGADO' },
      { invoice_id: 'O1', customer_id: 'C2', invoice_date: '2024-06-30', due_date: '2024-07-30', amount: 80 },
    ]);
    await runBuild(t.wh, { asOf: '2024-07-31' });
  });
  afterAll(() => t.close());

  it('derives a write-off for what was neither paid nor credited', async () => {
    expect(await t.wh.all('select payment_id, invoice_id, payment_date, amount, is_write_off from fct_payments order by payment_id')).toEqual([
      { payment_id: 'derived-W2', invoice_id: 'W2', payment_date: '2024-02-09', amount: '120.00', is_write_off: false },
      { payment_id: 'derived-W4', invoice_id: 'W4', payment_date: '2024-03-31', amount: '50.00', is_write_off: false },
      { payment_id: 'derived-write-off-W1', invoice_id: 'W1', payment_date: '2024-06-30', amount: '500.00', is_write_off: true },
      { payment_id: 'derived-write-off-W2', invoice_id: 'W2', payment_date: '2024-06-30', amount: '380.00', is_write_off: true },
      { payment_id: 'derived-write-off-W3', invoice_id: 'W3', payment_date: '2024-05-15', amount: '200.00', is_write_off: true },
      { payment_id: 'derived-write-off-W4', invoice_id: 'W4', payment_date: '2024-06-30', amount: '150.00', is_write_off: true },
    ]);
  });

  it('closes the invoices as written off, leaving only the open one in the aging', async () => {
    expect(
      await t.wh.all(`select invoice_id, paid_amount, credited_amount, written_off_amount, outstanding, paid_date, status from fct_invoices where document_type = 'invoice' order by 1`),
    ).toEqual([
      { invoice_id: 'O1', paid_amount: '0.00', credited_amount: '0.00', written_off_amount: '0.00', outstanding: '80.00', paid_date: null, status: 'open' },
      { invoice_id: 'W1', paid_amount: '0.00', credited_amount: '0.00', written_off_amount: '500.00', outstanding: '0.00', paid_date: null, status: 'written_off' },
      { invoice_id: 'W2', paid_amount: '120.00', credited_amount: '0.00', written_off_amount: '380.00', outstanding: '0.00', paid_date: null, status: 'written_off' },
      { invoice_id: 'W3', paid_amount: '0.00', credited_amount: '100.00', written_off_amount: '200.00', outstanding: '0.00', paid_date: null, status: 'written_off' },
      { invoice_id: 'W4', paid_amount: '50.00', credited_amount: '0.00', written_off_amount: '150.00', outstanding: '0.00', paid_date: null, status: 'written_off' },
    ]);
    expect(await t.wh.all('select invoice_id, outstanding from ar_aging order by 1')).toEqual([{ invoice_id: 'O1', outstanding: '80.00' }]);
  });

  it('keeps them open, and overdue, before their write-off date', async () => {
    // As of 2024-04-30: W1 (500), W2 (500 - 120 paid), W3 (300 - 100 credited) and W4 (200 - 50) are all past due.
    const rows = await t.wh.all(`select invoice_id, outstanding, bucket from aging_at('2024-04-30') order by 1`);
    expect(rows).toEqual([
      { invoice_id: 'W1', outstanding: '500.00', bucket: '61-90' },
      { invoice_id: 'W2', outstanding: '380.00', bucket: '61-90' },
      { invoice_id: 'W3', outstanding: '200.00', bucket: '31-60' },
      { invoice_id: 'W4', outstanding: '150.00', bucket: '1-30' },
    ]);
  });

  it('counts the write-offs, not as collections, in the month they are dated', async () => {
    const rows = await t.wh.all<Record<string, string>>('select month, collections, write_offs, ar_end from kpi_monthly order by month');
    expect(rows.map((r) => [r.month, r.collections, r.write_offs, r.ar_end])).toEqual([
      ['2024-01-01', '0.00', '0.00', '1000.00'],
      ['2024-02-01', '120.00', '0.00', '1080.00'],
      ['2024-03-01', '50.00', '0.00', '1230.00'],
      ['2024-04-01', '0.00', '0.00', '1230.00'],
      ['2024-05-01', '0.00', '200.00', '1030.00'],
      ['2024-06-01', '0.00', '1030.00', '80.00'],
      ['2024-07-01', '0.00', '0.00', '80.00'],
    ]);
  });
});

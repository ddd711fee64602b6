import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import type { IngestReport } from '../../src/ingest/ingest.ts';
import { runBuild } from '../../src/models/index.ts';
import { ingestInto, tempDir, writeFile } from '../ingest/helpers.ts';
import { BALANCE_MODELS, failingChecks } from './model-checks.ts';

// Payments dated before the invoice they settle (prepayments), loaded from real exports by the real pipeline.
const PAYMENT_BEFORE_INVOICE = 'payment dated before its invoice (a prepayment): unapplied credit until the invoice date, then it settles the invoice';
const PAID_BEFORE_INVOICE = 'paid before its invoice date (a prepayment): unapplied credit until the invoice date, then it settles the invoice';

describe('a payment export with a payment dated before its invoice', () => {
  // I2 200 issued 02-01 due 03-02, paid by P2 on 03-05 (33 days, 3 late).
  // I1 500 issued 03-10 due 04-09, prepaid in full by P1 on 02-25.
  //   at 02-29: I2 200 current; P1's 500 waits as unapplied credit (-500), not as a negative current balance
  //   at 03-09: only the unapplied 500 is open
  //   at 03-10: I1 exists and P1 settles it that day: paid_date 03-10, days_to_pay 0, days_late 0
  let wh: Warehouse;
  let report: IngestReport;
  beforeAll(async () => {
    const dir = tempDir();
    const invoices = writeFile(dir, 'facturas.csv', 'invoice_id,customer_id,invoice_date,due_date,amount\nI1,C1,2024-03-10,2024-04-09,500.00\nI2,C1,2024-02-01,2024-03-02,200.00\n');
    const payments = writeFile(dir, 'pagos.csv', 'payment_id,customer_id,invoice_id,payment_date,amount\nP1,C1,I1,2024-02-25,500.00\nP2,C1,I2,2024-03-05,200.00\n');
    ({ wh, report } = await ingestInto(dir, [invoices, payments]));
  });
  afterAll(() => wh.close());

  it('is accepted with a warning on its line', async () => {
    const loaded = report.loaded.find((r) => r.entity === 'payments')!;
    expect([loaded.rows, loaded.rejected, loaded.warnings]).toEqual([2, 0, 1]);
    expect(await wh.all(`select line, column_name, value, reason, severity from ingest_rejects`)).toEqual([
      { line: '2', column_name: 'payment_date', value: '2024-02-25', reason: PAYMENT_BEFORE_INVOICE, severity: 'warning' },
    ]);
    expect(await wh.scalar(`select invoice_id from raw_payments where payment_id = 'P1'`)).toBe('I1');
  });

  it('ages as unapplied credit before the invoice exists', async () => {
    await runBuild(wh, { asOf: '2024-02-29' });
    expect(await wh.all(`select invoice_id, bucket, outstanding from ar_aging order by bucket_order`)).toEqual([
      { invoice_id: 'I2', bucket: 'current', outstanding: '200.00' },
      { invoice_id: 'I1', bucket: 'unapplied', outstanding: '-500.00' },
    ]);
    expect(await wh.all(`select month, ar_end, ar_current_end, ar_overdue_end from kpi_monthly`)).toEqual([
      { month: '2024-02-01', ar_end: '-300.00', ar_current_end: '200.00', ar_overdue_end: '0.00' },
    ]);
    expect(await wh.all(`select invoice_id from fct_invoices`)).toEqual([{ invoice_id: 'I2' }]);
    expect(await failingChecks(wh, BALANCE_MODELS)).toEqual([]);
  });

  it('is still unapplied credit the day before the invoice', async () => {
    await runBuild(wh, { asOf: '2024-03-09' });
    expect(await wh.all(`select invoice_id, bucket, bucket_order, outstanding from ar_aging`)).toEqual([
      { invoice_id: 'I1', bucket: 'unapplied', bucket_order: 6, outstanding: '-500.00' },
    ]);
    expect(await wh.all(`select bucket_order, outstanding_reporting from aging_balances('2024-02-29', 'due', [30, 60, 90, 120]) order by 1`)).toEqual([
      { bucket_order: 0, outstanding_reporting: '200.00' },
      { bucket_order: 6, outstanding_reporting: '-500.00' },
    ]);
    expect(await failingChecks(wh, BALANCE_MODELS)).toEqual([]);
  });

  it('settles the invoice the day it exists: paid_date that day, 0 days to pay', async () => {
    await runBuild(wh, { asOf: '2024-03-10' });
    expect(await wh.all(`select invoice_id, outstanding, paid_amount, status, paid_date, days_to_pay, days_late from fct_invoices order by invoice_id`)).toEqual([
      { invoice_id: 'I1', outstanding: '0.00', paid_amount: '500.00', status: 'paid', paid_date: '2024-03-10', days_to_pay: 0, days_late: 0 },
      { invoice_id: 'I2', outstanding: '0.00', paid_amount: '200.00', status: 'paid', paid_date: '2024-03-05', days_to_pay: 33, days_late: 3 },
    ]);
    expect(await wh.scalar(`select count(*)::integer from ar_aging`)).toBe(0);
    // Paid in full in March: I1 in 0 days (on time), I2 in 33 (3 days late): mean 16.50, on time 50%.
    expect(await wh.all(`select month, ar_end, avg_days_to_pay, on_time_pct from kpi_monthly order by month`)).toEqual([
      { month: '2024-02-01', ar_end: '-300.00', avg_days_to_pay: null, on_time_pct: null },
      { month: '2024-03-01', ar_end: '0.00', avg_days_to_pay: '16.50', on_time_pct: '50.00' },
    ]);
    expect(await failingChecks(wh, BALANCE_MODELS)).toEqual([]);
  });
});

describe('an invoices-only export paid before the invoice date', () => {
  // J1 100 issued 03-15, days to pay -5: paid 03-10.   J3 60 issued 03-20, paid_date 03-18.
  // J2 40 issued 03-01, days to pay 10: paid 03-11 (an ordinary one).
  let wh: Warehouse;
  let report: IngestReport;
  beforeAll(async () => {
    const dir = tempDir();
    const invoices = writeFile(
      dir,
      'facturas.csv',
      'invoice_id,customer_id,invoice_date,due_date,amount,outstanding,days_to_pay,paid_date\n' +
        'J1,C2,2024-03-15,2024-04-14,100.00,0,-5,\n' +
        'J2,C2,2024-03-01,2024-03-31,40.00,0,10,\n' +
        'J3,C2,2024-03-20,2024-04-19,60.00,0,,2024-03-18\n',
    );
    ({ wh, report } = await ingestInto(dir, [invoices]));
  });
  afterAll(() => wh.close());

  it('is accepted with a warning on each prepaid line', async () => {
    expect([report.loaded[0].rows, report.loaded[0].rejected, report.loaded[0].warnings]).toEqual([3, 0, 2]);
    expect(await wh.all(`select line, column_name, value, reason, severity from ingest_rejects order by line`)).toEqual([
      { line: '2', column_name: 'days_to_pay', value: '-5', reason: PAID_BEFORE_INVOICE, severity: 'warning' },
      { line: '4', column_name: 'paid_date', value: '2024-03-18', reason: PAID_BEFORE_INVOICE, severity: 'warning' },
    ]);
  });

  it('ages the early cash as unapplied credit, then settles each invoice on its own date', async () => {
    await runBuild(wh, { asOf: '2024-03-12' });
    expect(await wh.all(`select invoice_id, bucket, outstanding from ar_aging`)).toEqual([
      { invoice_id: 'J1', bucket: 'unapplied', outstanding: '-100.00' },
    ]);
    expect(await failingChecks(wh, BALANCE_MODELS)).toEqual([]);

    await runBuild(wh, { asOf: '2024-03-31' });
    expect(await wh.all(`select invoice_id, status, paid_date, days_to_pay, days_late from fct_invoices order by invoice_id`)).toEqual([
      { invoice_id: 'J1', status: 'paid', paid_date: '2024-03-15', days_to_pay: 0, days_late: 0 },
      { invoice_id: 'J2', status: 'paid', paid_date: '2024-03-11', days_to_pay: 10, days_late: 0 },
      { invoice_id: 'J3', status: 'paid', paid_date: '2024-03-20', days_to_pay: 0, days_late: 0 },
    ]);
    // The cash keeps its own date: it was received before the invoice.
    expect(await wh.all(`select payment_id, payment_date from fct_payments order by payment_id`)).toEqual([
      { payment_id: 'derived-J1', payment_date: '2024-03-10' },
      { payment_id: 'derived-J2', payment_date: '2024-03-11' },
      { payment_id: 'derived-J3', payment_date: '2024-03-18' },
    ]);
    expect(await failingChecks(wh, BALANCE_MODELS)).toEqual([]);
  });
});

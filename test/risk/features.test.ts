import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { buildFeatures } from '../../src/risk/features.ts';
import { createInvoicesTable, createPaymentsTable, invoiceRow, tempWarehouse } from './fixture.ts';
import { createEmptyMarts } from './synthetic-history.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const D = '2024-06-30';

/** One invoice of customer C (late = not settled within 30 days of due). */
const invoice = (id: string, issued: string, due: string, amount: number, paid: string | null) => invoiceRow(id, 'C', issued, due, amount, paid);

/**
 * Customer C on D = 2024-06-30 (late line = due + 30; an outcome is known when settled on time or when the line passes):
 *   K1 due 01-10, paid 01-05          on time, known 01-05
 *   K2 due 01-20, paid 04-01          late,    known 02-20
 *   K3 due 02-01, paid 02-01          on time, known 02-01
 *   K4 due 03-01, never paid          late,    known 04-01
 *   K5 due 03-10, paid 03-10          on time, known 03-10
 *   K6 due 04-01, paid 04-01          on time, known 04-01 (the same day as K4: the higher id, K6, is older in the record)
 *   K7 issued 06-20, due 07-20, paid 06-10 (before it was issued): on time, in the record from its issue date 06-20
 *   P1 issued 05-01, due 07-31, 1,000: 300 paid 05-15, 200 on 06-10, 500 on 07-15 (after D): open on D with 500 paid
 *   T  issued 06-30, due 07-30, the target.
 * Known on D: K1-K7. Most recent five: K7 (06-20, on time), K4 (04-01, late), K6 (04-01, on time), K5, K2 (02-20, late): 2 of 5.
 * Disputes: K2 01-25 to 03-01, K4 from 03-15 (never resolved), K5 06-01 to 07-10, P1 from 07-05 (after D).
 */
async function fixture(): Promise<Warehouse> {
  const t = await tempWarehouse();
  cleanup = t.done;
  const wh = t.wh;
  await createInvoicesTable(wh);
  await createEmptyMarts(wh);
  await createPaymentsTable(wh);
  await wh.run(`insert into fct_invoices values
    ${invoice('K1', '2023-12-11', '2024-01-10', 100, '2024-01-05')}, ${invoice('K2', '2023-12-21', '2024-01-20', 100, '2024-04-01')},
    ${invoice('K3', '2024-01-02', '2024-02-01', 100, '2024-02-01')}, ${invoice('K4', '2024-01-31', '2024-03-01', 100, null)},
    ${invoice('K5', '2024-02-09', '2024-03-10', 100, '2024-03-10')}, ${invoice('K6', '2024-03-02', '2024-04-01', 100, '2024-04-01')},
    ${invoice('K7', '2024-06-20', '2024-07-20', 100, '2024-06-10')}, ${invoice('P1', '2024-05-01', '2024-07-31', 1000, null)},
    ${invoice('T', '2024-06-30', '2024-07-30', 400, null)}`);
  await wh.run(`insert into fct_payments
    select 'P' || invoice_id, 'C', invoice_id, paid_date, amount, 'EUR', amount, 'transfer', false, false from fct_invoices where paid_date is not null;
    insert into fct_payments values
      ('P1a', 'C', 'P1', date '2024-05-15', 300, 'EUR', 300, 'transfer', false, false),
      ('P1b', 'C', 'P1', date '2024-06-10', 200, 'EUR', 200, 'transfer', false, false),
      ('P1c', 'C', 'P1', date '2024-07-15', 500, 'EUR', 500, 'transfer', false, false),
      ('U1', 'C', null, date '2024-06-25', 50, 'EUR', 50, 'transfer', false, false)`);
  await wh.run(`insert into fct_disputes values
    ('D1', 'K2', 'C', date '2024-01-25', date '2024-03-01', 100, 'price', 'resolved'),
    ('D2', 'K4', 'C', date '2024-03-15', null, 100, 'quality', 'open'),
    ('D3', 'K5', 'C', date '2024-06-01', date '2024-07-10', 100, 'price', 'resolved'),
    ('D4', 'P1', 'C', date '2024-07-05', null, 1000, 'quality', 'open')`);
  return wh;
}

describe('customer features as of a date, by hand', () => {
  it('take the last five outcomes in the order they entered the record, a partly paid balance and the latest payment', async () => {
    const wh = await fixture();
    await buildFeatures(wh, `select 'T' as invoice_id, date '${D}' as as_of`, {}, 30);
    const [f] = await wh.all<Record<string, number>>('select * from risk_features');
    // 7 outcomes known, 2 late.
    expect([f.prior_invoices, f.prior_late_share]).toEqual([7, 2 / 7]);
    expect(f.last5_late_share).toBe(2 / 5);
    // Open on D: K4 100 (unpaid, 121 days past due), P1 1,000 - 500 paid by D (not yet due), T 400 (issued on D).
    expect(f.open_balance).toBe(100 + 500 + 400);
    expect(f.overdue_balance).toBe(100);
    expect(f.invoices_over_60).toBe(1);
    // Paid before settling: P1 (two payments by D) of the seven paid something or settled by D (K1-K3, K5-K7, P1; not K4, T).
    expect(f.partial_payment_rate).toBe(1 / 7);
    // The latest payment by D: the unapplied 50 on 06-25 (P1c on 07-15 is after D).
    expect(f.days_since_last_payment).toBe(5);
  });

  it('look back two years, but count every prior outcome: older ones come as totals, and move nothing else', async () => {
    const wh = await fixture();
    await wh.run(`insert into fct_invoices values
      ${invoice('T2', '2026-04-15', '2026-05-15', 200, null)}, ${invoice('T3', '2026-08-01', '2026-08-31', 200, null)}`);
    await buildFeatures(wh, `select * from (values ('T2', date '2026-04-15'), ('T3', date '2026-08-01')) as t(invoice_id, as_of)`, {}, 30);
    const [t2, t3] = await wh.all<Record<string, number>>('select * from risk_features order by rn');
    // On 2026-04-15 the lookback (730 days) starts after 2024-04-15. Closed by then: K1-K3, K5, K6 (K2 late, 72 days, paid
    // 04-01); outside the record, they count as prior outcomes only. In view: K4 (open, late), K7 (closed 06-20, on time),
    // P1 and T (open, late). Known: all nine, four late; days late 72 (K2) + 775 (K4) + 623 (P1) + 624 (T).
    expect([t2.prior_invoices, t2.prior_late_share, t2.avg_days_late]).toEqual([9, 4 / 9, (72 + 775 + 623 + 624) / 9]);
    // The last five in the record's order: P1 (08-31), T (08-30), K7 (06-20), K4 and K6 (04-01, before the lookback): 2 of 3.
    expect(t2.last5_late_share).toBe(2 / 3);
    // Amounts in view issued before 2026-04-15: 100, 100, 400, 1,000, median 250 (the whole history's is 100).
    expect(t2.amount_vs_median).toBe(200 / 250);
    // Part payments among the four in view that paid something: P1 (K4, T paid nothing); the whole history's 1 of 7.
    expect(t2.partial_payment_rate).toBe(1 / 2);
    // The latest payment, P1c on 2024-07-15, is in the lookback; K1 was issued on 2023-12-11.
    expect([t2.days_since_last_payment, t2.tenure_days]).toEqual([639, 856]);
    // On 2026-08-01: K7 closed before the lookback too; ten outcomes known, five late (T2's line passed on 06-14).
    expect([t3.prior_invoices, t3.prior_late_share]).toEqual([10, 1 / 2]);
    // The last five: T2, P1, T (late, in the lookback), K7 and K4 (before it).
    expect(t3.last5_late_share).toBe(1);
    // No payment within the two years: none to count from.
    expect([t3.days_since_last_payment, t3.tenure_days]).toEqual([-1, 964]);
  });

  it('count a dispute while it is open, among the invoices issued by then', async () => {
    const wh = await fixture();
    await buildFeatures(wh, `select * from (values ('T', date '${D}'), ('P1', date '2024-06-01'), ('K5', date '2024-02-15'), ('K4', date '2024-03-15')) as t(invoice_id, as_of)`, {}, 30);
    const rows = await wh.all<{ invoice_id: string; dispute_rate: number; disputed: number }>('select invoice_id, dispute_rate, disputed from risk_features order by rn');
    expect(rows.map((r) => [r.invoice_id, r.dispute_rate, r.disputed])).toEqual([
      // On D: K4 and K5 of the nine issued (K1-K7, P1, T); K2's was resolved, P1's not opened yet.
      ['T', 2 / 9, 0],
      // On 06-01: K4 and K5 (opened that day) of seven (K1-K6, P1).
      ['P1', 2 / 7, 0],
      // On 02-15: K2's (resolved 03-01) of five (K1-K5).
      ['K5', 1 / 5, 0],
      // On 03-15: K4's, opened that day, of six (K1-K6); K2's ended on 03-01. K4 is the target: disputed itself.
      ['K4', 1 / 6, 1],
    ]);
  });
});

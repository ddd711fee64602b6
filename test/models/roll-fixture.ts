/**
 * The roll-rate fixture's documents (customer C1): six invoices moving through the buckets from
 * November 2023 to April 2024, and the payment, write-off and collection that move them. The
 * month-end buckets are worked out by hand in agg-roll-rates.test.ts; provision-matrix.test.ts
 * adds to them.
 */
import type { Value } from './fixtures.ts';

export const ROLL_INVOICES: Record<string, Value>[] = [
  { invoice_id: 'E', customer_id: 'C1', invoice_date: '2023-11-01', due_date: '2023-11-30', amount: 200 },
  { invoice_id: 'C', customer_id: 'C1', invoice_date: '2023-12-01', due_date: '2023-12-31', amount: 800 },
  { invoice_id: 'A', customer_id: 'C1', invoice_date: '2024-01-10', due_date: '2024-01-31', amount: 1000 },
  { invoice_id: 'B', customer_id: 'C1', invoice_date: '2024-01-15', due_date: '2024-02-14', amount: 500 },
  { invoice_id: 'D', customer_id: 'C1', invoice_date: '2024-02-05', due_date: '2024-03-06', amount: 300 },
  { invoice_id: 'F', customer_id: 'C1', invoice_date: '2024-03-20', due_date: '2024-04-19', amount: 1000 },
];

export const ROLL_PAYMENTS: Record<string, Value>[] = [
  { payment_id: 'PB', customer_id: 'C1', invoice_id: 'B', payment_date: '2024-02-10', amount: 500 },
  { payment_id: 'WC', customer_id: 'C1', invoice_id: 'C', payment_date: '2024-02-15', amount: 300, method: 'write_off' },
  { payment_id: 'PA', customer_id: 'C1', invoice_id: 'A', payment_date: '2024-03-10', amount: 400 },
];

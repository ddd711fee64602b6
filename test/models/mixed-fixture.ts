import type { Warehouse } from '../../src/db/warehouse.ts';
import { insertRaw } from './fixtures.ts';

/**
 * A small portfolio with one of everything: two currencies with rates, segments, collectors,
 * partial payments, write-offs, referenced and free credit notes, a debit note, unapplied cash,
 * a newer export of a document, disputes, promises and contacts, and data after the as-of.
 */
export async function loadMixedPortfolio(wh: Warehouse): Promise<void> {
  await insertRaw(wh, 'customers', [
    { customer_id: 'C1', name: 'Acme', segment: 'retail', collector: 'ana', country: 'MX', credit_limit: 50000, payment_terms_days: 30 },
    { customer_id: 'C2', name: 'Bolt', segment: 'wholesale', collector: 'beto', country: 'US', credit_limit: 20000 },
    { customer_id: 'C3', name: 'Cima', segment: 'retail', collector: 'beto', country: 'MX' },
  ]);
  await insertRaw(wh, 'fx_rates', [
    { rate_date: '2023-12-01', currency: 'USD', rate: 17.5, base_currency: 'MXN' },
    { rate_date: '2024-03-01', currency: 'USD', rate: 16.9, base_currency: 'MXN' },
  ]);
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'A1', customer_id: 'C1', invoice_date: '2024-01-05', amount: 10000, currency: 'MXN' },
    { invoice_id: 'A2', customer_id: 'C1', invoice_date: '2024-02-10', due_date: '2024-03-11', amount: 5000, currency: 'MXN', status: 'juridico' },
    { invoice_id: 'A3', customer_id: 'C1', invoice_date: '2024-03-15', due_date: '2024-04-14', amount: 7000, currency: 'MXN' },
    { invoice_id: 'A4', customer_id: 'C1', invoice_date: '2024-04-01', due_date: '2024-05-01', amount: 1200, currency: 'MXN', document_type: 'debit_note' },
    { invoice_id: 'NC1', customer_id: 'C1', invoice_date: '2024-03-20', amount: -700, currency: 'MXN', document_type: 'credit_note', reference: 'A3' },
    { invoice_id: 'B1', customer_id: 'C2', invoice_date: '2024-01-20', due_date: '2024-02-19', amount: 3000, currency: 'USD', disputed: true },
    { invoice_id: 'B2', customer_id: 'C2', invoice_date: '2024-03-05', due_date: '2024-04-04', amount: 1333.33, currency: 'USD' },
    { invoice_id: 'B3', customer_id: 'C2', invoice_date: '2024-06-10', due_date: '2024-07-10', amount: 900, currency: 'USD' },
    { invoice_id: 'NC2', customer_id: 'C2', invoice_date: '2024-04-10', amount: 100, currency: 'USD', document_type: 'credit_note' },
    { invoice_id: 'D1', customer_id: 'C3', invoice_date: '2023-12-15', due_date: '2024-01-14', amount: 2500, currency: 'MXN' },
    { invoice_id: 'D2', customer_id: 'C3', invoice_date: '2024-02-01', due_date: '2024-03-02', amount: 800, currency: 'MXN', status: 'castigada' },
    // Only on invoices: a customer with no master record, settled per the export.
    { invoice_id: 'E1', customer_id: 'C4', customer_name: 'Delta SA', country: 'CO', invoice_date: '2024-02-02', due_date: '2024-03-03', amount: 640, currency: 'MXN', paid_date: '2024-03-10' },
  ]);
  // A newer export raises A3 (price correction).
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'A3', customer_id: 'C1', invoice_date: '2024-03-15', due_date: '2024-04-14', amount: 7500, currency: 'MXN' },
  ], 2);
  await insertRaw(wh, 'payments', [
    { payment_id: 'P1', customer_id: 'C1', invoice_id: 'A1', payment_date: '2024-02-03', amount: 10000, currency: 'MXN' },
    { payment_id: 'P2', customer_id: 'C1', invoice_id: 'A3', payment_date: '2024-04-20', amount: 3000, currency: 'MXN' },
    { payment_id: 'P3', customer_id: 'C2', invoice_id: 'B1', payment_date: '2024-03-25', amount: 1000, currency: 'USD' },
    { payment_id: 'P4', customer_id: 'C2', invoice_id: 'B2', payment_date: '2024-04-02', amount: 1333.33, currency: 'USD' },
    { payment_id: 'P5', customer_id: 'C2', payment_date: '2024-04-15', amount: 250, currency: 'USD' },
    { payment_id: 'P6', customer_id: 'C3', invoice_id: 'D1', payment_date: '2024-02-20', amount: 1000, currency: 'MXN' },
    { payment_id: 'W1', customer_id: 'C3', invoice_id: 'D2', payment_date: '2024-04-30', amount: 800, currency: 'MXN', method: 'castigo' },
    { payment_id: 'P7', customer_id: 'C1', invoice_id: 'A2', payment_date: '2024-06-15', amount: 5000, currency: 'MXN' },
  ]);
  await insertRaw(wh, 'disputes', [
    { dispute_id: 'DS1', invoice_id: 'B1', opened_date: '2024-02-25', resolved_date: '2024-06-01', reason: 'price' },
    { dispute_id: 'DS2', invoice_id: 'A3', customer_id: 'C1', opened_date: '2024-04-18', reason: 'quantity', amount: 500 },
  ]);
  await insertRaw(wh, 'promises_to_pay', [
    { promise_id: 'PR1', customer_id: 'C2', invoice_id: 'B2', promise_date: '2024-03-28', promised_date: '2024-04-05', amount: 1333.33 },
    { promise_id: 'PR2', customer_id: 'C3', invoice_id: 'D1', promise_date: '2024-03-01', promised_date: '2024-03-15', amount: 1500 },
    { promise_id: 'PR3', customer_id: 'C1', promise_date: '2024-05-10', promised_date: '2024-05-31', amount: 2000 },
  ]);
  await insertRaw(wh, 'collection_activities', [
    { activity_id: 'AC1', customer_id: 'C3', activity_date: '2024-03-01', channel: 'Llamada', outcome: 'promesa' },
    { activity_id: 'AC2', customer_id: 'C2', invoice_id: 'B2', activity_date: '2024-03-28', channel: 'email', collector: 'beto' },
  ]);
}

/** The as-of the mixed portfolio is built at: after most activity, before some of it. */
export const MIXED_AS_OF = '2024-05-20';

/**
 * Payment-complement (REP) cases for agg_cfdi_rep_compliance, as ingestion of CFDIs leaves them (batches of
 * format 'cfdi', the XML's attributes in extra): PPD invoice X1 of C1 (1000.00, 2024-03-01) paid 400.00 by the
 * ERP on 2024-03-10 with no complement, and 600.00 on 2024-04-02 by a complement issued 2024-05-10, after its
 * 2024-05-05 deadline. Kept apart from the mixed portfolio, whose figures other tests check.
 */
export async function loadCfdiComplianceCases(wh: Warehouse): Promise<void> {
  for (const [batch, entity] of [[901, 'invoices'], [902, 'payments']] as const) {
    await wh.run(
      `insert into ingest_batches (batch_id, file, sha256, entity, format, mapping, rows, rejected, started, finished)
       values ($1, 'x.xml', $2, $3, 'cfdi', '{}', 1, 0, now()::timestamp, now()::timestamp)`,
      [batch, `sha-${batch}`, entity],
    );
  }
  await insertRaw(wh, 'invoices', [{ invoice_id: 'X1', customer_id: 'C1', invoice_date: '2024-03-01', due_date: '2024-03-31', amount: 1000, currency: 'MXN', document_type: 'invoice', extra: '{"MetodoPago":"PPD"}' }], 901);
  await insertRaw(wh, 'payments', [{ payment_id: 'X1-ERP', customer_id: 'C1', invoice_id: 'X1', payment_date: '2024-03-10', amount: 400, currency: 'MXN' }], 903);
  await insertRaw(wh, 'payments', [
    { payment_id: 'REP1/1/1', customer_id: 'C1', invoice_id: 'X1', payment_date: '2024-04-02', amount: 600, currency: 'MXN', reference: 'REP1', extra: '{"Fecha (complemento)":"2024-05-10"}' },
  ], 902);
}

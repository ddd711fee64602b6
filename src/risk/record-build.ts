import type { Warehouse } from '../db/warehouse.ts';
import { riskSql } from './sql.ts';

/** The SQL that makes a customers' record: another version of it is another record. */
export const RECORD_SQL_FILES = ['customer_record.sql', 'invoice_paid.sql', 'parts_payments.sql'];

const INVOICE_PAID_SQL = riskSql('invoice_paid.sql');
const PARTS_PAYMENTS_SQL = riskSql('parts_payments.sql');
const CUSTOMER_RECORD_SQL = riskSql('customer_record.sql');

/** A source's rows of the customers in temp table risk_record_customers. */
const ofRecordCustomers = (source: string) => `select * from ${source} where customer_id in (select customer_id from risk_record_customers)`;

/**
 * Writes the record (`sql/risk/customer_record.sql`) of the customers `customersSql` selects (column customer_id;
 * null takes every customer) with `into.record` before it, and the payments of their invoices paid in several
 * (`sql/risk/parts_payments.sql`) with `into.parts`: 'create or replace temp table x as', 'insert into main.x'.
 * Sources must be prepared.
 */
export async function writeRecord(wh: Warehouse, lateDays: number, customersSql: string | null, into: { record: string; parts: string }): Promise<void> {
  // A few customers (a contact's re-scoring) read their own invoices and payments only, not the history's.
  if (customersSql) await wh.run(`create or replace temp table risk_record_customers as select distinct customer_id from (${customersSql})`);
  for (const [view, source] of [['risk_record_invoices', 'risk_src_invoices'], ['risk_record_payments', 'risk_src_payments']]) {
    await wh.run(`create or replace temp view ${view} as ${customersSql ? ofRecordCustomers(source) : `select * from ${source}`}`);
  }
  // Per-invoice payment totals first, as tables: the planner then knows how few invoices were paid in parts.
  await wh.run(`create or replace temp table risk_invoice_paid as ${INVOICE_PAID_SQL}`);
  await wh.run(`${into.parts} ${PARTS_PAYMENTS_SQL}`);
  await wh.run(`${into.record} ${CUSTOMER_RECORD_SQL}`, { late_days: lateDays });
  await wh.run(`drop table temp.risk_invoice_paid; drop view temp.risk_record_invoices; drop view temp.risk_record_payments;
    drop table if exists temp.risk_record_customers`);
}

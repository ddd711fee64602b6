import type { Warehouse } from '../db/warehouse.ts';

/**
 * The date the warehouse describes: the latest build's as_of, or else the latest date any
 * invoice or payment carries (an export is a snapshot of that day).
 */
export async function dataAsOf(wh: Warehouse): Promise<string> {
  if (await wh.tableExists('builds')) {
    const d = await wh.scalar<string>(`select max(as_of)::date::varchar from builds`);
    if (d) return d;
  }
  const d = await wh.scalar<string>(
    `select greatest(max(invoice_date), max(paid_date))::varchar from fct_invoices`,
  );
  if (!d) throw new Error('risk: fct_invoices has no dated invoices');
  return d;
}

import type { Warehouse } from '../db/warehouse.ts';

/**
 * The date the warehouse describes: the as-of of the build on the search path (`build_options`:
 * the publication being prepared, or else the one served), or, in a warehouse of marts made
 * without a build, the latest date any invoice or payment carries (an export is a snapshot of that day).
 */
export async function dataAsOf(wh: Warehouse): Promise<string> {
  if (await wh.tableExists('build_options')) {
    const d = await wh.scalar<string>(`select as_of::varchar from build_options`);
    if (d) return d;
  }
  const d = await wh.scalar<string>(
    `select greatest(max(invoice_date), max(paid_date))::varchar from fct_invoices`,
  );
  if (!d) throw new Error('risk: fct_invoices has no dated invoices');
  return d;
}

import type { AgedLine, AgedReport } from './aged.ts';

/**
 * The report as the API answers it: the buckets in order, one object per customer (and currency)
 * with one amount per bucket (keyed by the bucket's label) and its total, and a totals object per
 * currency. Money stays the DECIMAL text DuckDB wrote, like every JSON answer of the API.
 */
export function agedJson(r: AgedReport) {
  const amounts = (l: AgedLine) => Object.fromEntries(r.buckets.map((b, i) => [b, l.amounts[i]]));
  return {
    as_of: r.asOf,
    mode: r.mode,
    currency: r.currency,
    buckets: r.buckets,
    filters: r.filters,
    data: r.groups.flatMap((g) =>
      g.lines.map((l) => ({ customer_id: l.customerId, customer_name: l.customerName, currency: g.currency, ...amounts(l), total: l.total })),
    ),
    totals: r.groups.map((g) => ({ currency: g.currency, ...amounts(g.total), total: g.total.total })),
  };
}

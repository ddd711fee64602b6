import { bucketLabelsSql } from '../api/aging-pivot.ts';
import type { Query } from '../dashboards/run.ts';
import { minorDigits } from '../locale/formats.ts';
import { agedSql, type AgedMode } from './aged-sql.ts';
import { ReportError } from './errors.ts';

/** What an aged receivables report is asked for, checked at the edge (see `parseReportCurrency`). */
export interface AgedRequest {
  /** ISO date on or before the data's as-of (default: the data's). */
  asOf?: string;
  /** A currency code to report in, or 'document' for each document's own (default: the build's reporting currency). */
  currency?: string;
  segment?: string;
  country?: string;
  collector?: string;
}

/** One row of the report: a customer, or a currency's totals (no customer). Money is DECIMAL text, one amount per bucket. */
export interface AgedLine {
  customerId: string | null;
  customerName: string | null;
  amounts: string[];
  total: string;
}

/** The customers of one currency and their totals: amounts of different currencies are never added. */
export interface AgedGroup {
  currency: string;
  lines: AgedLine[];
  total: AgedLine;
}

export interface AgedReport {
  asOf: string;
  mode: AgedMode;
  /** The currency every amount is in (reporting mode); null in document mode. */
  currency: string | null;
  /** The models' bucket labels in order ('current', '1-30', ..., '120+', 'unapplied'). */
  buckets: string[];
  filters: { segment: string | null; country: string | null; collector: string | null };
  groups: AgedGroup[];
}

/**
 * A currency as a user gives it: a 3-letter code (upper-cased) or 'document'; throws ReportError otherwise.
 *
 * @example parseReportCurrency('usd') // -> 'USD'
 */
export function parseReportCurrency(input: string): string {
  if (input.toLowerCase() === 'document') return 'document';
  if (!/^[A-Za-z]{3}$/.test(input)) throw new ReportError(`currency '${input}' is neither a 3-letter ISO 4217 code nor 'document'`);
  return input.toUpperCase();
}

const rowsOf = async (query: Query, sql: string, params?: Record<string, string | null>) =>
  (await query(sql, params)).getRowObjectsJson() as Record<string, string | boolean | null>[];

/** The build's as-of, bounds and reporting currency: what every report of this publication starts from. */
async function buildOptions(query: Query) {
  const [o] = await rowsOf(query, `select as_of::varchar as as_of, array_to_string(buckets, ',') as bounds, reporting_currency from build_options`);
  if (!o?.as_of) throw new ReportError('the warehouse has no published build: run cartera build first');
  return { asOf: String(o.as_of), bounds: String(o.bounds), reporting: String(o.reporting_currency) };
}

/** The as-of asked for, refused after the data's own: the warehouse knows nothing of payments after it. */
function checkedAsOf(requested: string | undefined, dataAsOf: string): string {
  if (requested === undefined) return dataAsOf;
  if (requested > dataAsOf) throw new ReportError(`as-of ${requested} is after the data's as-of ${dataAsOf}: a report can be made on or before ${dataAsOf}`);
  return requested;
}

async function checkRate(query: Query, currency: string, asOf: string): Promise<void> {
  const [r] = await rowsOf(query, `select reporting_per_unit($currency::varchar, $as_of::date) is not null as known`, { currency, as_of: asOf });
  if (!r?.known) throw new ReportError(`no exchange rate for ${currency} on ${asOf}: report in the reporting currency, or in each document's currency (currency=document)`);
}

function line(r: Record<string, string | boolean | null>, orders: number): AgedLine {
  return {
    customerId: r.is_total ? null : (r.customer_id as string),
    customerName: r.is_total ? null : ((r.customer_name as string | null) ?? (r.customer_id as string)),
    amounts: Array.from({ length: orders }, (_, k) => String(r[`b${k}`])),
    total: String(r.total),
  };
}

/** Rows of `agedSql` (a currency's customers, then its totals row) as one group per currency. */
function groupsOf(rows: Record<string, string | boolean | null>[], orders: number): AgedGroup[] {
  const groups: AgedGroup[] = [];
  let lines: AgedLine[] = [];
  for (const r of rows) {
    if (!r.is_total) {
      lines.push(line(r, orders));
      continue;
    }
    groups.push({ currency: String(r.currency), lines, total: line(r, orders) });
    lines = [];
  }
  return groups;
}

/**
 * The aged receivables report (antigüedad de saldos) as of a date: customers by aging bucket with
 * totals, per currency, computed in SQL from `aging_at`.
 *
 * @example
 *   const report = await readAged((sql, p) => wh.result(sql, p), { asOf: '2024-06-30', currency: 'document' });
 */
export async function readAged(query: Query, req: AgedRequest): Promise<AgedReport> {
  const build = await buildOptions(query);
  const asOf = checkedAsOf(req.asOf, build.asOf);
  const mode: AgedMode = req.currency === 'document' ? 'document' : 'reporting';
  const currency = mode === 'document' ? null : (req.currency ?? build.reporting);
  if (currency) await checkRate(query, currency, asOf);
  const n = build.bounds.split(',').length;
  const labels = (await query(bucketLabelsSql(n), [build.bounds])).getRowsJson()[0][0] as string[];
  const filters = { segment: req.segment ?? null, country: req.country ?? null, collector: req.collector ?? null };
  const rows = await rowsOf(query, agedSql(mode, n, currency ? minorDigits(currency) : 2), {
    as_of: asOf,
    ...(currency ? { currency } : {}),
    ...filters,
  });
  return { asOf, mode, currency, buckets: [...labels, 'unapplied'], filters, groups: groupsOf(rows, n + 3) };
}

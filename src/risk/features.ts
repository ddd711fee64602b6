import { DuckDBVector, type DuckDBValue } from '@duckdb/node-api';
import type { Warehouse } from '../db/warehouse.ts';
import { buildAttributeFeatures, type AttributeFeature } from './attributes.ts';
import { HISTORY_DAYS, withTargetsRecord } from './customer-record.ts';
import { prepareSources } from './sources.ts';
import { riskSql } from './sql.ts';

/** The model's inputs, columns of sql/risk/features.sql (read by name). */
export const FEATURES = [
  'prior_invoices',
  'prior_late_share',
  'late_share_smoothed',
  'recent_late_share',
  'avg_days_late',
  'median_days_after_due',
  'last5_late_share',
  'segment_late_share',
  'recent_days_late',
  'days_late_trend',
  'dispute_rate',
  'partial_payment_rate',
  'broken_promises',
  'activities_90d',
  'amount_vs_median',
  'terms_days',
  'days_to_due',
  'disputed',
  'foreign_currency',
  'debit_note',
  'open_balance',
  'overdue_balance',
  'credit_utilisation',
  'invoices_over_60',
  'days_since_last_payment',
  'tenure_days',
  'contacts_30d',
  'days_since_last_contact',
  'promises_kept',
  'open_promises',
] as const;
export type FeatureName = (typeof FEATURES)[number];

/**
 * The features built on a customer master's fields, which have no date of their own (the segment, the
 * credit limit): the export shows today's, which a credit team may have set because the customer paid
 * late. A model trained without undated attributes learns nothing from them either.
 */
const UNDATED_FEATURES: { feature: FeatureName; fed: string }[] = [
  // With one segment, the segment's late share is every invoice's, as known that day: nothing from the master.
  { feature: 'segment_late_share', fed: '(select count(distinct segment) > 1 from risk_src_invoices)' },
  { feature: 'credit_utilisation', fed: '(select count(credit_limit) > 0 from risk_src_customers)' },
];

/** Those of UNDATED_FEATURES the customer master feeds in this warehouse (segments that differ, credit limits given). */
export async function undatedFeatures(wh: Warehouse): Promise<FeatureName[]> {
  await prepareSources(wh);
  const fed = await wh.all<Record<string, boolean>>(`select ${UNDATED_FEATURES.map((u) => `${u.fed} as ${u.feature}`).join(', ')}`);
  return UNDATED_FEATURES.filter((u) => fed[0][u.feature]).map((u) => u.feature);
}

const FEATURES_SQL = riskSql('features.sql');

/** Features of many invoices, row-major: row i is X[i * nFeatures ... ]: FEATURES, then the attribute features. */
export interface FeatureMatrix {
  n: number;
  nFeatures: number;
  X: Float64Array;
  invoiceIds: string[];
  customerIds: string[];
}

/**
 * Materialises the features of the targets a query selects into temp table `risk_features`
 * (columns rn, invoice_id, customer_id, as_of, then FEATURES), and those of `attrs` (a model's
 * attribute features) into `risk_attr_values`. `targetsSql` returns (invoice_id, as_of);
 * `params` are bound to it. Sources are prepared first.
 *
 * @example
 *   await buildFeatures(wh, "select invoice_id, $d::date as as_of from fct_invoices where status = 'open'", { d: '2024-06-30' }, 30);
 */
export async function buildFeatures(
  wh: Warehouse,
  targetsSql: string,
  params: Record<string, DuckDBValue>,
  lateDays: number,
  attrs: AttributeFeature[] = [],
): Promise<number> {
  await prepareSources(wh);
  // rn numbers the targets so results can be joined back without reading a million ids.
  await wh.run(`create or replace temp table risk_targets as select (row_number() over ())::int as rn, * from (${targetsSql})`, params);
  await withTargetsRecord(wh, lateDays, () =>
    wh.run(`create or replace temp table risk_features as ${FEATURES_SQL}`, { late_days: lateDays, history_days: HISTORY_DAYS }),
  );
  if (attrs.length) await buildAttributeFeatures(wh, attrs, lateDays);
  return Number(await wh.scalar('select count(*) from risk_features'));
}

/**
 * Reads temp table `risk_features` (after `buildFeatures`) into a feature matrix in `rn`
 * order, so row i of the matrix is the feature row with rn = i + 1; the `nAttrs` attribute
 * features (from `risk_attr_values`) follow FEATURES in each row. Ids are skipped when the
 * caller joins results back by rn (a million strings cost more than the model).
 */
export async function readFeatures(wh: Warehouse, withIds = true, nAttrs = 0): Promise<FeatureMatrix> {
  const cols = FEATURES.map((f) => `"${f}"`).join(', ');
  const n = Number(await wh.scalar('select count(*) from risk_features'));
  const nBase = FEATURES.length;
  const nf = nBase + nAttrs;
  const X = new Float64Array(n * nf);
  const invoiceIds: string[] = withIds ? new Array<string>(n) : [];
  const customerIds: string[] = withIds ? new Array<string>(n) : [];
  const at = new Int32Array(DuckDBVector.standardSize());
  // Streamed chunk by chunk from the typed vectors (row objects, or a materialised result's chunks,
  // cost seconds for a million rows), each row put in its place by rn: no sort.
  const r = await wh.conn.stream(`select rn, ${withIds ? 'invoice_id, customer_id' : 'null, null'}, ${cols} from risk_features`);
  for (let chunk = await r.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await r.fetchChunk()) {
    const size = chunk.rowCount;
    const rn = chunk.getColumnVector(0);
    for (let i = 0; i < size; i++) at[i] = (rn.getItem(i) as number) - 1;
    if (withIds) {
      const ids = chunk.getColumnVector(1);
      const cust = chunk.getColumnVector(2);
      for (let i = 0; i < size; i++) {
        invoiceIds[at[i]] = String(ids.getItem(i));
        customerIds[at[i]] = String(cust.getItem(i));
      }
    }
    for (let j = 0; j < nBase; j++) {
      const v = chunk.getColumnVector(j + 3);
      // Every feature is a DOUBLE (a null, which features.sql never gives, would store as 0): no conversion per cell.
      for (let i = 0; i < size; i++) X[at[i] * nf + j] = v.getItem(i) as number;
    }
  }
  if (nAttrs) await readAttributeValues(wh, X, nf, nBase);
  return { n, nFeatures: nf, X, invoiceIds, customerIds };
}

/** Fills the attribute columns of X (from column `first`) from `risk_attr_values` (rn, idx, v). */
async function readAttributeValues(wh: Warehouse, X: Float64Array, nf: number, first: number): Promise<void> {
  const r = await wh.conn.stream('select rn, idx, v from risk_attr_values');
  for (let chunk = await r.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await r.fetchChunk()) {
    const rn = chunk.getColumnVector(0);
    const idx = chunk.getColumnVector(1);
    const v = chunk.getColumnVector(2);
    for (let i = 0, size = chunk.rowCount; i < size; i++) {
      X[((rn.getItem(i) as number) - 1) * nf + first + (idx.getItem(i) as number)] = v.getItem(i) as number;
    }
  }
}

import { FEATURES, type FeatureName } from './features.ts';
import type { ForestEvaluator } from './forest.ts';
import { REASON_VERDICTS } from '../locale/reasons.ts';

/**
 * The side of the training median on which each feature is worth telling a collector about: a
 * low amount never reads as "amount 0.2x usual". Features absent here never become reasons (they
 * describe the model's context, not something to talk about with the customer). The words are in
 * src/locale/reasons.ts, rendered at read time in the reader's language and formats.
 */
const BAD_SIDE: Partial<Record<FeatureName, 'high' | 'low'>> = {
  prior_late_share: 'high',
  recent_late_share: 'high',
  last5_late_share: 'high',
  avg_days_late: 'high',
  recent_days_late: 'high',
  days_late_trend: 'high',
  dispute_rate: 'high',
  partial_payment_rate: 'high',
  broken_promises: 'high',
  amount_vs_median: 'high',
  days_to_due: 'low',
  disputed: 'high',
  foreign_currency: 'high',
  overdue_balance: 'high',
  open_balance: 'high',
  credit_utilisation: 'high',
  invoices_over_60: 'high',
  days_since_last_payment: 'high',
  tenure_days: 'low',
  prior_invoices: 'low',
};

const REASON_FEATURES = FEATURES.map((f, j) => [f, j] as const).filter(([f]) => BAD_SIDE[f]);

/** Rows below this probability get no reasons: nobody will call about them. */
export const REASONS_MIN_PROBABILITY = 0.1;

/**
 * The (up to 3) features that pushed one row's probability up most, by their contributions
 * along the trees' paths (see `ForestEvaluator.contributions`), among reason-worthy features
 * on their bad side of the training median. Returns feature indexes, strongest first.
 * `scratch` is a reusable buffer of nFeatures values.
 */
export function topReasons(ev: ForestEvaluator, X: Float64Array, row: number, medians: number[], scratch: Float64Array, max = 3): number[] {
  const off = row * ev.nFeatures;
  ev.contributions(X, off, scratch);
  const found: [number, number][] = [];
  for (const [f, j] of REASON_FEATURES) {
    const v = X[off + j];
    const side = BAD_SIDE[f];
    const onBadSide = side === 'high' ? v > medians[j] || (v === -1 && medians[j] !== -1) : v < medians[j];
    // Under half a point of probability is noise, not a reason to give a customer.
    if (onBadSide && scratch[j] > 0.005) found.push([j, scratch[j]]);
  }
  found.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return found.slice(0, max).map(([j]) => j);
}

/**
 * A row's reasons as stored: the feature codes, comma-separated, and their values in the same
 * order (`usual_risk` when no feature stands out: the risk is what similar invoices carry).
 */
export function reasonCodes(reasons: number[], X: Float64Array, row: number, nf: number): { codes: string; values: string } {
  if (!reasons.length) return { codes: REASON_VERDICTS.usual, values: '' };
  return { codes: reasons.map((j) => FEATURES[j]).join(','), values: reasons.map((j) => X[row * nf + j]).join(',') };
}

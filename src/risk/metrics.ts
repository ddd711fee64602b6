/** Ranking and calibration metrics for a binary target (1 = late). */

/** Area under the ROC curve (Mann-Whitney), ties counted half. NaN without both classes. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = labels.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k]] === 1) {
      pos++;
      rankSum += midRank;
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Precision and recall when the top `share` of rows by score are flagged late. */
export function atTop(scores: ArrayLike<number>, labels: ArrayLike<number>, share: number): { precision: number; recall: number } {
  const n = labels.length;
  const k = Math.max(1, Math.round(n * share));
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  let hits = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (labels[idx[i]] === 1) {
      total++;
      if (i < k) hits++;
    }
  }
  return { precision: n ? hits / k : NaN, recall: total ? hits / total : NaN };
}

/** Mean squared error of the probabilities. */
export function brier(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) s += (probs[i] - labels[i]) ** 2;
  return labels.length ? s / labels.length : NaN;
}

export interface CalibrationBin {
  bin: string;
  n: number;
  mean_predicted: number;
  observed_late: number;
}

/** Ten equal-width probability bins: mean predicted vs observed share late. */
export function calibration(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const acc = Array.from({ length: bins }, () => ({ n: 0, p: 0, y: 0 }));
  for (let i = 0; i < labels.length; i++) {
    const b = Math.min(bins - 1, Math.floor(probs[i] * bins));
    acc[b].n++;
    acc[b].p += probs[i];
    acc[b].y += labels[i];
  }
  return acc.map((a, b) => ({
    bin: `${(b / bins).toFixed(1)}-${((b + 1) / bins).toFixed(1)}`,
    n: a.n,
    mean_predicted: a.n ? a.p / a.n : NaN,
    observed_late: a.n ? a.y / a.n : NaN,
  }));
}

export interface LiftRow {
  decile: number;
  n: number;
  late_rate: number;
  lift: number;
}

/** Rows sorted by score, cut in ten: late rate of each decile over the overall rate (decile 1 = riskiest). */
export function liftByDecile(scores: ArrayLike<number>, labels: ArrayLike<number>): LiftRow[] {
  const n = labels.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  let late = 0;
  for (let i = 0; i < n; i++) late += labels[i];
  const base = n ? late / n : NaN;
  const out: LiftRow[] = [];
  for (let d = 0; d < 10; d++) {
    const from = Math.floor((d * n) / 10);
    const to = Math.floor(((d + 1) * n) / 10);
    let y = 0;
    for (let i = from; i < to; i++) y += labels[idx[i]];
    const rate = to > from ? y / (to - from) : NaN;
    out.push({ decile: d + 1, n: to - from, late_rate: rate, lift: rate / base });
  }
  return out;
}

/** The headline figures of one scorer. */
export interface Evaluation {
  n: number;
  late_rate: number;
  auc: number;
  precision_top10: number;
  recall_top10: number;
  precision_top20: number;
  recall_top20: number;
  brier: number;
}

/** AUC, precision/recall at the top 10% and 20%, Brier (probabilities must be in [0, 1] for Brier to mean anything). */
export function evaluate(scores: ArrayLike<number>, labels: ArrayLike<number>): Evaluation {
  const t10 = atTop(scores, labels, 0.1);
  const t20 = atTop(scores, labels, 0.2);
  let late = 0;
  for (let i = 0; i < labels.length; i++) late += labels[i];
  return {
    n: labels.length,
    late_rate: labels.length ? late / labels.length : NaN,
    auc: auc(scores, labels),
    precision_top10: t10.precision,
    recall_top10: t10.recall,
    precision_top20: t20.precision,
    recall_top20: t20.recall,
    brier: brier(scores, labels),
  };
}

/**
 * Calibration: the model's raw score mapped to the late share observed at that score, so a
 * probability of 0.3 means three in ten such invoices were late. The call list and the cash
 * forecast multiply amounts by it; a forest's averaged leaves are squeezed toward the middle.
 */

/**
 * An increasing piecewise-linear map from raw score to probability: `x` ascending raw scores
 * (each a pooled block's mean score), `y` the late share observed in each block. Between
 * points it interpolates; outside them it holds the end value.
 */
export interface IsotonicCalibration {
  method: 'isotonic';
  x: number[];
  y: number[];
}

/** Platt scaling: probability = sigmoid(a · logit(score) + b), two numbers fitted by log loss. */
export interface PlattCalibration {
  method: 'platt';
  a: number;
  b: number;
}

export type Calibration = IsotonicCalibration | PlattCalibration;

/**
 * Isotonic regression (pool adjacent violators) of labels on scores, as scikit-learn's
 * IsotonicRegression: the non-decreasing step function closest to the labels in squared error.
 * Equal scores are pooled first. Fit it on predictions the model did not train on (a later time slice).
 *
 * @example
 *   fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]) // { x: [0.1, 0.25, 0.4], y: [0, 0.5, 1] }
 */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): IsotonicCalibration {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  // Blocks as parallel stacks: weight, sum of labels, sum of scores.
  const w: number[] = [];
  const sy: number[] = [];
  const sx: number[] = [];
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    const last = w.length - 1;
    if (last >= 0 && sx[last] / w[last] === scores[i]) {
      w[last]++;
      sy[last] += labels[i];
      sx[last] += scores[i];
    } else {
      w.push(1);
      sy.push(labels[i]);
      sx.push(scores[i]);
    }
    // Pool while the newest block's mean is below the one before it.
    while (w.length > 1 && sy[w.length - 1] / w[w.length - 1] <= sy[w.length - 2] / w[w.length - 2]) {
      const b = w.length - 1;
      w[b - 1] += w[b];
      sy[b - 1] += sy[b];
      sx[b - 1] += sx[b];
      w.pop();
      sy.pop();
      sx.pop();
    }
  }
  return { method: 'isotonic', x: sx.map((s, b) => s / w[b]), y: sy.map((s, b) => s / w[b]) };
}

/** A score in [0, 1] as log-odds, kept finite at the ends. */
function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

/**
 * Platt scaling on the log-odds of the scores: the a, b minimising the log loss of
 * sigmoid(a · logit(score) + b), by Newton's method. Two numbers do not chase the noise of a
 * small slice as a step function can.
 *
 * @example
 *   fitPlatt([0.2, 0.8], [0, 1]) // a > 1: the scores were not sure enough
 */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): PlattCalibration {
  const n = scores.length;
  const z = Float64Array.from({ length: n }, (_, i) => logit(scores[i]));
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    // Gradient and Hessian of the mean log loss in (a, b), with a small ridge for separable data.
    let ga = 1e-6 * (a - 1);
    let gb = 0;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(a * z[i] + b)));
      const d = p - labels[i];
      const w = Math.max(p * (1 - p), 1e-12);
      ga += d * z[i];
      gb += d;
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { method: 'platt', a, b };
}

/** The calibrated probability of a raw score (the raw score itself without a calibration). */
export function calibrate(c: Calibration | null | undefined, score: number): number {
  if (!c) return score;
  if (c.method === 'platt') return 1 / (1 + Math.exp(-(c.a * logit(score) + c.b)));
  if (c.x.length === 0) return score;
  const { x, y } = c;
  if (score <= x[0]) return y[0];
  const last = x.length - 1;
  if (score >= x[last]) return y[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= score) lo = mid;
    else hi = mid;
  }
  return y[lo] + ((y[hi] - y[lo]) * (score - x[lo])) / (x[hi] - x[lo]);
}

/** Calibrates raw scores in place and returns them. */
export function calibrateAll(c: Calibration | null | undefined, scores: Float64Array): Float64Array {
  if (c) for (let i = 0; i < scores.length; i++) scores[i] = calibrate(c, scores[i]);
  return scores;
}

/**
 * The calibration the model carries, fitted on (score, label) pairs of a held-out slice; null
 * when the slice lacks either outcome. Platt scaling: see the risk README for the comparison.
 */
export function fitCalibration(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibration | null {
  let late = 0;
  for (let i = 0; i < labels.length; i++) late += labels[i];
  if (late === 0 || late === labels.length) return null;
  return fitPlatt(scores, labels);
}

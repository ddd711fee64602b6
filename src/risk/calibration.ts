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
export interface Calibration {
  method: 'isotonic';
  x: number[];
  y: number[];
}

/**
 * Isotonic regression (pool adjacent violators) of labels on scores, as scikit-learn's
 * IsotonicRegression: the non-decreasing step function closest to the labels in squared error.
 * Equal scores are pooled first. Fit it on predictions the model did not train on (a later time slice).
 *
 * @example
 *   fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]) // { x: [0.1, 0.25, 0.4], y: [0, 0.5, 1] }
 */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
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

/** The calibrated probability of a raw score (the raw score itself without a calibration). */
export function calibrate(c: Calibration | null | undefined, score: number): number {
  if (!c || c.x.length === 0) return score;
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

/**
 * Histogram split search (as LightGBM's): every feature is cut once into at most 255 quantile
 * bins, and a node finds its best split by summing its rows into one histogram per feature and
 * scanning the bins. A tree's training is then linear in its rows, where ml-cart's exact search
 * sorts each node's values again and again.
 */

/** Features binned once for a whole training set. */
export interface BinnedFeatures {
  n: number;
  nFeatures: number;
  /**
   * `cuts[j]`: ascending thresholds of feature j. A value's bin is the number of cuts at or below
   * it, so the rows of bins 0..k are exactly those with value < cuts[j][k]: the tree's test.
   */
  cuts: Float64Array[];
  /** `bins[j][i]`: row i's bin of feature j, one column per feature (a tree gathers its rows' bins from them; routing a node's rows reads one). */
  bins: Uint8Array[];
}

/** At most this many bins per feature: bin numbers fit a byte. */
export const MAX_BINS = 255;

/** Values read per feature to place the quantile cuts: over a hundred per bin, and sorting them stays cheap. */
const CUT_SAMPLE = 30_000;

/**
 * The cuts of one feature from its values sorted ascending. With few distinct values each gets
 * its own bin (cut half-way between neighbours); otherwise the cuts sit at equal-count quantiles.
 *
 * @example
 *   featureCuts(Float64Array.from([0, 0, 1, 3]), 255) // [0.5, 2]
 */
export function featureCuts(sorted: Float64Array, maxBins = MAX_BINS): Float64Array {
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length && distinct.length <= maxBins; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  if (distinct.length <= maxBins) {
    return Float64Array.from(distinct.slice(1), (v, i) => (distinct[i] + v) / 2);
  }
  const cuts: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    const v = sorted[Math.floor((b * sorted.length) / maxBins)];
    if (v > sorted[0] && (cuts.length === 0 || v > cuts[cuts.length - 1])) cuts.push(v);
  }
  return Float64Array.from(cuts);
}

/** Number of cuts at or below `x` (binary search): its bin. */
function binOf(cuts: Float64Array, x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x >= cuts[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bins a row-major matrix (`n` rows of `nFeatures`), cuts placed on an evenly strided sample
 * of about 30,000 rows.
 */
export function binFeatures(X: Float64Array, n: number, nFeatures: number, maxBins = MAX_BINS): BinnedFeatures {
  const stride = Math.max(1, Math.floor(n / CUT_SAMPLE));
  const m = Math.ceil(n / stride);
  const cuts: Float64Array[] = [];
  const bins: Uint8Array[] = [];
  const sample = new Float64Array(m);
  for (let j = 0; j < nFeatures; j++) {
    for (let s = 0; s < m; s++) sample[s] = X[s * stride * nFeatures + j];
    const c = featureCuts(sample.slice().sort(), Math.min(maxBins, MAX_BINS));
    const col = new Uint8Array(n);
    for (let i = 0; i < n; i++) col[i] = binOf(c, X[i * nFeatures + j]);
    cuts.push(c);
    bins.push(col);
  }
  return { n, nFeatures, cuts, bins };
}

/** Growth limits of one tree. */
export interface TreeLimits {
  maxDepth: number;
  /** A node with fewer rows is a leaf. */
  minNumSamples: number;
  /** Neither side of a split may have fewer rows. */
  minLeaf: number;
  /** Features drawn (without replacement) for the tree; every node of it searches them all. */
  featuresPerTree: number;
  /** L2 shrinkage of node values (0 for a random forest's plain late shares). */
  lambda: number;
}

/** Flat tree arrays, as `CompactForest` holds them; a tree appends its nodes. */
export interface TreeArrays {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  vote: number[];
  /** What each node would predict as a leaf (late share, or log-odds step): what explanations measure with. */
  value: number[];
}

/**
 * Grows one tree on `rows` (indices into `data`) and appends it to `out`; returns its root.
 * Each row carries a gradient `g` and a weight `h`: a node's value is G / (H + λ) and a split's gain is
 * G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ). With g = label and h = 1 that is the late share
 * and the variance (Gini) reduction of a classification tree; with the logistic loss's
 * gradient and hessian it is a boosting step. A node sums its rows into one histogram per
 * feature (G, H and rows per bin); of two children only the smaller is summed, the larger is
 * its parent's histogram minus the smaller's (LightGBM's subtraction trick), so a level costs
 * at most half the tree's rows.
 */
export function growTree(
  data: BinnedFeatures,
  g: Float64Array,
  h: Float64Array,
  rows: Uint32Array,
  limits: TreeLimits,
  rand: () => number,
  out: TreeArrays,
): number {
  const { lambda, minLeaf, maxDepth } = limits;
  const order = Array.from({ length: data.nFeatures }, (_, j) => j);
  const m = Math.max(1, Math.min(data.nFeatures, limits.featuresPerTree));
  for (let s = 0; s < m; s++) {
    const pick = s + Math.floor(rand() * (order.length - s));
    [order[s], order[pick]] = [order[pick], order[s]];
  }
  const feats = order.slice(0, m).sort((a, b) => a - b);
  // The tree's rows gathered once, compact: their drawn features' bins row by row (row r's m bins from r * m), gradient
  // and weight. Summing a node then reads one short row per example from a few hundred kilobytes, not one byte from each
  // of the whole set's columns, and the sums run in the same order as they would there.
  const R = rows.length;
  const lb = new Uint8Array(R * m);
  const lg = new Float64Array(R);
  const lh = new Float64Array(R);
  for (let s = 0; s < m; s++) {
    const col = data.bins[feats[s]];
    for (let r = 0; r < R; r++) lb[r * m + s] = col[rows[r]];
  }
  for (let r = 0; r < R; r++) {
    lg[r] = g[rows[r]];
    lh[r] = h[rows[r]];
  }
  // A node's rows: positions in the gathered arrays, contiguous per node; partitioning moves these alone.
  const idx = Uint32Array.from({ length: R }, (_, r) => r);
  const spare = new Uint32Array(R);
  // Each drawn feature's bins, packed: feature s's bin b sits at off[s] + b. A flag has 2 bins, not 256,
  // and every node clears and subtracts whole histograms.
  const nbs = feats.map((f) => data.cuts[f].length + 1);
  const off = new Int32Array(m + 1);
  for (let s = 0; s < m; s++) off[s + 1] = off[s] + nbs[s];
  const T = off[m];
  // Histograms by depth, two per depth (a node's left and right child): [G | H | N] x packed bins.
  const size = 3 * T;
  const pool = Array.from({ length: 2 * (maxDepth + 1) }, () => new Float64Array(size));
  const canSplit = (count: number, depth: number) => depth < maxDepth && count >= limits.minNumSamples && count >= 2 * minLeaf;

  const fill = (hist: Float64Array, start: number, end: number) => {
    hist.fill(0);
    for (let r = start; r < end; r++) {
      const i = idx[r];
      const gr = lg[i];
      const hr = lh[i];
      const base = i * m;
      for (let s = 0; s < m; s++) {
        const b = off[s] + lb[base + s];
        hist[b] += gr;
        hist[T + b] += hr;
        hist[2 * T + b]++;
      }
    }
  };

  const grow = (start: number, end: number, depth: number, hist: Float64Array | null): number => {
    const k = out.feature.length;
    let G = 0;
    let H = 0;
    for (let r = start; r < end; r++) {
      G += lg[idx[r]];
      H += lh[idx[r]];
    }
    const v = H + lambda > 0 ? G / (H + lambda) : 0;
    out.feature.push(-1);
    out.threshold.push(0);
    out.left.push(-1);
    out.right.push(-1);
    out.vote.push(v);
    out.value.push(v);
    const count = end - start;
    if (!hist) return k;
    let bestGain = 1e-12;
    let bestS = -1;
    let bestBin = -1;
    const parent = (G * G) / (H + lambda);
    for (let s = 0; s < m; s++) {
      const nb = nbs[s];
      const og = off[s];
      const oh = T + off[s];
      const on = 2 * T + off[s];
      let gl = 0;
      let hl = 0;
      let nl = 0;
      for (let b = 0; b < nb - 1; b++) {
        gl += hist[og + b];
        hl += hist[oh + b];
        nl += hist[on + b];
        if (nl < minLeaf) continue;
        if (count - nl < minLeaf) break;
        const gr = G - gl;
        const hr = H - hl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          bestS = s;
          bestBin = b;
        }
      }
    }
    if (bestS < 0) return k;
    // Stable partition: rows of bins <= bestBin first.
    const f = feats[bestS];
    let a = start;
    let z = 0;
    for (let r = start; r < end; r++) {
      const i = idx[r];
      if (lb[i * m + bestS] <= bestBin) idx[a++] = i;
      else spare[z++] = i;
    }
    idx.set(spare.subarray(0, z), a);
    out.feature[k] = f;
    out.threshold[k] = data.cuts[f][bestBin];
    let histL: Float64Array | null = null;
    let histR: Float64Array | null = null;
    if (canSplit(a - start, depth + 1) || canSplit(end - a, depth + 1)) {
      histL = pool[2 * (depth + 1)];
      histR = pool[2 * (depth + 1) + 1];
      const [small, large] = a - start <= end - a ? [histL, histR] : [histR, histL];
      if (small === histL) fill(histL, start, a);
      else fill(histR, a, end);
      for (let x = 0; x < size; x++) large[x] = hist[x] - small[x];
      if (!canSplit(a - start, depth + 1)) histL = null;
      if (!canSplit(end - a, depth + 1)) histR = null;
    }
    out.left[k] = grow(start, a, depth + 1, histL);
    out.right[k] = grow(a, end, depth + 1, histR);
    return k;
  };
  let rootHist: Float64Array | null = null;
  if (canSplit(rows.length, 0)) {
    rootHist = pool[0];
    fill(rootHist, 0, rows.length);
  }
  return grow(0, rows.length, 0, rootHist);
}

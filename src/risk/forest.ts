import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { binFeatures, growTree, type BinnedFeatures, type TreeArrays } from './histogram.ts';

/** Training knobs. The defaults were chosen by backtest (AUC and seconds in one run: test/bench/risk-learners.ts). */
export interface ForestParams {
  /**
   * 'forest': a random forest, probability = the trees' mean leaf late share; 'boosting':
   * gradient-boosted trees on the logistic loss, probability = sigmoid of the summed leaves.
   */
  learner: 'forest' | 'boosting';
  nTrees: number;
  /** Trees grown between pauses (the event loop turns, an abort is seen). */
  treesPerGroup: number;
  /** Share of the rows each tree draws, without replacement... */
  rowShare: number;
  /** ...and at most this many: the trees together still see every example, and training time stays flat. */
  rowsPerTree: number;
  maxDepth: number;
  /** A node with fewer rows is not split. */
  minNumSamples: number;
  /** Neither side of a split may have fewer rows. */
  minLeaf: number;
  /** Share of features each tree draws (every node of the tree searches them all). */
  maxFeatures: number;
  /** Boosting's shrinkage of each tree (ignored by the forest). */
  learningRate: number;
  /** L2 shrinkage of leaf values (boosting; 0 for the forest's plain late shares). */
  lambda: number;
  /** Quantile bins per feature (at most 255). */
  maxBins: number;
  seed: number;
}

/** Chosen by backtest on the demo data (AUC and seconds, same run); see the risk README. */
export const DEFAULT_FOREST_PARAMS: ForestParams = {
  learner: 'forest',
  nTrees: 40,
  treesPerGroup: 5,
  rowShare: 0.5,
  rowsPerTree: 50_000,
  maxDepth: 12,
  minNumSamples: 40,
  minLeaf: 20,
  maxFeatures: 0.5,
  learningRate: 0.1,
  lambda: 0,
  maxBins: 255,
  seed: 42,
};

/** Examples to learn from: `X` row-major (`nFeatures` per row), `y` 1 = late. */
export interface TrainingSet {
  X: Float64Array;
  nFeatures: number;
  y: ArrayLike<number>;
  /** The rows whose out-of-bag scores a forest returns (the others' are NaN); default every row. */
  oobRows?: ArrayLike<number>;
}

/**
 * All trees of a model flattened into parallel arrays: node k splits on `feature[k]` at
 * `threshold[k]` (value < threshold goes `left`), or is a leaf (`feature[k] = -1`) holding
 * `vote[k]`. `roots[t]` is tree t's first node. With link 'mean' a leaf's vote is its training
 * rows' late share and the probability is the trees' mean vote; with 'logistic' the votes are
 * log-odds steps and the probability is sigmoid(base + their sum). Compact, JSON-friendly and
 * fast to evaluate in a tight loop.
 */
export interface CompactForest extends TreeArrays {
  nFeatures: number;
  link: 'mean' | 'logistic';
  base: number;
  roots: number[];
}

/** Deterministic PRNG (mulberry32), so the same data and seed give the same model. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A grown model, and for a forest each example's out-of-bag score: the mean of the trees that did not draw it (NaN if all
 * did, or if it is not among the set's `oobRows`).
 */
export interface TrainedForest {
  forest: CompactForest;
  oob: Float64Array | null;
}

/**
 * Trains a model on binned features (histogram split search, linear in each tree's rows).
 */
export function trainForest(data: TrainingSet, params: ForestParams = DEFAULT_FOREST_PARAMS): TrainedForest {
  const groups = growForest(data, params);
  for (let g = groups.next(); ; g = groups.next()) if (g.done) return g.value;
}

/**
 * The same model as `trainForest`, letting the event loop run between groups of trees: a server
 * that trains (a refresh) answers in between. Stops at the next group once `signal` aborts.
 */
export async function trainForestYielding(data: TrainingSet, params: ForestParams = DEFAULT_FOREST_PARAMS, signal?: AbortSignal): Promise<TrainedForest> {
  const groups = growForest(data, params);
  for (let g = groups.next(); ; g = groups.next()) {
    if (g.done) return g.value;
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }
}

/**
 * The same model as `trainForest`, grown on a worker thread: the process's own thread stays free
 * the whole time (a server keeps answering while the demo's backtest trains). Aborting `signal`
 * stops the worker.
 */
export function trainForestOffThread(data: TrainingSet, params: ForestParams = DEFAULT_FOREST_PARAMS, signal?: AbortSignal): Promise<TrainedForest> {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(`./forest-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  // Run from the sources (tests, `npm run dev`), the worker first registers tsx to read TypeScript.
  const source = fromSources ? `import(${JSON.stringify(tsxApi())}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })` : '';
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const oobRows = data.oobRows && Array.from(data.oobRows);
    const workerData = { data: { X: data.X, nFeatures: data.nFeatures, y: Array.from(data.y), ...(oobRows ? { oobRows } : {}) }, params };
    const worker = fromSources ? new Worker(source, { eval: true, workerData }) : new Worker(entry, { workerData });
    const abort = () => {
      void worker.terminate();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
    worker.once('message', (trained: TrainedForest) => {
      signal?.removeEventListener('abort', abort);
      resolve(trained);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the training worker ended (exit code ${code}) without a forest`)));
  });
}

/** The URL of tsx's ESM API (`register`), as its package's exports name it for `import`. */
function tsxApi(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(pkg.exports['./esm/api'].import.default, pathToFileURL(pkgPath)).href;
}

/** Draws `k` of 0..n-1 without replacement (a partial Fisher-Yates shuffle of `pool`). */
function drawRows(pool: Uint32Array, k: number, rand: () => number): Uint32Array {
  const n = pool.length;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, k);
}

/** Grows the model a group of trees at a time, pausing (yielding) after each group. */
function* growForest(data: TrainingSet, params: ForestParams): Generator<void, TrainedForest> {
  const nf = data.nFeatures;
  const n = data.y.length;
  if (n === 0) throw new Error('risk: no training examples');
  const binned = binFeatures(data.X, n, nf, params.maxBins);
  const boosting = params.learner === 'boosting';
  let late = 0;
  for (let i = 0; i < n; i++) late += data.y[i];
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, late / n));
  const out: CompactForest = {
    nFeatures: nf,
    link: boosting ? 'logistic' : 'mean',
    base: boosting ? Math.log(rate / (1 - rate)) : 0,
    roots: [],
    feature: [],
    threshold: [],
    left: [],
    right: [],
    vote: [],
    value: [],
  };
  const limits = {
    maxDepth: params.maxDepth,
    minNumSamples: params.minNumSamples,
    minLeaf: params.minLeaf,
    featuresPerTree: Math.max(1, Math.round(params.maxFeatures * nf)),
    lambda: boosting ? params.lambda : 0,
  };
  const rand = mulberry32(params.seed);
  const pool = Uint32Array.from({ length: n }, (_, i) => i);
  const perTree = Math.max(1, Math.min(n, params.rowsPerTree, Math.round(n * params.rowShare)));
  const g = new Float64Array(n);
  const h = new Float64Array(n).fill(1);
  const F = new Float64Array(n).fill(out.base);
  if (!boosting) for (let i = 0; i < n; i++) g[i] = data.y[i];
  const oobSum = new Float64Array(boosting ? 0 : n);
  const oobCount = new Uint32Array(boosting ? 0 : n);
  // Out-of-bag scores cost a tree's walk per row: only the rows asked for take it.
  const wanted = new Uint8Array(boosting ? 0 : n).fill(data.oobRows ? 0 : 1);
  if (data.oobRows && !boosting) for (let r = 0; r < data.oobRows.length; r++) wanted[data.oobRows[r]] = 1;
  for (let t = 0; t < params.nTrees; t++) {
    if (boosting) {
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-F[i]));
        g[i] = data.y[i] - p;
        h[i] = Math.max(p * (1 - p), 1e-6);
      }
    }
    const first = out.feature.length;
    const root = growTree(binned, g, h, drawRows(pool, perTree, rand), limits, rand, out);
    out.roots.push(root);
    if (boosting) shrinkAndStep(out, first, params.learningRate, binned, F);
    else outOfBag(out, root, binned, notDrawn(pool, perTree, wanted), oobSum, oobCount);
    if ((t + 1) % params.treesPerGroup === 0 && t + 1 < params.nTrees) yield;
  }
  const oob = boosting ? null : Float64Array.from(oobSum, (s, i) => (oobCount[i] ? s / oobCount[i] : NaN));
  return { forest: out, oob };
}

/** The wanted rows a tree did not draw (the pool past its first `drawn`), ascending: a copy, as the pool's order feeds the next draw. */
function notDrawn(pool: Uint32Array, drawn: number, wanted: Uint8Array): Uint32Array {
  const rows = new Uint32Array(pool.length - drawn);
  let k = 0;
  for (let r = drawn; r < pool.length; r++) if (wanted[pool[r]]) rows[k++] = pool[r];
  return rows.subarray(0, k).sort();
}

/** Each split's bin (for `routeDown`), for the nodes of the tree starting at `root`, the last one grown. */
function splitBins(out: TreeArrays, root: number, binned: BinnedFeatures): Int32Array {
  const splitBin = new Int32Array(out.feature.length - root);
  for (let k = root; k < out.feature.length; k++) {
    const f = out.feature[k];
    if (f >= 0) splitBin[k - root] = binned.cuts[f].indexOf(out.threshold[k]);
  }
  return splitBin;
}

/**
 * Sends `rows` (ascending; reordered) down the tree starting at `root`, the last one grown, and calls `visit` with each
 * leaf and its rows (`rows[start..end)`). The rows go down together, each node splitting its own in two by one column
 * (bins 0..b hold exactly the values below cuts[b]: the tree's own test), so a node reads that column forward rather
 * than each row jumping between columns.
 */
function routeDown(out: TreeArrays, root: number, binned: BinnedFeatures, rows: Uint32Array, visit: (leaf: number, start: number, end: number) => void): void {
  const splitBin = splitBins(out, root, binned);
  const spare = new Uint32Array(rows.length);
  const route = (k: number, start: number, end: number): void => {
    if (start === end) return;
    const f = out.feature[k];
    if (f < 0) return visit(k, start, end);
    const col = binned.bins[f];
    const cut = splitBin[k - root];
    let a = start;
    let z = 0;
    for (let r = start; r < end; r++) {
      const i = rows[r];
      if (col[i] <= cut) rows[a++] = i;
      else spare[z++] = i;
    }
    rows.set(spare.subarray(0, z), a);
    route(out.left[k], start, a);
    route(out.right[k], a, end);
  };
  route(root, 0, rows.length);
}

/** Adds a forest tree's vote to `rows`, ascending, which it did not draw: their out-of-bag scores, honest for the model itself. */
function outOfBag(out: TreeArrays, root: number, binned: BinnedFeatures, rows: Uint32Array, sum: Float64Array, count: Uint32Array): void {
  routeDown(out, root, binned, rows, (leaf, start, end) => {
    const v = out.vote[leaf];
    for (let r = start; r < end; r++) {
      sum[rows[r]] += v;
      count[rows[r]]++;
    }
  });
}

/** Scales a boosting tree's node values by the learning rate, then adds its leaves to every row's log-odds. */
function shrinkAndStep(out: TreeArrays, root: number, rate: number, binned: BinnedFeatures, F: Float64Array): void {
  for (let k = root; k < out.vote.length; k++) {
    out.vote[k] *= rate;
    out.value[k] *= rate;
  }
  const rows = Uint32Array.from({ length: F.length }, (_, i) => i);
  routeDown(out, root, binned, rows, (leaf, start, end) => {
    const v = out.vote[leaf];
    for (let r = start; r < end; r++) F[rows[r]] += v;
  });
}

/** A forest ready to evaluate: typed arrays of a CompactForest. */
export interface ForestEvaluator {
  nFeatures: number;
  /** Probability of late for one row of `X` (row-major, nFeatures per row) starting at `offset`. */
  predictRow(X: Float64Array, offset: number): number;
  /** Probabilities for all `n` rows of `X`. */
  predict(X: Float64Array, n: number): Float64Array;
  /**
   * How much each feature moved one row's score along its paths (Saabas' tree interpretation):
   * for every split passed, the change in node value is credited to the split's feature.
   * Writes one value per feature into `out`, in probability points (a forest's mean over trees;
   * boosting's log-odds times the sigmoid's slope at the row's score); costs one or two predictions.
   */
  contributions(X: Float64Array, offset: number, out: Float64Array): void;
}

/**
 * Compiles a CompactForest into a fast evaluator. A forest's probability is the trees' mean leaf
 * late share (as scikit-learn's predict_proba); boosting's is the sigmoid of base + leaf sum.
 * Raw: calibration (`calibration.ts`) maps it to an observed late share.
 */
export function evaluator(forest: CompactForest): ForestEvaluator {
  const feature = Int32Array.from(forest.feature);
  const threshold = Float64Array.from(forest.threshold);
  const left = Int32Array.from(forest.left);
  const right = Int32Array.from(forest.right);
  const vote = Float64Array.from(forest.vote);
  const value = Float64Array.from(forest.value);
  const roots = Int32Array.from(forest.roots);
  const nTrees = roots.length;
  const nf = forest.nFeatures;
  const logistic = forest.link === 'logistic';
  const base = forest.base;
  const predictRow = (X: Float64Array, offset: number): number => {
    let votes = 0;
    for (let t = 0; t < nTrees; t++) {
      let k = roots[t];
      let f = feature[k];
      while (f >= 0) {
        k = X[offset + f] < threshold[k] ? left[k] : right[k];
        f = feature[k];
      }
      votes += vote[k];
    }
    return logistic ? 1 / (1 + Math.exp(-(base + votes))) : votes / nTrees;
  };
  const contributions = (X: Float64Array, offset: number, out: Float64Array): void => {
    out.fill(0);
    for (let t = 0; t < nTrees; t++) {
      let k = roots[t];
      let f = feature[k];
      while (f >= 0) {
        const next = X[offset + f] < threshold[k] ? left[k] : right[k];
        out[f] += value[next] - value[k];
        k = next;
        f = feature[k];
      }
    }
    // Log-odds steps become (approximately) probability points through the sigmoid's slope.
    const p = logistic ? predictRow(X, offset) : 0;
    const scale = logistic ? p * (1 - p) : 1 / nTrees;
    for (let j = 0; j < nf; j++) out[j] *= scale;
  };
  return {
    nFeatures: nf,
    predictRow,
    contributions,
    predict(X, n) {
      const p = new Float64Array(n);
      for (let i = 0; i < n; i++) p[i] = predictRow(X, i * nf);
      return p;
    },
  };
}

/**
 * Feature importance: how many training-tree splits use each feature, weighted by depth
 * (a split near the root counts more). Normalised to sum to 1.
 */
export function featureImportance(forest: CompactForest): number[] {
  const imp = new Array<number>(forest.nFeatures).fill(0);
  const walk = (k: number, depth: number) => {
    const f = forest.feature[k];
    if (f < 0) return;
    imp[f] += 1 / 2 ** depth;
    walk(forest.left[k], depth + 1);
    walk(forest.right[k], depth + 1);
  };
  forest.roots.forEach((r) => walk(r, 0));
  const total = imp.reduce((a, b) => a + b, 0) || 1;
  return imp.map((v) => v / total);
}

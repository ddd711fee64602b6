import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RandomForestClassifier } from 'ml-random-forest';

/** Training knobs; the defaults keep training to ~10 s on one core whatever the history size. */
export interface ForestParams {
  nTrees: number;
  /** Trees trained together on one subsample (one ml-random-forest instance each). */
  treesPerGroup: number;
  /** Rows each group's bootstrap draws from: ml-cart's split search is quadratic in a node's rows. */
  rowsPerTree: number;
  maxDepth: number;
  minNumSamples: number;
  /** Share of features each tree sees. */
  maxFeatures: number;
  seed: number;
}

/** Chosen by backtest on the demo data (AUC, under the 30 s training budget); see the risk README. */
export const DEFAULT_FOREST_PARAMS: ForestParams = {
  nTrees: 60,
  treesPerGroup: 10,
  rowsPerTree: 600,
  maxDepth: 5,
  minNumSamples: 30,
  maxFeatures: 0.5,
  seed: 42,
};

/**
 * All trees of a forest flattened into parallel arrays: node k splits on `feature[k]` at
 * `threshold[k]` (value < threshold goes `left`), or is a leaf (`feature[k] = -1`) whose
 * training examples were late in share `vote[k]`. `roots[t]` is tree t's first node. Compact, JSON-friendly and fast
 * to evaluate in a tight loop, unlike the library's object trees.
 */
export interface CompactForest {
  nFeatures: number;
  roots: number[];
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  vote: number[];
  /** Late share of the tree's training rows that reach each node: what explanations measure with. */
  value: number[];
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

interface LibNode {
  left?: LibNode;
  right?: LibNode;
  splitColumn?: number;
  splitValue?: number;
  distribution?: { columns: number; get(row: number, column: number): number };
}

/**
 * Trains a random forest with ml-random-forest. The trees are grown in groups, each group on
 * its own seeded subsample of at most `rowsPerTree` rows, which bounds training time.
 */
export function trainForest(X: number[][], y: number[], params: ForestParams = DEFAULT_FOREST_PARAMS): CompactForest {
  const groups = growForest(X, y, params);
  for (let g = groups.next(); ; g = groups.next()) if (g.done) return g.value;
}

/**
 * The same forest as `trainForest`, letting the event loop run between groups of trees (a second
 * or so each on this project's machine): a server that trains (a refresh) answers in between. Stops
 * at the next group once `signal` aborts.
 */
export async function trainForestYielding(X: number[][], y: number[], params: ForestParams = DEFAULT_FOREST_PARAMS, signal?: AbortSignal): Promise<CompactForest> {
  const groups = growForest(X, y, params);
  for (let g = groups.next(); ; g = groups.next()) {
    if (g.done) return g.value;
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }
}

/**
 * The same forest as `trainForest`, grown on a worker thread: the process's own thread stays free
 * the whole time (a server keeps answering while the demo's backtest trains, where a group of trees
 * holds the thread for a second or more). Aborting `signal` stops the worker.
 */
export function trainForestOffThread(X: number[][], y: number[], params: ForestParams = DEFAULT_FOREST_PARAMS, signal?: AbortSignal): Promise<CompactForest> {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(`./forest-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  // Run from the sources (tests, `npm run dev`), the worker first registers tsx to read TypeScript.
  const source = fromSources ? `import(${JSON.stringify(tsxApi())}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })` : '';
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const workerData = { X, y, params };
    const worker = fromSources ? new Worker(source, { eval: true, workerData }) : new Worker(entry, { workerData });
    const abort = () => {
      void worker.terminate();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
    worker.once('message', (forest: CompactForest) => {
      signal?.removeEventListener('abort', abort);
      resolve(forest);
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

/** Grows the forest one group of trees at a time, pausing (yielding) after each. */
function* growForest(X: number[][], y: number[], params: ForestParams): Generator<void, CompactForest> {
  if (X.length === 0) throw new Error('risk: no training examples');
  const nFeatures = X[0].length;
  const out: CompactForest = { nFeatures, roots: [], feature: [], threshold: [], left: [], right: [], vote: [], value: [] };
  const rand = mulberry32(params.seed);
  const groups = Math.ceil(params.nTrees / params.treesPerGroup);
  for (let g = 0; g < groups; g++) {
    const idx = X.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    const take = idx.slice(0, Math.min(params.rowsPerTree, idx.length));
    const trees = Math.min(params.treesPerGroup, params.nTrees - g * params.treesPerGroup);
    const rf = new RandomForestClassifier({
      nEstimators: trees,
      maxFeatures: Math.max(1, Math.round(params.maxFeatures * nFeatures)),
      replacement: false,
      useSampleBagging: true,
      noOOB: true,
      seed: params.seed + g,
      treeOptions: { maxDepth: params.maxDepth, minNumSamples: params.minNumSamples },
    });
    rf.train(take.map((i) => X[i]), take.map((i) => y[i]));
    const lib = rf as unknown as { estimators: { root: LibNode }[]; indexes: number[][] };
    lib.estimators.forEach((est, t) => {
      const root = flatten(est.root, lib.indexes[t], out);
      out.roots.push(root);
      nodeValues(out, root, take.map((i) => X[i]), take.map((i) => y[i]));
    });
    yield;
  }
  return out;
}

/** Routes rows down a tree and stores each node's late share (parent's share where none arrive). */
function nodeValues(out: CompactForest, root: number, rows: number[][], y: number[]): void {
  const late = new Map<number, [number, number]>();
  for (let i = 0; i < rows.length; i++) {
    let k = root;
    for (;;) {
      const c = late.get(k) ?? [0, 0];
      c[0] += y[i];
      c[1] += 1;
      late.set(k, c);
      if (out.feature[k] < 0) break;
      k = rows[i][out.feature[k]] < out.threshold[k] ? out.left[k] : out.right[k];
    }
  }
  const fill = (k: number, parent: number) => {
    const c = late.get(k);
    out.value[k] = c && c[1] > 0 ? c[0] / c[1] : parent;
    if (out.feature[k] >= 0) {
      fill(out.left[k], out.value[k]);
      fill(out.right[k], out.value[k]);
    }
  };
  fill(root, 0);
}

function flatten(node: LibNode, columns: number[], out: CompactForest): number {
  const k = out.feature.length;
  out.feature.push(-1);
  out.threshold.push(0);
  out.left.push(-1);
  out.right.push(-1);
  out.vote.push(0);
  out.value.push(0);
  if (node.left && node.right && node.splitColumn !== undefined) {
    out.feature[k] = columns[node.splitColumn];
    out.threshold[k] = node.splitValue ?? 0;
    out.left[k] = flatten(node.left, columns, out);
    out.right[k] = flatten(node.right, columns, out);
  } else {
    // A leaf votes for its majority class; ml-cart orders classes by label (0, 1).
    // The leaf's share of late examples (ml-cart orders classes by label: 0, 1). A majority vote
    // would throw away how late-prone a leaf is: it lost to the one-feature baselines in backtests.
    out.vote[k] = node.distribution && node.distribution.columns > 1 ? node.distribution.get(0, 1) : 0;
  }
  return k;
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
   * for every split passed, the change in node late share is credited to the split's feature.
   * Writes one value per feature into `out` (averaged over trees); costs one prediction.
   */
  contributions(X: Float64Array, offset: number, out: Float64Array): void;
}

/**
 * Compiles a CompactForest into a fast evaluator. Probability = the trees' mean leaf late share
 * (as scikit-learn's predict_proba): a soft vote of the trees.
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
    return votes / nTrees;
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
    for (let j = 0; j < nf; j++) out[j] /= nTrees;
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

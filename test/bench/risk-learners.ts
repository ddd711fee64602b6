/**
 * Which learner the risk model uses, decided by AUC and seconds measured in one run: the
 * histogram random forest and histogram gradient boosting (src/risk/histogram.ts) on every known
 * example (up to the 200,000 most recent), against ml-random-forest as the product used it
 * before (exact split search, so 60 trees on 600-row subsamples of 8,000 examples, depth 5); and
 * each one's test Brier score raw, calibrated isotonic and Platt (fitted as trainModel fits them).
 * Run: `node --import tsx test/bench/risk-learners.ts --db X --train-until DATE [--late-days N]`.
 */
import { parseArgs } from 'node:util';
import { RandomForestClassifier } from 'ml-random-forest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { dataAsOf } from '../../src/risk/as-of.ts';
import { calibrateAll, fitIsotonic, fitPlatt } from '../../src/risk/calibration.ts';
import { FEATURES } from '../../src/risk/features.ts';
import { DEFAULT_FOREST_PARAMS, evaluator, mulberry32, trainForest, type CompactForest, type ForestParams, type TrainedForest, type TrainingSet } from '../../src/risk/forest.ts';
import { auc, brier } from '../../src/risk/metrics.ts';
import { loadExamples, SAMPLE } from '../../src/risk/train.ts';

interface LibNode {
  left?: LibNode;
  right?: LibNode;
  splitColumn?: number;
  splitValue?: number;
  distribution?: { columns: number; get(row: number, column: number): number };
}

/** The learner this bench replaces: ml-random-forest, 600-row groups of 10 trees, depth 5. */
function mlRandomForest(data: TrainingSet): CompactForest {
  const nf = data.nFeatures;
  const out: CompactForest = { nFeatures: nf, link: 'mean', base: 0, roots: [], feature: [], threshold: [], left: [], right: [], vote: [], value: [] };
  const flatten = (node: LibNode, columns: number[]): number => {
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
      out.left[k] = flatten(node.left, columns);
      out.right[k] = flatten(node.right, columns);
    } else out.vote[k] = node.distribution && node.distribution.columns > 1 ? node.distribution.get(0, 1) : 0;
    return k;
  };
  const n = data.y.length;
  const rand = mulberry32(42);
  for (let g = 0; g < 6; g++) {
    const idx = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    const take = idx.slice(0, Math.min(600, n));
    const rf = new RandomForestClassifier({
      nEstimators: 10, maxFeatures: Math.round(0.5 * nf), replacement: false, useSampleBagging: true, noOOB: true, seed: 42 + g,
      treeOptions: { maxDepth: 5, minNumSamples: 30 },
    });
    rf.train(take.map((i) => Array.from(data.X.subarray(i * nf, (i + 1) * nf))), take.map((i) => data.y[i]));
    const lib = rf as unknown as { estimators: { root: LibNode }[]; indexes: number[][] };
    lib.estimators.forEach((est, t) => out.roots.push(flatten(est.root, lib.indexes[t])));
  }
  return out;
}

/** The newest examples of a training set: ml-random-forest saw a hash sample of 8,000 of the 20,000 newest. */
function newest(data: TrainingSet, issued: string[], keep: number): TrainingSet {
  const nf = data.nFeatures;
  const idx = issued.map((d, i) => [d, i] as const).sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : a[1] - b[1])).slice(0, keep).map(([, i]) => i);
  const X = new Float64Array(idx.length * nf);
  idx.forEach((i, r) => X.set(data.X.subarray(i * nf, (i + 1) * nf), r * nf));
  return { X, nFeatures: nf, y: idx.map((i) => data.y[i]) };
}

const { values } = parseArgs({ options: { db: { type: 'string' }, 'train-until': { type: 'string' }, 'late-days': { type: 'string', default: '30' } } });
const wh = await Warehouse.open(values.db!);
const lateDays = Number(values['late-days']);
const until = values['train-until']!;
const knownBy = await dataAsOf(wh);
let t = Date.now();
const train = await loadExamples(wh, { lateDays, issuedBefore: until, knownBy: until, sample: SAMPLE });
const test = await loadExamples(wh, { lateDays, issuedFrom: until, issuedBefore: '9999-12-31', knownBy, sample: { recent: 200_000, cap: 200_000 } });
console.log(`examples: ${train.m.n} to train (features ${((Date.now() - t) / 1000).toFixed(1)} s for both sets), ${test.m.n} to test`);
const nf = FEATURES.length;
const all: TrainingSet = { X: train.m.X, nFeatures: nf, y: train.y };
const share = Float64Array.from({ length: test.m.n }, (_, i) => test.m.X[i * nf + FEATURES.indexOf('prior_late_share')]);
console.log(`baseline prior late share: AUC ${auc(share, test.y).toFixed(4)}`);

// Calibration on the newest 20% of the training examples, by a model of the older 80%, as trainModel does.
const order = train.issued.map((d, i) => [d, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])).map(([, i]) => i);
const cut = Math.floor(order.length * 0.8);
const part = (idx: number[]): TrainingSet => {
  const X = new Float64Array(idx.length * nf);
  idx.forEach((i, r) => X.set(train.m.X.subarray(i * nf, (i + 1) * nf), r * nf));
  return { X, nFeatures: nf, y: idx.map((i) => train.y[i]) };
};
const older = part(order.slice(0, cut));
const newer = part(order.slice(cut));

const olderIssued = order.slice(0, cut).map((i) => train.issued[i]);
const candidates: [string, (d: TrainingSet, issued: string[]) => TrainedForest][] = [
  ['ml-random-forest (before: 8,000 newest, 600-row groups, depth 5)', (d, issued) => ({ forest: mlRandomForest(newest(d, issued, 8_000)), oob: null })],
  ['histogram forest (40 trees, depth 12, all examples)', (d) => trainForest(d, DEFAULT_FOREST_PARAMS)],
  ['histogram boosting (200 trees, depth 6, lr 0.1)', (d) => trainForest(d, { ...DEFAULT_FOREST_PARAMS, learner: 'boosting', nTrees: 200, maxDepth: 6, minLeaf: 50, maxFeatures: 0.8, rowShare: 0.8, lambda: 1 } satisfies ForestParams)],
];
for (const [name, fit] of candidates) {
  t = Date.now();
  const cpu = process.cpuUsage();
  const model = fit(all, train.issued);
  const seconds = (Date.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const p = evaluator(model.forest).predict(test.m.X, test.m.n);
  const slice = evaluator(fit(older, olderIssued).forest).predict(newer.X, newer.y.length);
  const iso = calibrateAll(fitIsotonic(slice, newer.y), p.slice());
  const platt = calibrateAll(fitPlatt(slice, newer.y), p.slice());
  let oobFigures = '';
  if (model.oob) {
    // The final model's own out-of-bag scores on the newest 20% of its examples.
    const idx = order.slice(cut).filter((i) => !Number.isNaN(model.oob![i]));
    const s = idx.map((i) => model.oob![i]);
    const l = idx.map((i) => train.y[i]);
    oobFigures = `; out-of-bag isotonic ${brier(calibrateAll(fitIsotonic(s, l), p.slice()), test.y).toFixed(4)}, out-of-bag Platt ${brier(calibrateAll(fitPlatt(s, l), p.slice()), test.y).toFixed(4)}`;
  }
  console.log(`${name}: train ${seconds.toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU; test AUC ${auc(p, test.y).toFixed(4)}, Brier raw ${brier(p, test.y).toFixed(4)}, holdout-model isotonic ${brier(iso, test.y).toFixed(4)}, holdout-model Platt ${brier(platt, test.y).toFixed(4)}${oobFigures}`);
}
wh.close();

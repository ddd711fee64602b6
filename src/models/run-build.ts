import { buildMemoryLimit, type Warehouse } from '../db/warehouse.ts';
import { ensureRawSchema } from '../ingest/schema.ts';
import { writeBuildOptions, type BuildOptions, type BuildOptionsInput } from './build-options.ts';
import { discoverModels, SQL_ROOT, type ModelFile } from './discover.ts';
import { orderModels } from './dependencies.ts';
import { materialize } from './materialize.ts';
import { recordBuild } from './builds-table.ts';

/** What one model took: seconds to create, and its rows (null for macros). */
export interface ModelTiming {
  name: string;
  layer: ModelFile['layer'];
  materialized: ModelFile['materialized'];
  seconds: number;
  rows: number | null;
}

export interface BuildResult {
  buildId: number;
  options: BuildOptions;
  models: ModelTiming[];
  seconds: number;
}

export interface RunBuildOptions extends BuildOptionsInput {
  /** Called after each model, e.g. to print progress. */
  onModel?: (t: ModelTiming) => void;
  /** Model folder (tests point it at a fixture tree). */
  sqlRoot?: string;
}

/**
 * Builds every model in one transaction: staging views, then `build_options` (defaults read
 * from staging), then intermediate, marts and macros in dependency order, then a `builds` row.
 * Readers on other connections see the previous build or the new one, never a mix; a failing
 * model rolls everything back and rethrows.
 *
 * @example
 *   const r = await runBuild(wh, { asOf: '2024-06-30', buckets: [30, 60, 90] });
 *   console.log(r.buildId, r.models.map((m) => `${m.name} ${m.rows}`));
 */
export async function runBuild(wh: Warehouse, opts: RunBuildOptions = {}): Promise<BuildResult> {
  const files = discoverModels(opts.sqlRoot ?? SQL_ROOT);
  const staging = orderModels(files.filter((f) => f.layer === 'staging'));
  const rest = orderModels(files.filter((f) => f.layer !== 'staging'));
  checkStagingReadsOnlyStaging(files);
  // A warehouse nothing was ingested into yet still builds (empty marts) instead of failing on missing raw tables.
  await ensureRawSchema(wh);
  const started = new Date();
  const t0 = performance.now();
  // A server locks its configuration (analyst SQL must not change it): a refresh there builds with the server's settings.
  const locked = await wh.scalar<boolean>(`select current_setting('lock_configuration')`);
  const restore = locked ? [] : await applySettings(wh, BUILD_SETTINGS());
  try {
    return await buildInTransaction(wh, opts, staging, rest, started, t0);
  } finally {
    await applySettings(wh, restore);
  }
}

async function buildInTransaction(
  wh: Warehouse,
  opts: RunBuildOptions,
  staging: ModelFile[],
  rest: ModelFile[],
  started: Date,
  t0: number,
): Promise<BuildResult> {
  const result = await wh.transaction(async () => {
    const models: ModelTiming[] = [];
    const step = async (f: ModelFile) => {
      const t = performance.now();
      const rows = await materialize(wh, f);
      const timing = { name: f.name, layer: f.layer, materialized: f.materialized, seconds: (performance.now() - t) / 1000, rows };
      models.push(timing);
      opts.onModel?.(timing);
    };
    for (const f of staging) await step(f);
    const options = await writeBuildOptions(wh, opts);
    for (const f of rest) await step(f);
    const seconds = (performance.now() - t0) / 1000;
    const buildId = await recordBuild(wh, { options, models, started, seconds });
    return { buildId, options, models, seconds };
  });
  // The caller's figure includes the commit (writing the new tables out); builds.seconds cannot.
  return { ...result, seconds: (performance.now() - t0) / 1000 };
}

/**
 * DuckDB settings for the length of a build, each measured at 10M invoices:
 * - memory: half the machine (the 2 GB of `memoryLimit` made every large join spill to disk);
 * - preserve_insertion_order off: a model is a set of rows, read with its own ORDER BY; keeping
 *   the scan order made each large CREATE TABLE wait on one thread (int_invoices_enriched 22 s -> 10 s);
 * - text columns compressed as dictionary + FSST without trying every other scheme first: writing
 *   text was most of a large table's time, and this halves it.
 */
const BUILD_SETTINGS = (): [string, string][] => [
  ['memory_limit', buildMemoryLimit()],
  ['preserve_insertion_order', 'false'],
  ['force_compression', 'dict_fsst'],
];

/** Sets each setting; returns the previous values, to restore with another call. */
async function applySettings(wh: Warehouse, settings: [string, string][]): Promise<[string, string][]> {
  const previous: [string, string][] = [];
  for (const [name, value] of settings) {
    previous.push([name, String(await wh.scalar(`select current_setting('${name}')`))]);
    await wh.run(`set ${name} = '${value.replace(/'/g, "''")}'`);
  }
  return previous;
}

/** Staging runs before build options exist, so it may read only raw tables and other staging views. */
function checkStagingReadsOnlyStaging(files: ModelFile[]): void {
  const later = new Set(files.filter((f) => f.layer !== 'staging').flatMap((f) => f.provides));
  later.add('build_options');
  for (const f of files.filter((x) => x.layer === 'staging')) {
    const words = new Set(f.sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
    const bad = [...later].filter((n) => words.has(n));
    if (bad.length) throw new Error(`${f.path}: staging models may not read ${bad.join(', ')}`);
  }
}

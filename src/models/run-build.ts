import type { Warehouse } from '../db/warehouse.ts';
import { ensureRawSchema } from '../canonical/raw-schema.ts';
import { ensureRecordedTables } from '../canonical/recorded-events.ts';
import { writeBuildOptions, type BuildOptions, type BuildOptionsInput } from './build-options.ts';
import { writeProvisionSettings } from './provision-settings.ts';
import { discoverModels, SQL_ROOT, type ModelFile } from './discover.ts';
import { orderModels } from './dependencies.ts';
import type { PublicationRecord } from './builds-table.ts';
import { buildIntoSchema } from './build-schema.ts';

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
  /**
   * Runs after every model is built, before anything is published, with the new schema first on
   * the search path: what it creates there (scores, the call list) is published with the models.
   * What it returns is recorded with the publication, and its `commit` runs inside the publishing
   * transaction, after the `builds` row is written (e.g. storing a newly trained risk model).
   * A records build also says which `customers` the records are about.
   */
  extend?: (built: { schema: string; options: BuildOptions; customers?: string[] }) => Promise<BuildExtension>;
}

/** What `extend` adds to a publication. */
export interface BuildExtension {
  record?: Partial<PublicationRecord>;
  commit?: (buildId: number) => Promise<void>;
}

/**
 * Builds every model into a fresh schema, then publishes it in one short transaction. Staging
 * views, then `build_options` (defaults read from staging), then intermediate, marts and macros
 * in dependency order are created in `cartera_build_<n>`, each committed on its own, with that
 * schema first on the search path so models read the new build (ephemeral models as temporary
 * tables, replaced by views in that schema once every model is built). `extend` may then add
 * to the schema (the pipeline scores there). Publishing (`switchPublication`) replaces each
 * relation's view in `main` (`select * from cartera_build_<n>.<name>`), re-creates the macros in
 * `main`, records the `builds` row and drops the previous publication's schemas: readers on
 * other connections see the previous publication or the new one, never a mix. A failing model
 * drops the new schema and rethrows; a killed build leaves only an unpublished schema, dropped
 * by the next build.
 *
 * Why not one transaction: DuckDB writes a table created from tables of the same open
 * transaction on one thread, and plans without their statistics (fct_invoices took 28 s at
 * 10M invoices that way, 8 s from committed tables).
 *
 * @example
 *   const r = await runBuild(wh, { asOf: '2024-06-30', buckets: [30, 60, 90] });
 *   console.log(r.buildId, r.models.map((m) => `${m.name} ${m.rows}`));
 */
export async function runBuild(wh: Warehouse, opts: RunBuildOptions = {}): Promise<BuildResult> {
  const files = discoverModels(opts.sqlRoot ?? SQL_ROOT);
  const staging = orderModels(files.filter((f) => f.layer === 'staging'));
  const rest = orderModels(files.filter((f) => f.layer !== 'staging'));
  const ephemeral = rest.filter((f) => f.materialized === 'ephemeral');
  checkStagingReadsOnlyStaging(files);
  // A warehouse nothing was ingested into yet still builds (empty marts) instead of failing on missing raw tables.
  await ensureRawSchema(wh);
  await ensureRecordedTables(wh);
  return buildIntoSchema(wh, {
    fill: async (step) => {
      for (const f of staging) await step(f);
      const options = await writeBuildOptions(wh, opts);
      await writeProvisionSettings(wh);
      for (const f of rest) await step(f);
      return options;
    },
    ephemeral,
    macros: rest.filter((f) => f.materialized === 'macro'),
    kind: 'build',
    onModel: opts.onModel,
    extend: opts.extend,
  });
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

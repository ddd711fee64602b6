import type { Warehouse } from '../db/warehouse.ts';
import { applyBuildSettings, applySettings } from './build-settings.ts';
import type { BuildOptions } from './build-options.ts';
import { ensureBuildsTable, recordBuild, type PublicationRecord } from './builds-table.ts';
import type { ModelFile } from './discover.ts';
import { dropEphemeral, materialize, publishEphemeral } from './materialize.ts';
import { dropOrphanSchemas, servedBeside, switchPublication } from './publish.ts';
import type { BuildResult, ModelTiming, RunBuildOptions } from './run-build.ts';

/** Schemas builds are written into: `cartera_build_<n>`; `main` holds views of the current one. */
const BUILD_SCHEMA_PREFIX = 'cartera_build_';

/** One build into a fresh schema: what it makes, and how it is published. */
export interface SchemaBuild extends Pick<RunBuildOptions, 'onModel' | 'extend'> {
  /**
   * Makes the models in the new schema (first on the search path), each through `step`, and
   * returns the options the publication is recorded with.
   */
  fill: (step: (f: ModelFile) => Promise<void>) => Promise<BuildOptions>;
  ephemeral: ModelFile[];
  macros: ModelFile[];
  kind: PublicationRecord['kind'];
  record?: Partial<PublicationRecord>;
  /** Keep serving, beside the new schema, the published schemas whose relations it does not replace. */
  beside?: boolean;
}

/**
 * Builds into a fresh schema `cartera_build_<n>`, each model committed on its own, then publishes
 * it in one short transaction: `main`'s views of its relations move to it, the macros are
 * re-created, the `builds` row is written and every other publication schema is dropped (but
 * those still serving, with `beside`). `extend` may add to the schema first (the pipeline scores
 * there). A failure drops the new schema and rethrows; a killed build leaves only an unpublished
 * schema, which the next build drops. Build settings hold for its length.
 */
export async function buildIntoSchema(wh: Warehouse, b: SchemaBuild): Promise<BuildResult> {
  await ensureBuildsTable(wh);
  await dropOrphanSchemas(wh);
  const schema = `${BUILD_SCHEMA_PREFIX}${Date.now()}`;
  const started = new Date();
  const t0 = performance.now();
  const restore = await applyBuildSettings(wh);
  const searchPath = String(await wh.scalar(`select current_setting('search_path')`));
  await wh.run(`create schema ${schema}`);
  try {
    await wh.run(`set search_path = '${schema},main'`);
    const models: ModelTiming[] = [];
    const options = await b.fill(async (f) => {
      const t = performance.now();
      const rows = await materialize(wh, f);
      const timing = { name: f.name, layer: f.layer, materialized: f.materialized, seconds: (performance.now() - t) / 1000, rows };
      models.push(timing);
      b.onModel?.(timing);
    });
    await publishEphemeral(wh, schema, b.ephemeral);
    const extension = (await b.extend?.({ schema, options })) ?? {};
    await wh.run(`set search_path = 'main'`);
    const buildId = await wh.transaction(async () => {
      const keep = b.beside ? [...(await servedBeside(wh, schema)), schema] : [schema];
      await switchPublication(wh, [schema], keep, b.macros);
      const id = await recordBuild(wh, { kind: b.kind, options, models, started, seconds: (performance.now() - t0) / 1000, ...b.record, ...extension.record });
      await extension.commit?.(id);
      return id;
    });
    return { buildId, options, models, seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    await dropEphemeral(wh, b.ephemeral).catch(() => {});
    await wh.run(`drop schema if exists ${schema} cascade`).catch(() => {});
    throw err;
  } finally {
    await wh.run(`set search_path = '${searchPath.replace(/'/g, "''")}'`);
    await applySettings(wh, restore);
  }
}

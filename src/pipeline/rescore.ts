import type { Warehouse } from '../db/warehouse.ts';
import { currentPublication, ensureBuildsTable, recordBuild, type PublicationRequest } from '../models/builds-table.ts';
import { dropOrphanSchemas, publishedSchemas, servedBeside, switchPublication } from '../models/publish.ts';
import type { ForestParams } from '../risk/forest.ts';
import { saveModel } from '../risk/model-store.ts';
import { scoreWarehouse, type ScoreSummary } from '../risk/score.ts';

export interface RescoreOptions {
  request: PublicationRequest;
  lateDays: number;
  retrain?: boolean;
  capacity?: number;
  params?: ForestParams;
  onPublish?: () => void;
  /** Runs inside the publishing transaction, after the `builds` row is written. */
  commit?: (buildId: number) => Promise<void>;
}

/**
 * Scores the published build again (a new model, another late-days rule, another capacity) and
 * publishes the new scores and call list beside the same marts, in one switch: the scores go to
 * a schema of their own (`cartera_score_<n>`), read the marts through `main`, and `main`'s
 * `risk_scores` and `call_list` views move to it in the transaction that records the publication.
 */
export async function publishRescore(wh: Warehouse, o: RescoreOptions): Promise<{ buildId: number; score: ScoreSummary }> {
  const current = await currentPublication(wh);
  if (!current) throw new Error('nothing is published yet');
  await ensureBuildsTable(wh);
  await dropOrphanSchemas(wh);
  const build = (await publishedSchemas(wh)).find((s) => s.startsWith('cartera_build_'));
  if (!build) throw new Error('the published build has no schema of its own; run `cartera build` once');
  const schema = `cartera_score_${Date.now()}`;
  const t0 = performance.now();
  const started = new Date();
  const searchPath = String(await wh.scalar(`select current_setting('search_path')`));
  await wh.run(`create schema ${schema}`);
  try {
    await wh.run(`set search_path = '${schema},main'`);
    const score = await scoreWarehouse(wh, {
      lateDays: o.lateDays,
      retrain: o.retrain,
      capacity: o.capacity,
      params: o.params,
      asOf: current.options.asOf,
      into: schema,
      saveModel: false,
    });
    await wh.run(`set search_path = 'main'`);
    o.onPublish?.();
    const buildId = await wh.transaction(async () => {
      // Keeps every schema still serving models: the build's, and a records build's beside it.
      await switchPublication(wh, [schema], [...(await servedBeside(wh, schema)), schema]);
      const id = await recordBuild(wh, {
        kind: 'score',
        options: current.options,
        requested: o.request,
        models: null,
        started,
        seconds: (performance.now() - t0) / 1000,
        lateDays: o.lateDays,
        modelVersion: score.modelVersion,
        scored: score.scored,
        callListRows: score.callListRows,
      });
      if (score.trained) await saveModel(wh, score.model);
      await o.commit?.(id);
      return id;
    });
    return { buildId, score };
  } catch (err) {
    await wh.run(`set search_path = 'main'`).catch(() => {});
    await wh.run(`drop schema if exists ${schema} cascade`).catch(() => {});
    throw err;
  } finally {
    await wh.run(`set search_path = '${searchPath.replace(/'/g, "''")}'`);
  }
}

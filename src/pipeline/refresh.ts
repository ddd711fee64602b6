import type { Warehouse } from '../db/warehouse.ts';
import { ingestFiles, type IngestOptions, type IngestReport } from '../ingest/ingest.ts';
import { canBuildRecordsOnly, runBuild, runRecordsBuild, type BuildResult, type ModelTiming } from '../models/index.ts';
import { currentPublication, type PublicationRequest } from '../models/builds-table.ts';
import { latestModel, saveModel } from '../risk/model-store.ts';
import { scoreWarehouse, type ScoreSummary } from '../risk/score.ts';
import type { ForestParams } from '../risk/forest.ts';
import { resolveRequest, type RequestChanges } from './options.ts';
import { nextStep, readiness } from './readiness.ts';
import { RefreshError } from './errors.ts';
import { recordRun } from './runs.ts';
import { publishRescore } from './rescore.ts';

/** The steps of a refresh, in order; progress events name them. */
export type RefreshStep = 'ingest' | 'build' | 'score' | 'publish';

export interface RefreshEvent {
  step: RefreshStep;
  phase: 'start' | 'done';
  seconds?: number;
}

/** What to do: each part is optional, and what is left out keeps the last publication's choice. */
export interface RefreshRequest {
  /** Files or folders to ingest first (only what is new is loaded). */
  inbox?: string[];
  ingest?: Omit<IngestOptions, 'onProgress' | 'dbPath'>;
  /** Changes to the options that define the publication (as-of, currency, buckets, basis, late days). */
  changes?: RequestChanges;
  /**
   * Whether to build the models (default true). `false` re-scores the published build and
   * publishes the new scores and call list only (`cartera score`).
   */
  build?: boolean;
  /**
   * How to score: `auto` (default) with the stored model for the late-days rule, training one
   * when none is stored; `stored` only when a model is stored (`cartera build` never trains);
   * `none` publishes the models without scores.
   */
  score?: 'auto' | 'stored' | 'none';
  retrain?: boolean;
  /** Calls per collector per day for the call list. */
  capacity?: number;
  /** Forest parameters when training (tests use small forests). */
  params?: ForestParams;
  /** Skip building when the ingest loaded nothing and a publication exists (the demo, the inbox watcher). */
  onlyIfNew?: boolean;
  /**
   * Only collectors' records changed since the publication (a write through the API): rebuild just
   * the models that read them (`runRecordsBuild`), when nothing else changed and the publication
   * serves every model (`canBuildRecordsOnly`); otherwise everything is built.
   */
  recordsOnly?: boolean;
  /** Who asked: cli, api, schedule, inbox, demo. Kept in `refresh_runs`. */
  trigger: string;
  /** Warehouse path, for ingest's inferred profiles. */
  dbPath?: string;
  onStep?: (e: RefreshEvent) => void;
  onModel?: (m: ModelTiming) => void;
  onIngest?: IngestOptions['onProgress'];
}

export interface RefreshResult {
  /** The publication now served (unchanged when nothing was new). */
  buildId: number | null;
  published: boolean;
  request: PublicationRequest;
  ingest: IngestReport | null;
  build: BuildResult | null;
  score: ScoreSummary | null;
  steps: { step: RefreshStep; seconds: number }[];
  seconds: number;
}

/**
 * The one pipeline: ingest what is new, build every model into an unpublished schema, score the
 * open invoices and rebuild the call list there, then publish all of it in one transaction
 * (marts, scores, call list, as-of, the stored model and the `builds` and `refresh_runs` rows
 * together). The CLI (`refresh`, `build`, `score`, `demo`), `POST /api/admin/refresh`, the
 * scheduler and the tests call it. A refresh that fails or is killed leaves the previous
 * publication served; its unpublished schema is dropped by the next one.
 *
 * @example
 *   const r = await runRefresh(wh, { inbox: ['data/inbox'], trigger: 'cli' });
 *   console.log(r.buildId, r.score?.scored);
 */
export async function runRefresh(wh: Warehouse, req: RefreshRequest): Promise<RefreshResult> {
  const started = new Date();
  const t0 = performance.now();
  const clock = new StepClock(req.onStep);
  let ingest: IngestReport | null = null;
  const run = { trigger: req.trigger, started, filesLoaded: 0, rowsLoaded: 0, rowsRejected: 0 };
  const result = (r: Omit<RefreshResult, 'steps' | 'seconds' | 'ingest'>): RefreshResult => ({ ...r, ingest, steps: clock.steps(), seconds: (performance.now() - t0) / 1000 });
  try {
    if (req.inbox?.length) {
      clock.start('ingest');
      ingest = await ingestFiles(wh, req.inbox, { strict: false, ...req.ingest, dbPath: req.dbPath, onProgress: req.onIngest });
      clock.end('ingest');
      run.filesLoaded = ingest.loaded.length;
      run.rowsLoaded = ingest.loaded.reduce((s, l) => s + l.rows, 0);
      run.rowsRejected = ingest.loaded.reduce((s, l) => s + l.rejected, 0);
    }
    const previous = await currentPublication(wh);
    // Before the first publication, say what to run first rather than build nothing ("XXX").
    const ready = previous ? 'published' : await readiness(wh);
    if (ready === 'empty' || (ready === 'loaded' && req.build === false)) throw nextStep(wh, ready);
    const request = resolveRequest(previous?.requested, req.changes);
    if (req.onlyIfNew && previous && !ingest?.loaded.length && !req.changes) {
      return result({ buildId: previous.buildId, published: false, request, build: null, score: null });
    }
    const lateDays = request.lateDays ?? 30;
    // Runs inside the publishing transaction: the run is recorded with what it published.
    const finish = (buildId: number) =>
      recordRun(wh, { ...run, steps: clock.steps(), seconds: (performance.now() - t0) / 1000, status: 'published', buildId, error: null, errorEs: null, failedStep: null });
    if (req.build === false) {
      clock.start('score');
      const r = await publishRescore(wh, {
        request, lateDays, retrain: req.retrain, capacity: req.capacity, params: req.params,
        onPublish: () => clock.start('publish'),
        commit: finish,
      });
      clock.end('publish');
      return result({ buildId: r.buildId, published: true, request, build: null, score: r.score });
    }
    let score: ScoreSummary | null = null;
    const mode = req.score ?? 'auto';
    clock.start('build');
    const recordsOnly = req.recordsOnly && !ingest?.loaded.length && !req.changes && (await canBuildRecordsOnly(wh));
    const build = await (recordsOnly ? runRecordsBuild : runBuild)(wh, {
      ...request,
      onModel: req.onModel,
      extend: async ({ schema, options, customers }) => {
        clock.end('build');
        // `auto` scores whatever is stored (scoring looks the model up itself); `stored` scores only if there is one.
        if (mode === 'auto' || (mode === 'stored' && (await latestModel(wh, lateDays)))) {
          clock.start('score');
          score = await scoreWarehouse(wh, { lateDays, retrain: req.retrain, capacity: req.capacity, params: req.params, asOf: options.asOf, into: schema, saveModel: false, customers });
        }
        clock.start('publish');
        const s: ScoreSummary | null = score;
        return {
          record: { requested: request, ...(s && { lateDays, modelVersion: s.modelVersion, scored: s.scored, callListRows: s.callListRows }) },
          commit: async (buildId) => {
            if (s?.trained) await saveModel(wh, s.model);
            await finish(buildId);
          },
        };
      },
    });
    clock.end('publish');
    return result({ buildId: build.buildId, published: true, request, build, score });
  } catch (err) {
    await recordRun(wh, {
      ...run,
      steps: clock.steps(),
      seconds: (performance.now() - t0) / 1000,
      status: 'failed',
      buildId: null,
      error: (err as Error).message.slice(0, 2000),
      errorEs: err instanceof RefreshError && err.es ? err.es.slice(0, 2000) : null,
      failedStep: clock.current() ?? null,
    }).catch(() => {});
    throw err;
  }
}

/** Times the steps of a refresh one after another: starting a step ends the one running. */
class StepClock {
  private done: { step: RefreshStep; seconds: number }[] = [];
  private running?: { step: RefreshStep; t: number };

  constructor(private readonly onStep?: (e: RefreshEvent) => void) {}

  start(step: RefreshStep): void {
    if (this.running) this.end(this.running.step);
    this.running = { step, t: performance.now() };
    this.onStep?.({ step, phase: 'start' });
  }

  end(step: RefreshStep): void {
    if (this.running?.step !== step) return;
    const seconds = (performance.now() - this.running.t) / 1000;
    this.running = undefined;
    this.done.push({ step, seconds });
    this.onStep?.({ step, phase: 'done', seconds });
  }

  /** The step running now, if any. */
  current(): RefreshStep | undefined {
    return this.running?.step;
  }

  /** The steps so far, the running one up to now. */
  steps(): { step: RefreshStep; seconds: number }[] {
    const r = this.running;
    return r ? [...this.done, { step: r.step, seconds: (performance.now() - r.t) / 1000 }] : [...this.done];
  }
}

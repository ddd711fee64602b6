/** The one pipeline: ingest, build, score and publish, as every surface runs it. */
export { RefreshError } from './errors.ts';
export { explainMissing, readiness, requireLoaded, requirePublication, type Readiness } from './readiness.ts';
export { runRefresh, type RefreshEvent, type RefreshRequest, type RefreshResult, type RefreshStep } from './refresh.ts';
export { resolveRequest, type RequestChanges } from './options.ts';
export { startScheduler, checkCron, type Scheduler, type SchedulerOptions } from './scheduler.ts';

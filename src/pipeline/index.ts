/** The one pipeline: ingest, build, score and publish, as every surface runs it. */
export { runRefresh, RefreshError, type RefreshEvent, type RefreshRequest, type RefreshResult, type RefreshStep } from './refresh.ts';
export { resolveRequest, type RequestChanges } from './options.ts';
export { startScheduler, checkCron, type Scheduler, type SchedulerOptions } from './scheduler.ts';

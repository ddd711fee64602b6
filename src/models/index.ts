/** The SQL model layer: discover `sql/` files, order them, build them in one transaction. */
export { runBuild, type BuildResult, type ModelTiming, type RunBuildOptions } from './run-build.ts';
export {
  BASES,
  BuildOptionError,
  DEFAULT_BUCKETS,
  parseBuckets,
  validateOptions,
  type Basis,
  type BuildOptions,
  type BuildOptionsInput,
} from './build-options.ts';
export { discoverModels, SQL_ROOT, type ModelFile } from './discover.ts';
export { orderModels, dependencyMap } from './dependencies.ts';
export { canBuildRecordsOnly, runRecordsBuild, modelsReadingRecords } from './run-records-build.ts';

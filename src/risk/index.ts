/**
 * Delinquency risk: model training and scoring, backtests and the prioritised call list.
 * The build and the API's refresh call `scoreWarehouse` (then `buildCallList`) after each build.
 */
export { scoreWarehouse, type ScoreOptions, type ScoreSummary } from './score.ts';
export { buildCallList, schedule, CALL_LIST_COLUMNS, DEFAULT_CAPACITY, type BuildCallListOptions } from './call-list.ts';
export { callListCsv, callListXlsx, type CallListRow } from './call-list-export.ts';
export { backtest, type BacktestOptions, type BacktestResult } from './backtest.ts';
export { trainModel, type RiskModel } from './train.ts';
export { latestModel, saveModel } from './model-store.ts';
export { riskBand, BAND_CUTOFFS } from './bands.ts';
export { FEATURES } from './features.ts';

/** A worker thread's entry: grows one model (`trainForest`) off the process's own thread and posts it back. */
import { parentPort, workerData } from 'node:worker_threads';
import { trainForest, type ForestParams, type TrainingSet } from './forest.ts';

const { data, params } = workerData as { data: TrainingSet; params: ForestParams };
parentPort!.postMessage(trainForest(data, params));

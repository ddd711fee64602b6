/** A worker thread's entry: grows one forest (`trainForest`) off the process's own thread and posts it back. */
import { parentPort, workerData } from 'node:worker_threads';
import { trainForest, type ForestParams } from './forest.ts';

const { X, y, params } = workerData as { X: number[][]; y: number[]; params: ForestParams };
parentPort!.postMessage(trainForest(X, y, params));

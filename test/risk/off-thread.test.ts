/**
 * The demo trains its background backtest on a worker thread so the server keeps answering: the
 * forest must be the very one `trainForest` grows, and the process's own thread must stay free.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_FOREST_PARAMS, trainForest, trainForestOffThread } from '../../src/risk/forest.ts';

describe('training off the main thread', () => {
  const rows = 2000;
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const X = Array.from({ length: rows }, () => Array.from({ length: 12 }, random));
  const data = { X: Float64Array.from(X.flat()), nFeatures: 12, y: X.map((r) => (r[0] + r[1] * r[2] > 0.8 ? 1 : 0)) };
  const params = { ...DEFAULT_FOREST_PARAMS, nTrees: 20 };

  test('grows the same forest, and the event loop keeps turning meanwhile', async () => {
    let last = performance.now();
    let longest = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 10);
    const offThread = await trainForestOffThread(data, params).finally(() => clearInterval(tick));
    expect(offThread).toEqual(trainForest(data, params));
    // A group of 10 trees on this thread holds it for a second or more on this machine.
    expect(longest).toBeLessThan(500);
  });

  test('stops when aborted', async () => {
    const stop = new AbortController();
    const training = trainForestOffThread(data, params, stop.signal);
    stop.abort(new Error('closing'));
    await expect(training).rejects.toThrow('closing');
  });
});

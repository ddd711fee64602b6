import { defineConfig } from 'vitest/config';

/** Browser tests (headless Chromium through playwright-core): `npm run test:e2e`, after `npm test` in CI. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // One browser and one server per file; files run one after another on a loaded machine.
    fileParallelism: false,
    globalSetup: ['test/support/temp-root.ts'],
  },
});

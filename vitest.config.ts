import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'sql/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // The temporary root first: the demo warehouse is made inside it too.
    globalSetup: ['test/support/temp-root.ts', 'test/support/global-setup.ts'],
  },
});

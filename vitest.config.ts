import { defineConfig } from 'vitest/config';

// One run for the whole workspace. The harness's global setup starts (or connects to) the
// shared MongoDB, Redis and records their URLs; each test file then takes its own database
// name and queue prefix (test/harness).
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'workers/src/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'test/browser/**'],
    globalSetup: ['test/harness/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/harness/summary-reporter.ts'],
  },
});

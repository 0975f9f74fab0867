import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Without PostgreSQL its suites are skipped, and the run ends saying which.
    reporters: ['default', './test/support/skip-banner-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration suites boot servers and child processes; two cores here.
    fileParallelism: true,
    maxWorkers: 2,
  },
});

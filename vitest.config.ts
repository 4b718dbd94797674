import { defineConfig } from 'vitest/config';

// Three projects, one command (`npm test` runs all of them):
// - unit: pure code and services with fakes, next to the code (*.spec.ts)
// - integration: real PostgreSQL, Redis, ffmpeg and the built api/transcoder processes
// - e2e: the same stack driven through Debian's Chromium with playwright-core
// Integration and e2e share one stack per file and run files one at a time: this machine has 2 cores
// and ffmpeg uses both.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.spec.ts',
            'apps/*/src/**/*.spec.{ts,tsx}',
            'scripts/**/*.spec.ts',
            'bench/**/*.spec.ts',
            'infra/**/*.spec.ts',
            'test/support/**/*.spec.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Prints the stack's warnings, errors and 5xx when a test fails.
          setupFiles: ['test/support/stack-failure-report.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Prints what each open page showed when a test fails (address, text, errors).
          setupFiles: ['test/support/e2e-failure-report.ts', 'test/support/stack-failure-report.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});

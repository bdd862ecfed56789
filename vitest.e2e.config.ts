// End-to-end specs drive real apps through playwright-core; they run apart from the unit tests:
// `npx vitest run --config vitest.e2e.config.ts`. e2e/browser/* drive `repograph serve` in Debian's
// Chromium; e2e/electron.spec.ts drives the Electron app where its binary exists.
// One spec file at a time in one worker: each starts real processes (serve, workers, Chromium)
// and the machines that run this have two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    globalSetup: ['e2e/helpers/build-app.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    sequence: { concurrent: false },
    reporters: ['default'],
  },
});

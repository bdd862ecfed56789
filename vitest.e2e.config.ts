// End-to-end specs (e2e/*.spec.ts) drive real apps through playwright-core; they run apart
// from the unit tests: `npx vitest run --config vitest.e2e.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});

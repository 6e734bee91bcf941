// Stryker mutation testing, shared by every package: `pnpm mutation <package>` (scripts/mutation.mjs)
// runs it from the package's folder, so the paths below are the package's. A measurement, not a
// CI gate (a run takes minutes to hours); scores are recorded in docs/testing.md.
import { fileURLToPath } from 'node:url';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: {
    configFile: fileURLToPath(new URL('scripts/vitest.mutation.config.mjs', import.meta.url)),
  },
  // Source only: not the tests, not the test helpers (`_test-*.ts`), not the type-only files.
  mutate: ['src/**/*.ts', '!src/**/*.test.ts', '!src/**/_test-*.ts', '!src/**/types.ts'],
  // Each mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  // The development machine is shared: two test processes at most (`--concurrency 1` for one).
  concurrency: 2,
  // Mutants of module-level values (static mutants) would rerun the whole suite each: skipped.
  ignoreStatic: true,
  // Later runs re-test only mutants whose code or tests changed.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Added to each mutant's expected time (its tests' time × 1.5): a mutant that loops forever costs this much.
  timeoutMS: 5_000,
  thresholds: { high: 90, low: 85, break: null },
};

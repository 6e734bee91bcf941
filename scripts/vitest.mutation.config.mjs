// The vitest settings the package scripts pass on the command line (`vitest run --testTimeout
// 60000`), for Stryker's vitest runner, which reads a config file instead (stryker.config.mjs).
import { defineConfig } from 'vitest/config';

// RTK_MUTATION_TESTS (comma-separated globs, relative to the package) narrows the tests a run may
// use, e.g. to a module's own unit tests when the package's end-to-end tests are too slow to run
// on every mutant: a lower bound of what the whole suite would catch.
const include = process.env.RTK_MUTATION_TESTS?.split(',').filter((glob) => glob !== '') ?? [];

export default defineConfig({
  root: process.cwd(),
  test: {
    include: include.length > 0 ? include : ['src/**/*.test.ts'],
    testTimeout: 60_000,
    // Property tests keep one name from run to run (see the setup file).
    setupFiles: [new URL('vitest.mutation.setup.mjs', import.meta.url).pathname],
    isolate: process.env.RTK_MUTATION_ISOLATE === '1',
  },
});

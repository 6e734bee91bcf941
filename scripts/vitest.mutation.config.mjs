// The vitest settings the package scripts pass on the command line (`vitest run --testTimeout
// 60000`), for Stryker's vitest runner, which reads a config file instead (stryker.config.mjs).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: process.cwd(),
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    // Property tests keep one name from run to run (see the setup file).
    setupFiles: [new URL('vitest.mutation.setup.mjs', import.meta.url).pathname],
    isolate: process.env.RTK_MUTATION_ISOLATE === '1',
  },
});

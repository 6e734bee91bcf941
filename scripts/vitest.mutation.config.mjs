// The vitest settings the package scripts pass on the command line (`vitest run --testTimeout
// 60000`), for Stryker's vitest runner, which reads a config file instead (stryker.config.mjs).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: process.cwd(),
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});

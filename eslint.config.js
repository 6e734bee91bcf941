// One flat config for the whole workspace: typed typescript-eslint rules, the vitest
// plugin, and the layer rules of docs/architecture.md's table (dependencies point down).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vitest from '@vitest/eslint-plugin';
import { layersPlugin, loadLayers } from './scripts/layers.mjs';

// The layer rules come from the table in docs/architecture.md (scripts/layers.mjs reads it); a
// package on disk without a row there makes loading this config fail.
const layers = loadLayers(import.meta.dirname);

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/fixtures/**',
      '**/*.js',
      '**/*.mjs',
      '**/.readme-examples/**',
      // Stryker's sandbox copy of a package while `pnpm mutation` runs.
      '**/.stryker-tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.test.ts'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      'vitest/no-focused-tests': 'error',
      // @fast-check/vitest's test.prop(...)(name, fn) is a test block.
      'vitest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['test.prop'] }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    plugins: { rtk: layersPlugin(layers, import.meta.dirname) },
    rules: { 'rtk/layers': 'error' },
  },
);

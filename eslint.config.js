// One flat config for the whole workspace: typed typescript-eslint rules, the vitest
// plugin, and the layer rules of docs/architecture.md (dependencies point down).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vitest from '@vitest/eslint-plugin';

const layer = (files, forbidden) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: forbidden,
            message:
              'Dependencies point down (docs/architecture.md): this package may not import that one.',
          },
          { group: ['../../*'], message: 'Import other packages by name, never by relative path.' },
        ],
      },
    ],
  },
});

/** Files matching `files` may import only the listed @rtk packages (and the test helpers). */
const allowOnly = (files, allowed) =>
  layer(files, ['@rtk/*', ...[...allowed, 'test-utils'].map((name) => `!@rtk/${name}`)]);

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/fixtures/**',
      '**/*.js',
      '**/*.mjs',
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
  layer(['packages/metrics/**'], ['@rtk/*']),
  layer(
    ['packages/datasets/**', 'packages/retrieval/**', 'packages/hub/**'],
    ['@rtk/!(metrics|hub|test-utils)'],
  ),
  layer(
    ['packages/tfidf/**', 'packages/encoders/**', 'packages/losses/**', 'packages/mining/**'],
    ['@rtk/!(metrics|datasets|retrieval|test-utils)'],
  ),
  layer(['packages/test-utils/**'], ['@rtk/*']),
  // The packages split out of encoders, one row of docs/architecture.md each: every @rtk/*
  // import is forbidden except the row's own (gitignore-style negations, which the rule reads).
  allowOnly(['packages/safetensors/**'], ['errors', 'files']),
  allowOnly(['packages/tfjs/**'], ['errors']),
  allowOnly(['packages/retrieval/**'], ['errors', 'files', 'metrics']),
  allowOnly(['packages/encoders/**'], ['errors', 'files', 'hub', 'retrieval']),
  allowOnly(
    ['packages/bert/**'],
    ['errors', 'files', 'hub', 'safetensors', 'tfjs', 'retrieval', 'encoders'],
  ),
);

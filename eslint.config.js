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
  // @rtk/errors and @rtk/files are layers 0 and 1 (docs/architecture.md): every package may use them.
  layer(['packages/metrics/**'], ['@rtk/*', '!@rtk/errors', '!@rtk/files']),
  layer(
    ['packages/datasets/**', 'packages/retrieval/**', 'packages/hub/**'],
    ['@rtk/!(metrics|hub|test-utils)'],
  ),
  layer(
    ['packages/tfidf/**', 'packages/encoders/**', 'packages/losses/**', 'packages/mining/**'],
    ['@rtk/!(metrics|datasets|retrieval|test-utils)'],
  ),
  layer(['packages/test-utils/**'], ['@rtk/*']),
);

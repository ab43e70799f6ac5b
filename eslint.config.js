// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import { folderImportsRule } from './eslint/folder-imports.js';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.netweave/**',
      'dist/**',
      'charts/**',
      'subgraphs/*/generated/**',
      'bin/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The topology page runs in the browser (web/): its globals, not Node's.
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'sessionStorage',
          'fetch',
          'setTimeout',
          'setInterval',
          'console',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // The folder table (eslint/folder-imports.js): which folder may import which.
    files: ['**/*.ts'],
    plugins: { netweave: { rules: { 'folder-imports': folderImportsRule } } },
    rules: { 'netweave/folder-imports': 'error' },
  },
);

// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'test-results', '.ci/reports'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Only the Electron host may import electron (ARCHITECTURE.md: every other part runs under plain Node).
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**', 'main/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only main/electron/ and main/index.ts may import electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer is a browser page: no Node, no main-process code.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', 'node:*', 'electron'],
              message: 'The renderer talks to main only through preload/api.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Command-line hosts, scripts and benchmarks print to the terminal on purpose.
    files: ['main/cli.ts', 'main/cli/**', 'main/web.ts', 'scripts/**', 'test/bench/**', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
);

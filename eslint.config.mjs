// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import purity from './eslint.purity.cjs';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '.data/**', '**/fixtures/**', '*.js', '*.mjs', '*.cjs', '.scratch*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The CLI launcher, the test broker and the workbook reader's thread are plain CommonJS run by node without TypeScript.
    files: ['bin/**/*.js', 'test/**/*.cjs', 'libs/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Test helpers run by plain node as ES modules (a dependency jest cannot load).
    files: ['test/**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The dashboard's page script: plain ES2022 run by the browser, no build step.
    files: ['apps/api/src/dashboard/public/*.js'],
    languageOptions: { sourceType: 'script', ecmaVersion: 2022, globals: { ...globals.browser } },
  },
  ...purity,
);

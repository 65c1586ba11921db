// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import purity from './eslint.purity.cjs';

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
  ...purity,
);

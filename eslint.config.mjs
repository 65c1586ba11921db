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
  ...purity,
);

// Lint for the whole project (`npm run lint`, part of `npm test`): typescript-eslint's recommended
// rules and the React hooks rules (they apply to Preact's hooks: exhaustive dependencies would have
// caught memos keyed on a store's version alone).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'coverage/**',
      'test/server/pages/test/generated/**',
      '**/*.tmp.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.webextensions } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A value set before a `try` and reassigned inside it is read after it: this rule cannot tell.
      'no-useless-assignment': 'off',
    },
  },
  {
    // Test pages and browser-evaluated snippets talk to untyped page globals.
    files: ['test/**/*.ts', '**/*.test.ts', '**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests feed numbers JSON cannot hold exactly, on purpose.
      'no-loss-of-precision': 'off',
    },
  },
);

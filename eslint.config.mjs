// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'deploy/local/.state/**', 'deploy/local/.kafka/**', '.nx/**', 'coverage/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The console's Node scripts (the API client generator) use Node 20's fetch and timers.
    files: ['apps/admin-console/scripts/**/*.mjs'],
    languageOptions: { globals: { fetch: 'readonly', setTimeout: 'readonly' } },
  },
);

import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', '.cdktf.out-*/', 'plan.out/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Provider classes only from their module path: the package root loads every binding (slow synth).
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@cdktf/provider-aws', message: 'Import from @cdktf/provider-aws/lib/<resource>.' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/synth.ts', 'scripts/shallow-token-traces.ts', 'scripts/resolve-once.ts'],
    // Loaded with require on purpose: the app after the output directory is set; cdktf's modules by path.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

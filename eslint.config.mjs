import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// Provider classes only from their module path: the package root loads every binding (slow synth).
const providerRoot = {
  name: '@cdktf/provider-aws',
  message: 'Import from @cdktf/provider-aws/lib/<resource>.',
};

// Imports point down only: main.ts -> stacks/ -> modules/, with config/ and policy/ beside them
// (DESIGN.md). Relative imports are matched by the folder they reach.
const upward = (folders) =>
  folders.map(({ folder, why }) => ({
    regex: folder === 'main' ? '^\\.{1,2}/(\\.\\./)*main(\\.ts)?$' : `^\\.{1,2}/(.*/)?${folder}(/|$)`,
    message: why,
  }));
const STACKS = {
  folder: 'stacks',
  why: 'Imports point down: stacks wire modules, never the reverse. Define the type where it is produced; stacks/contracts.ts re-exports what crosses stacks.',
};
const MAIN = { folder: 'main', why: 'Imports point down: nothing imports the app (main.ts).' };
const CONFIG = {
  folder: 'config',
  why: 'Modules know nothing of environments or config: take a props interface with documented defaults, and let the stack pass the settings.',
};

export default tseslint.config(
  { ignores: ['node_modules/', '.ci-tools/', 'cdktf.out/', '.cdktf.out-*/', 'plan.out/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-imports': ['error', { paths: [providerRoot] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Later blocks replace the rule's options for their files, so each repeats providerRoot.
  {
    files: ['config/**', 'policy/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [providerRoot], patterns: upward([STACKS, MAIN]) }],
    },
  },
  {
    files: ['modules/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [providerRoot], patterns: upward([STACKS, MAIN, CONFIG]) }],
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
    files: [
      'scripts/synth.ts',
      'scripts/shallow-token-traces.ts',
      'scripts/resolve-once.ts',
      'scripts/lazy-archiver.ts',
      'scripts/lean-resolve.ts',
    ],
    // Loaded with require on purpose: the app after the output directory is set; cdktf's modules by path.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

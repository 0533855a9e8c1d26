const os = require('node:os');

/**
 * Tests are transpiled by Sucrase without type-checking (that is `npm run build`'s job), so each file loads
 * fast. One worker per core, at least two: the suites that run Terraform mostly wait on it, and a second
 * worker runs the unit suites meanwhile (jest's default on 2 cores is a single worker).
 */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: { '^.+\\.ts$': '@sucrase/jest-plugin' },
  maxWorkers: Math.max(2, os.availableParallelism?.() ?? os.cpus().length),
  setupFiles: ['<rootDir>/__tests__/lazy-archiver.ts', '<rootDir>/scripts/shallow-token-traces.ts'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  globalSetup: '<rootDir>/__tests__/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/global-teardown.ts',
  testSequencer: '<rootDir>/__tests__/sequencer.js',
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out/', '<rootDir>/.cdktf.out-'],
};

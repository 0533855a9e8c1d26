/** Tests are transpiled by Sucrase without type-checking (that is `npm run build`'s job), so each file loads fast. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: { '^.+\\.ts$': '@sucrase/jest-plugin' },
  setupFiles: ['<rootDir>/scripts/shallow-token-traces.ts'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  globalSetup: '<rootDir>/__tests__/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/global-teardown.ts',
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out/', '<rootDir>/.cdktf.out-'],
};

/** Tests are transpiled by SWC without type-checking (that is `npm run build`'s job), so each file loads fast. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out/', '<rootDir>/.cdktf.out-'],
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30_000,
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // Type checking happens once in `npm test` (tsc --noEmit) before jest runs.
  maxWorkers: 2,
};

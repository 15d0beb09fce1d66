// Shared jest settings for every app and lib. Tests import workspace libs from source, so a
// change to a lib is tested without building it first; type checking is `npm run build`'s job.
const path = require('node:path');

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(root, 'tsconfig.spec.json') }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@axis/([a-z-]+)$': path.join(root, 'libs/$1/src/index.ts'),
    '^@axis/([a-z-]+)/testing$': path.join(root, 'libs/$1/src/testing/index.ts'),
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFilesAfterEnv: [path.join(root, 'tests/support/jest-default-timeout.ts')],
};

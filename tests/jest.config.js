module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'system',
  rootDir: __dirname,
  setupFilesAfterEnv: ['<rootDir>/support/jest-timeout.ts'],
};

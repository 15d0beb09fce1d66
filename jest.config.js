// The whole suite in one jest run: every app and lib is a jest project.
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js', '<rootDir>/tests/jest.config.js'],
};

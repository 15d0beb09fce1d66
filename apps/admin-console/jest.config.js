// Unit tests of the console's pure logic (client middleware, errors, paths, formatting); the screens
// are tested in a real browser. Node's fetch/Request stand in for the browser's.
module.exports = { ...require('../../jest.preset.js'), displayName: 'admin-console', rootDir: __dirname, roots: ['<rootDir>/src'] };

module.exports = { ...require('../../jest.preset.js'), displayName: 'credentials', rootDir: __dirname };

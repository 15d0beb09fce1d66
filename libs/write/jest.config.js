module.exports = { ...require('../../jest.preset.js'), displayName: 'write', rootDir: __dirname };

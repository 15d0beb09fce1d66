module.exports = { ...require('../../jest.preset.js'), displayName: 'scim-gateway', rootDir: __dirname };

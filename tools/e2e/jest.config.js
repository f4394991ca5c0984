// The end-to-end suite starts real processes from the built apps (turbo builds them first).
module.exports = require('../../jest.base')(__dirname, {
  testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
  moduleNameMapper: {
    '^@bogholder/(testing)$': require('node:path').join(__dirname, '../../packages/$1/src'),
    '^@bogholder/(launcher|cli)$': require('node:path').join(__dirname, '../$1/src'),
  },
  testTimeout: 180_000,
});

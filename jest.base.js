// Shared jest configuration: every package's jest.config.js calls this with its own directory.
// TypeScript is transpiled by SWC (decorators + metadata for Nest and class-validator); type checking
// is the build's job (`tsc`). Workspace packages resolve to their sources, so tests never run stale dist.
const path = require('node:path');

module.exports = function jestConfig(dir, overrides = {}) {
  const root = __dirname;
  return {
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            target: 'es2022',
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
            keepClassNames: true,
          },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleNameMapper: {
      '^@bogholder/(contracts|messaging|economic-client|service-kit|testing)$': path.join(root, 'packages/$1/src'),
      '^@bogholder/economic-sandbox$': path.join(root, 'apps/economic-sandbox/src'),
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testTimeout: 60_000,
    ...overrides,
  };
};

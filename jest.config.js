// One jest run, three levels told apart by file suffix (STYLE.md):
//   *.spec.ts      pure and fast
//   *.int-spec.ts  against real PostgreSQL or a Kafka-protocol broker
//   *.e2e-spec.ts  boots the apps and speaks HTTP
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  // Type checking is `npm run typecheck`; jest only transpiles, which keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testEnvironment: 'node',
  // Tests wait on conditions with their own deadlines; this is only the backstop for a test that
  // starts processes (a CLI, a server) on a busy machine, where jest's default 5 s is a guess.
  testTimeout: 60_000,
  rootDir: __dirname,
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,bench}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      // One embedded PostgreSQL per run, on a free port; its URL reaches tests as TEST_DATABASE_URL.
      globalSetup: '<rootDir>/test/support/postgres-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/postgres-global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      // The same one embedded PostgreSQL per run as the integration project; each e2e file makes its own database.
      globalSetup: '<rootDir>/test/support/postgres-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/postgres-global-teardown.ts',
    },
  ],
};

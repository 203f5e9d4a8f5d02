/**
 * Three tiers (see STYLE.md): `unit` runs co-located *.spec.ts (pure rules, no I/O);
 * `integration` runs apps/api/test/**\/*.int-spec.ts against a real PostgreSQL (embedded,
 * or TEST_DATABASE_URL), one fresh database per spec file. Playwright journeys live in
 * apps/web/e2e and run with `npm run test:e2e`.
 * TypeScript is transpiled without type checking here; `npm run typecheck` checks types.
 */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/apps/api/tsconfig.jest.json', diagnostics: false }];
const moduleNameMapper = {
  '^@lm/domain$': '<rootDir>/libs/domain/src',
  '^@lm/api-client$': '<rootDir>/libs/api-client/src',
  '^@lm/e2ee$': '<rootDir>/libs/e2ee/src',
  // ESM-only dependency that jest cannot require() before Node 24.9; see the shim's comment.
  '^content-disposition$': '<rootDir>/apps/api/test/shims/content-disposition.cjs',
};
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': tsJest,
    // @fastify/cookie loads the ESM-only cookie@2 with import(); see the transformer's comment.
    '/node_modules/@fastify/cookie/(index\\.js|node_modules/cookie/dist/.+\\.js)$': '<rootDir>/apps/api/test/shims/esm-to-cjs.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!@fastify/cookie/|cookie/dist/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  // Global in jest 29 (not a per-project option); unit tests finish far below it.
  testTimeout: 60000,
  // Each spec file loads the whole application into a fresh module registry, and what a
  // registry leaves reachable from process globals stays alive: one process running every spec
  // file grew past 2 GB of heap (--logHeapUsage). With a limit set, jest runs the files in a
  // worker process (even with the one worker a 2-core machine gets) and replaces the worker
  // once its memory after a file exceeds the limit, so a longer suite cannot run out of heap.
  workerIdleMemoryLimit: '1GB',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/api/src/**/*.spec.ts', '<rootDir>/libs/*/src/**/*.spec.ts', '<rootDir>/apps/api/test/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/apps/api/test/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/apps/api/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/apps/api/test/setup/global-teardown.ts',
      // After every test, the ledger's daily rollups must equal the raw ledger in every open app.
      setupFiles: ['<rootDir>/apps/api/test/setup/http-agent.ts'],
      setupFilesAfterEnv: ['<rootDir>/apps/api/test/setup/hang-watchdog.ts', '<rootDir>/apps/api/test/setup/ledger-rollups-check.ts'],
      slowTestThreshold: 15,
    },
  ],
};

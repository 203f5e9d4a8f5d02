/**
 * Module boundaries of the API, enforced in `npm test` (`npm run lint:deps`). The rules are
 * written against `src/modules/<module>/…` anywhere in a path, so the committed negative
 * fixtures under apps/api/test/architecture/fixtures are judged by the same rules (see
 * apps/api/test/architecture/boundaries.spec.ts and docs/architecture.md).
 *
 * A module's public surface is its `index.ts`. Tests (apps/api/test, *.spec.ts) may reach
 * inside modules; production code may not.
 */
const MODULE = '(?:^|/)src/modules/([^/]+)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-internals',
      severity: 'error',
      comment:
        'Another module is used only through its index.ts (its module class, exported services and the types it chooses): ' +
        'never its repositories, entities or other internal files.',
      from: { path: MODULE, pathNot: '\\.spec\\.ts$' },
      to: { path: MODULE, pathNot: ['(?:^|/)src/modules/$1/', '(?:^|/)src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'app-uses-module-surface',
      severity: 'error',
      comment:
        'Outside the modules (app.module, main, cli, openapi), a module is used only through its index.ts; ' +
        'the TypeORM entity list (src/database/entities.ts) is the one exception.',
      from: { path: '(?:^|/)src/', pathNot: ['(?:^|/)src/modules/', '(?:^|/)src/database/entities\\.ts$', '\\.spec\\.ts$'] },
      to: { path: MODULE, pathNot: '(?:^|/)src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'common-imports-no-module',
      severity: 'error',
      comment: 'common/ and config/ are shared primitives: they never depend on a module.',
      from: { path: '(?:^|/)src/(?:common|config)/' },
      to: { path: '(?:^|/)src/modules/' },
    },
    {
      name: 'libs-import-no-app',
      severity: 'error',
      comment: 'libs/* are shared by the API and the SPA: they never import an app.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles between files (cycles between modules are checked by boundaries.spec.ts).',
      from: { path: '(?:^|/)src/', pathNot: '\\.spec\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'Production code never imports test code.',
      from: { path: '(?:^|/)src/', pathNot: '\\.spec\\.ts$' },
      to: { path: ['(?:^|/)test/', '\\.spec\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '(?:^|/)dist/'] },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    moduleSystems: ['cjs', 'es6'],
  },
};

/**
 * Jest-only transformer: rewrites an ES module (or a CommonJS file that loads one with a
 * dynamic `import()`) to CommonJS with TypeScript's transpiler. Jest cannot run `import()` or
 * load ESM before Node 24.9 without --experimental-vm-modules. Used for @fastify/cookie, which
 * loads the ESM-only `cookie@2` with `await import('cookie')`; the code that runs is the real
 * package code, only its module syntax changes. The running app uses the packages untouched.
 */
'use strict';
const ts = require('typescript');

module.exports = {
  process(source, filename) {
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, allowJs: true },
    });
    return { code: outputText };
  },
};

import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '..', '..', '..', '..', 'scripts', 'build-if-stale.mjs');

/**
 * scripts/build-if-stale.mjs (what `npm start` runs before the app) on a miniature copy of the
 * repository whose build:* scripts only record that they ran and write the expected outputs.
 */
describe('build-if-stale: npm start rebuilds exactly what changed', () => {
  let root: string;

  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  const builds = () => {
    try {
      return readFileSync(join(root, 'builds.log'), 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  /** Runs the script; returns the builds it triggered (with their extra arguments) and its output. */
  const start = (args: string[] = [], env: Record<string, string> = {}) => {
    rmSync(join(root, 'builds.log'), { force: true });
    const r = spawnSync(process.execPath, [SCRIPT, '--root', root, ...args], {
      encoding: 'utf8',
      env: { ...process.env, npm_execpath: '', ...env },
    });
    return { status: r.status, built: builds(), output: r.stdout + r.stderr };
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lm-build-if-stale-'));
    // Each fake build logs "<target> <args>" and writes what the real one would.
    write(
      'fake-build.js',
      `const fs = require('fs'); const [target, ...args] = process.argv.slice(2);
       if (process.env.FAIL_BUILD === target) { console.error('boom: ' + target); process.exit(3); }
       fs.appendFileSync('builds.log', [target, ...args].join(' ') + '\\n');
       const outputs = { libs: ['libs/domain/dist/index.js', 'libs/api-client/dist/index.js', 'libs/e2ee/dist/index.js'], api: ['apps/api/dist/main.js'], web: ['apps/web/dist/index.html'] }[target];
       for (const o of outputs) { fs.mkdirSync(require('path').dirname(o), { recursive: true }); fs.writeFileSync(o, 'built'); }`,
    );
    write(
      'package.json',
      JSON.stringify({
        name: 'fixture',
        private: true,
        scripts: {
          'build:libs': 'node fake-build.js libs',
          'build:api': 'node fake-build.js api',
          'build:web': 'node fake-build.js web',
        },
      }),
    );
    write('package-lock.json', '{}');
    write('tsconfig.base.json', '{}');
    write('nest-cli.json', '{}');
    write('libs/domain/src/index.ts', 'export const a = 1;\n');
    write('libs/api-client/src/index.ts', 'export const b = 1;\n');
    write('libs/e2ee/src/index.ts', 'export const c = 1;\n');
    write('apps/api/src/main.ts', 'console.log("api");\n');
    write('apps/api/tsconfig.build.json', '{}');
    write('apps/web/src/main.tsx', 'export {};\n');
    write('apps/web/index.html', '<div id="root"></div>\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a fresh checkout builds everything, in order; a second start builds nothing', () => {
    const first = start();
    expect(first.status).toBe(0);
    expect(first.built).toEqual(['libs --force', 'api', 'web']);
    const second = start();
    expect(second.status).toBe(0);
    expect(second.built).toEqual([]);
    expect(second.output).toMatch(/api is up to date .* skipped/);
  });

  it('a changed API source file rebuilds the API only; a touch without a change rebuilds nothing', () => {
    start();
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'apps/api/src/main.ts'), future, future);
    expect(start().built).toEqual([]);
    appendFileSync(join(root, 'apps/api/src/main.ts'), '// changed\n');
    expect(start().built).toEqual(['api']);
    expect(start().built).toEqual([]);
  });

  it('a new API file, a changed SPA file, and a changed config file each rebuild their target', () => {
    start();
    write('apps/api/src/new.ts', 'export {};\n');
    expect(start().built).toEqual(['api']);
    write('apps/web/src/main.tsx', 'export const changed = true;\n');
    expect(start().built).toEqual(['web']);
    write('apps/web/.env', 'VITE_API_PROXY=http://elsewhere\n');
    expect(start().built).toEqual(['web']);
    expect(start([], { VITE_FEATURE: 'on' }).built).toEqual(['web']);
    write('package-lock.json', '{"lockfileVersion":3}');
    expect(start([], { VITE_FEATURE: 'on' }).built).toEqual(['libs', 'api', 'web']);
  });

  it('a changed lib rebuilds the lib and both apps that use it', () => {
    start();
    write('libs/domain/src/index.ts', 'export const a = 2;\n');
    expect(start().built).toEqual(['libs', 'api', 'web']);
  });

  it('outputs and dependencies are not inputs; a deleted output is rebuilt (libs with --force)', () => {
    start();
    write('apps/api/dist/extra.js', 'x');
    write('apps/web/node_modules/x/index.js', 'x');
    expect(start().built).toEqual([]);
    rmSync(join(root, 'apps/web/dist'), { recursive: true });
    expect(start().built).toEqual(['web']);
    rmSync(join(root, 'libs/domain/dist'), { recursive: true });
    expect(start().built).toEqual(['libs --force']);
  });

  it('a failed build stops the start with its exit code and is retried next time', () => {
    start();
    write('apps/api/src/main.ts', 'broken(\n');
    const failed = start([], { FAIL_BUILD: 'api' });
    expect(failed.status).toBe(3);
    expect(failed.output).toContain('build: npm run build:api failed (exit 3)');
    expect(failed.built).toEqual([]);
    expect(start().built).toEqual(['api']); // not recorded as built, even with unchanged sources
  });

  it('--force (npm run build) builds everything and records it; bad arguments are refused clearly', () => {
    start();
    expect(start(['--force']).built).toEqual(['libs --force', 'api', 'web']);
    expect(start().built).toEqual([]);
    const bad = start(['--fast']);
    expect(bad.status).toBe(64);
    expect(bad.output).toBe('build-if-stale: unknown argument --fast (use --force, --root <dir> or --only <targets>)\n');
    expect(start(['--only', 'nope']).status).toBe(64);
  });

  it('--only builds the named targets and what they are built after, nothing else', () => {
    start();
    write('libs/domain/src/index.ts', 'export const a = 3;\n');
    expect(start(['--only', 'api']).built).toEqual(['libs', 'api']);
    expect(start().built).toEqual(['web']);
  });
});

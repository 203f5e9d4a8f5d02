#!/usr/bin/env node
// Builds the shared libs, the API and the SPA only when their inputs changed since the last
// successful build, so a second `npm start` without source changes skips the ~25 s build.
//
// Each target's fingerprint is a SHA-256 of the relative path and content of every input file
// (its sources, configs, package-lock.json and the libs it depends on), plus the VITE_*
// environment for the SPA. Content, not mtimes: a `git checkout` that restores a file leaves
// nothing to rebuild, while any real change is caught even when clocks or mtimes lie.
// The fingerprint of the last successful build is kept in node_modules/.cache/lexmarket-build/,
// so `npm ci` (which recreates node_modules) always leads to a full build. A target whose
// output file is missing is rebuilt whatever its fingerprint says.
//
//   node scripts/build-if-stale.mjs            build what is stale (npm start)
//   node scripts/build-if-stale.mjs --force    build everything and record it (npm run build)
//   --root <dir>                               the repository root (default: this script's parent)
//   --only <name,...>                          only these targets and what they are built after
//                                              (e.g. --only api for a test that runs the entry point)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory names never read as inputs (outputs, dependencies, test artefacts). */
const SKIP_DIRS = new Set(['node_modules', 'dist', '.data', 'test-results', 'playwright-report', 'e2e', 'coverage']);
const SHARED = ['package.json', 'package-lock.json', 'tsconfig.base.json'];
const LIBS = ['libs/domain', 'libs/api-client', 'libs/e2ee'];

/**
 * What each target is built from, the npm script that builds it and the files it must leave
 * behind, in build order. The inputs of the targets in `after` (built earlier) are part of this
 * target's inputs, so a change to a lib rebuilds the API and the SPA too.
 */
export const TARGETS = [
  {
    name: 'libs',
    script: 'build:libs',
    inputs: [...SHARED, ...LIBS],
    outputs: LIBS.map((lib) => `${lib}/dist/index.js`),
    // tsc -b trusts its .tsbuildinfo (kept outside dist): with dist deleted it would emit nothing.
    forceArgs: ['--', '--force'],
  },
  {
    name: 'api',
    script: 'build:api',
    inputs: [...SHARED, 'nest-cli.json', 'apps/api/package.json', 'apps/api/tsconfig.json', 'apps/api/tsconfig.build.json', 'apps/api/src'],
    after: ['libs'],
    outputs: ['apps/api/dist/main.js'],
  },
  {
    name: 'web',
    script: 'build:web',
    inputs: [...SHARED, 'apps/web'],
    after: ['libs'],
    env: /^VITE_/,
    outputs: ['apps/web/dist/index.html'],
  },
];

/** Every file under `path` (a file or a directory), as sorted repository-relative paths. */
function listFiles(root, path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true })
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : listFiles(root, child);
      return entry.isFile() && !entry.name.endsWith('.tsbuildinfo') ? [child] : [];
    })
    .sort();
}

function isDirectory(root, path) {
  try {
    readdirSync(join(root, path));
    return true;
  } catch {
    return false;
  }
}

/** SHA-256 over the target's input files (path + content) and, for the SPA, its VITE_* env. */
export function fingerprint(root, target, env = process.env) {
  const hash = createHash('sha256');
  const byName = new Map(TARGETS.map((t) => [t.name, t]));
  const inputs = [...target.inputs, ...(target.after ?? []).flatMap((name) => byName.get(name).inputs)];
  const files = [...new Set(inputs.flatMap((input) => (isDirectory(root, input) ? listFiles(root, input) : existsSync(join(root, input)) ? [input] : [])))].sort();
  for (const file of files) {
    hash.update(file.split(sep).join('/')).update('\0').update(readFileSync(join(root, file))).update('\0');
  }
  if (target.env) {
    for (const key of Object.keys(env).filter((k) => target.env.test(k)).sort()) hash.update(`${key}=${env[key]}\0`);
  }
  return { hash: hash.digest('hex'), files: files.length };
}

const stampFile = (root, target) => join(root, 'node_modules', '.cache', 'lexmarket-build', `${target.name}.json`);

function readStamp(root, target) {
  try {
    return JSON.parse(readFileSync(stampFile(root, target), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Why `target` must be built, or undefined when its last build is still current. */
export function staleReason(root, target, current) {
  const missing = target.outputs.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} is missing`;
  const stamp = readStamp(root, target);
  if (!stamp) return 'no record of an earlier build';
  if (stamp.hash !== current.hash) return 'sources changed';
  return undefined;
}

function run(root, target, extraArgs) {
  const npm = process.env.npm_execpath;
  // Inside `npm start` npm_execpath is npm's CLI; use it with this node so PATH does not matter.
  const [cmd, args] = npm && /npm-cli\.js$/.test(npm)
    ? [process.execPath, [npm, 'run', '--silent', target.script, ...extraArgs]]
    : ['npm', ['run', '--silent', target.script, ...extraArgs]];
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
}

export function main(argv = process.argv.slice(2)) {
  const force = argv.includes('--force');
  const rootArg = argv.indexOf('--root');
  const root = rootArg >= 0 ? resolve(argv[rootArg + 1] ?? '.') : resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const onlyArg = argv.indexOf('--only');
  const unknown = argv.filter((a, i) => !['--force', '--root', '--only'].includes(a) && !['--root', '--only'].includes(argv[i - 1]));
  if (unknown.length > 0) {
    process.stderr.write(`build-if-stale: unknown argument ${unknown[0]} (use --force, --root <dir> or --only <targets>)\n`);
    return 64;
  }
  let targets = TARGETS;
  if (onlyArg >= 0) {
    const wanted = new Set((argv[onlyArg + 1] ?? '').split(',').filter(Boolean));
    const bad = [...wanted].find((name) => !TARGETS.some((t) => t.name === name));
    if (wanted.size === 0 || bad) {
      process.stderr.write(`build-if-stale: --only takes target names among ${TARGETS.map((t) => t.name).join(', ')}\n`);
      return 64;
    }
    for (const t of TARGETS) if (wanted.has(t.name)) for (const dep of t.after ?? []) wanted.add(dep);
    targets = TARGETS.filter((t) => wanted.has(t.name));
  }
  for (const target of targets) {
    const started = Date.now();
    const current = fingerprint(root, target);
    const reason = force ? 'full build requested' : staleReason(root, target, current);
    if (!reason) {
      process.stdout.write(`build: ${target.name} is up to date (${current.files} input files unchanged); skipped\n`);
      continue;
    }
    process.stdout.write(`build: ${target.name}: ${reason}; npm run ${target.script}\n`);
    const outputsMissing = target.outputs.some((output) => !existsSync(join(root, output)));
    // A failed build must not leave a record of success behind.
    rmSync(stampFile(root, target), { force: true });
    const status = run(root, target, (force || outputsMissing) && target.forceArgs ? target.forceArgs : []);
    if (status !== 0) {
      process.stderr.write(`build: npm run ${target.script} failed (exit ${status}); fix the error above and run npm start again\n`);
      return status;
    }
    const missing = target.outputs.find((output) => !existsSync(join(root, output)));
    if (missing) {
      process.stderr.write(`build: npm run ${target.script} succeeded but did not produce ${missing}\n`);
      return 1;
    }
    mkdirSync(dirname(stampFile(root, target)), { recursive: true });
    writeFileSync(stampFile(root, target), JSON.stringify({ hash: current.hash, builtAt: new Date().toISOString() }) + '\n');
    process.stdout.write(`build: ${target.name} built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}

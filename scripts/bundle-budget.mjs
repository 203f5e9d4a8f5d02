#!/usr/bin/env node
/**
 * First-load JS budget of the SPA: the gzipped JavaScript an anonymous visitor downloads
 * before `/` can paint. Run after a production build (`npm run test:bundle` builds first).
 *
 * Counted: the entry chunk of dist/index.html and every chunk it imports statically (the
 * manifest's `imports`, followed transitively; these are also the modulepreload links), plus
 * the lazy chunk of the landing route and its static imports. `dynamicImports` are NOT
 * followed: those are other routes, loaded on navigation.
 *
 * Usage: node scripts/bundle-budget.mjs [--budget-kb 180]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const DIST = fileURLToPath(new URL('../apps/web/dist/', import.meta.url));
/** Source module of the `/` route (the router lazy-loads it); keep in step with src/app/router.tsx. */
const LANDING_ROUTE = 'src/features/status/landing-page.tsx';
const budgetArg = process.argv.indexOf('--budget-kb');
const BUDGET_KB = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 180;

function fail(message) {
  console.error(`bundle budget: ${message}`);
  process.exit(1);
}

const manifestPath = join(DIST, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) fail(`${manifestPath} is missing; build the SPA first (npm run build -w apps/web).`);
/** @type {Record<string, {file: string, isEntry?: boolean, isDynamicEntry?: boolean, imports?: string[]}>} */
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
if (entries.length === 0) fail('the manifest has no entry chunk.');
if (!manifest[LANDING_ROUTE]) {
  fail(`no chunk for the landing route ${LANDING_ROUTE}; update LANDING_ROUTE in scripts/bundle-budget.mjs.`);
}

/** Manifest keys reachable from `roots` through static imports, in first-seen order. */
function staticClosure(roots) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    if (!manifest[key]) fail(`the manifest references ${key} but has no entry for it.`);
    seen.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  roots.forEach(visit);
  return [...seen];
}

const files = [...new Set(staticClosure([...entries, LANDING_ROUTE]).map((key) => manifest[key].file))];

// Cross-check with what the browser actually sees: every script and modulepreload of index.html
// must be among the counted files, or this measures the wrong thing.
const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const htmlScripts = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g)].map(
  (m) => m[1],
);
if (htmlScripts.length === 0) fail('dist/index.html loads no script; is this a Vite build?');
const uncounted = htmlScripts.filter((file) => !files.includes(file));
if (uncounted.length > 0) fail(`index.html loads ${uncounted.join(', ')}, which the manifest walk missed.`);

/** Kilobytes of 1000 bytes, as Vite prints them. */
const kb = (bytes) => bytes / 1000;
const rows = files.map((file) => {
  const bytes = readFileSync(join(DIST, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
rows.sort((a, b) => b.gzip - a.gzip);
const width = Math.max(...rows.map((r) => r.file.length));
for (const r of rows) {
  console.log(
    `  ${r.file.padEnd(width)}  ${kb(r.raw).toFixed(1).padStart(7)} KB raw  ${kb(r.gzip).toFixed(1).padStart(6)} KB gzip`,
  );
}
const total = kb(rows.reduce((sum, r) => sum + r.gzip, 0));
console.log(`first-load JS for /: ${total.toFixed(1)} KB gzip (budget ${BUDGET_KB} KB)`);
if (total > BUDGET_KB) {
  console.error(`bundle budget: over budget by ${(total - BUDGET_KB).toFixed(1)} KB gzip.`);
  process.exitCode = 1;
}

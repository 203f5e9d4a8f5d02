/**
 * Directory-at-scale scenarios of `npm run bench` (issue 18, done-when 1): at each size of the
 * directory (BENCH_DIRECTORY_LAWYERS, default 2000,100000, ascending; the marketplace seed then
 * topped up with progress by seedDirectoryLawyers), four requests measured in alternating slices
 * (see Scenario.interleave): `GET /api/health`, the directory's default page, a filtered search
 * (practice area + language, default sort) and a deep page (a cursor from the middle of the
 * directory, in the default sort).
 *
 * Below the table, per size: each directory request's app req/s ÷ the app's health req/s
 * (PASS ≥ 0.5) and the slowest page ÷ the fastest (PASS within ±20 % of each other); then per
 * request, the largest size ÷ the smallest (PASS within ±20 %: a page costs the same whatever
 * the directory's size). A FAIL line fails the bench.
 * Each run lasts BENCH_DIRECTORY_DURATION seconds per server (default 12). At each size, before
 * measuring: VACUUM (ANALYZE) + CHECKPOINT after the seed, then a warm-up of every request.
 */
import autocannon from 'autocannon';
import { Client } from 'pg';
import { encodeDirectoryCursor } from '../src/modules/marketplace/directory/directory-cursor';
import type { DirectorySortKey } from '../src/modules/marketplace/marketplace.queries';
import type { Measured } from './reviews-scenarios';
import type { Scenario, SetupVars } from './scenarios';
import { seedDirectoryLawyers } from './seed-marketplace';

const SIZES = (process.env.BENCH_DIRECTORY_LAWYERS ?? '2000,100000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
const DURATION = Number(process.env.BENCH_DIRECTORY_DURATION ?? 12);
const WARMUP = Number(process.env.BENCH_DIRECTORY_WARMUP ?? 5);
const TOLERANCE = 0.2;
const HEALTH_FLOOR = 0.5;

type Request = 'health' | 'default' | 'filtered' | 'deep';
const REQUESTS: Record<Request, { label: string; path: (v: SetupVars) => string }> = {
  health: { label: 'GET /api/health', path: () => '/api/health' },
  default: { label: 'default page', path: () => '/api/lawyers?page=1&pageSize=20' },
  filtered: {
    label: 'filtered (area + language)',
    path: () => '/api/lawyers?practiceArea=family&language=es&page=1&pageSize=20',
  },
  deep: { label: 'deep page (cursor, middle)', path: (v) => `/api/lawyers?pageSize=20&cursor=${v.cursor}` },
};

const label = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const n0 = (n: number) => Math.round(n).toLocaleString('en-US');

let seeding: Promise<unknown> = Promise.resolve();
const seeded = new Map<number, Promise<SetupVars>>();
const results = new Map<string, { app: Measured; baseline: Measured }>();

function ensureSize(
  appUrl: string,
  databaseUrl: string,
  size: number,
  marketplace: (url: string) => Promise<void>,
): Promise<SetupVars> {
  let done = seeded.get(size);
  if (!done) {
    done = seeding.then(async () => {
      await marketplace(databaseUrl);
      const s = await seedDirectoryLawyers(databaseUrl, size, (line) => console.log(line));
      console.log(`directory ${label(size)}: ${n0(s.added)} lawyers added in ${s.seconds.toFixed(1)} s`);
      await settle(databaseUrl);
      const vars = await middleCursor(databaseUrl);
      await warmUp(appUrl, vars);
      return vars;
    });
    seeding = done;
    seeded.set(size, done);
  }
  return done;
}

/**
 * After a seed, the database's own follow-up work (autovacuum and autoanalyze of the tables just
 * written, the checkpoint flushing them) would otherwise run inside the measured seconds of this
 * size, and not of the other: done here, before measuring, at every size alike.
 */
async function settle(databaseUrl: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const started = Date.now();
    await db.query('VACUUM (ANALYZE)');
    await db.query('CHECKPOINT');
    console.log(`directory: VACUUM (ANALYZE) and CHECKPOINT in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.end();
  }
}

/**
 * Every request of the size in turn for WARMUP seconds (BENCH_DIRECTORY_WARMUP, default 5) before
 * any is measured: the first size otherwise met a process whose code paths and caches were cold
 * (health itself measured ~1.5× faster at the second size in the same run).
 */
async function warmUp(appUrl: string, vars: SetupVars): Promise<void> {
  for (const r of Object.keys(REQUESTS) as Request[]) {
    await new Promise<void>((resolve, reject) =>
      autocannon({ url: appUrl + REQUESTS[r].path(vars), connections: 20, duration: WARMUP }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }
}

/** The default sort's key of the listing in the middle of the directory, as the cursor a client would hold there. */
async function middleCursor(databaseUrl: string): Promise<SetupVars> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ total: number; key: DirectorySortKey }>(
      `SELECT (SELECT count(*)::int FROM directory_listings WHERE is_primary) AS total,
              json_build_array(soon_at, price_minor, lawyer_id) AS key
         FROM directory_listings WHERE is_primary
        ORDER BY soon_at, price_minor, lawyer_id
        OFFSET (SELECT count(*) / 2 FROM directory_listings WHERE is_primary) LIMIT 1`,
    );
    const row = rows[0]!;
    console.log(`directory: ${n0(row.total)} listed lawyers; deep page from position ${n0(row.total / 2)}\n`);
    return { cursor: encodeDirectoryCursor('soonest', row.key), total: String(row.total) };
  } finally {
    await db.end();
  }
}

function report(size: number): string[] {
  const lines: string[] = [];
  const health = results.get(`${size} health`);
  if (!health) return lines;
  lines.push(`directory ${label(size)}: health ${n0(health.app.rps)} req/s (baseline ${n0(health.baseline.rps)})`);
  for (const r of ['default', 'filtered', 'deep'] as const) {
    const m = results.get(`${size} ${r}`);
    if (!m) continue;
    const ratio = m.app.rps / health.app.rps;
    lines.push(
      `${ratio >= HEALTH_FLOOR ? 'PASS' : 'FAIL'} directory ${label(size)} ${REQUESTS[r].label}: ${n0(m.app.rps)} req/s, p50 ${m.app.p50} ms, ` +
        `p99 ${m.app.p99} ms; ÷ health ${ratio.toFixed(2)} (target ≥ ${HEALTH_FLOOR}); baseline ${n0(m.baseline.rps)} req/s`,
    );
  }
  // The three pages cost alike at this size: the slowest within ±20 % of the fastest.
  const pages = (['default', 'filtered', 'deep'] as const)
    .map((r) => results.get(`${size} ${r}`)?.app.rps)
    .filter((x): x is number => x !== undefined);
  if (pages.length === 3) {
    const spread = Math.min(...pages) / Math.max(...pages);
    lines.push(
      `${spread >= 1 - TOLERANCE ? 'PASS' : 'FAIL'} directory ${label(size)}: slowest page ÷ fastest = ${spread.toFixed(2)} (within ±${TOLERANCE * 100} % of each other: ${spread >= 1 - TOLERANCE ? 'yes' : 'no'})`,
    );
  }
  const smallest = SIZES[0]!;
  if (size !== smallest) {
    for (const r of ['default', 'filtered', 'deep'] as const) {
      const a = results.get(`${smallest} ${r}`);
      const b = results.get(`${size} ${r}`);
      if (!a || !b) continue;
      const ratio = b.app.rps / a.app.rps;
      const ok = Math.abs(ratio - 1) <= TOLERANCE;
      lines.push(
        `${ok ? 'PASS' : 'FAIL'} directory ${REQUESTS[r].label}: ${label(size)} ÷ ${label(smallest)} = ${ratio.toFixed(2)} ` +
          `(${n0(b.app.rps)} vs ${n0(a.app.rps)} req/s; within ±${TOLERANCE * 100} %: ${ok ? 'yes' : 'no'})`,
      );
    }
  }
  return lines;
}

export function directoryScenarios(marketplace: (databaseUrl: string) => Promise<void>): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const size of SIZES) {
    const order: Request[] = ['health', 'default', 'filtered', 'deep'];
    for (const r of order) {
      scenarios.push({
        name: `directory ${label(size)}: ${REQUESTS[r].label}`,
        method: 'GET',
        interleave: `directory ${size}`,
        duration: DURATION,
        path: (v: SetupVars) => REQUESTS[r].path(v),
        setup: async ({ appUrl, databaseUrl }) => ensureSize(appUrl, databaseUrl, size, marketplace),
        report: async (_ctx, _vars, _rps, _streams, measured) => {
          if (measured) results.set(`${size} ${r}`, measured);
          return r === order[order.length - 1] ? report(size) : [];
        },
      });
    }
  }
  return scenarios;
}

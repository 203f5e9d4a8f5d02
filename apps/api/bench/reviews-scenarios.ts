/**
 * Reviews scenarios of `npm run bench` (issue 13, done-when 7): `GET /api/lawyers/:id/rating`
 * and the first page of `GET /api/lawyers/:id/reviews`, for the lawyer with the most reviews
 * (10 % of all) and for a typical one (the median review count), at each total size of the
 * `reviews` table (BENCH_REVIEWS, default 10000,1000000, ascending; seeded with progress by
 * seed-reviews.ts, topped up from one size to the next). Both servers run the reviews module's
 * own SQL (reviews.queries.ts).
 *
 * Below the table: per size, the rating and the first page side by side, rating req/s ÷ page
 * req/s (PASS within 0.8–1.2 for the app; FAIL fails the bench), the same for the baseline, the
 * app ÷ baseline ratios, and the largest size ÷ the smallest per endpoint.
 * Each run lasts BENCH_REVIEWS_DURATION seconds (default 6) per server.
 */
import { Client } from 'pg';
import type { Scenario, SetupVars } from './scenarios';
import { seedReviews } from './seed-reviews';

const SIZES = (process.env.BENCH_REVIEWS ?? '10000,1000000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
const DURATION = Number(process.env.BENCH_REVIEWS_DURATION ?? 6);
/** Rating req/s ÷ first-page req/s must lie in [1 - TOLERANCE, 1 + TOLERANCE]. */
const TOLERANCE = 0.2;

type Endpoint = 'rating' | 'page';
type Who = 'top' | 'typical';
export interface Measured {
  rps: number;
  p50: number;
  p99: number;
}
interface Target {
  top: string;
  topCount: number;
  typical: string;
  typicalCount: number;
}

const label = (n: number) => (n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const n0 = (n: number) => Math.round(n).toLocaleString('en-US');

/** Seeded sizes, in the order asked (each a top-up of the previous one). */
let seeding: Promise<unknown> = Promise.resolve();
const seeded = new Map<number, Promise<Target>>();
const results = new Map<string, { app: Measured; baseline: Measured }>();
const reported = new Set<string>();

function ensureSize(databaseUrl: string, size: number): Promise<Target> {
  let done = seeded.get(size);
  if (!done) {
    done = seeding.then(async () => {
      console.log(`reviews: seeding ${n0(size)} reviews in total…`);
      await seedReviews(databaseUrl, size, (line) => console.log(line));
      return targets(databaseUrl, size);
    });
    seeding = done;
    seeded.set(size, done);
  }
  return done;
}

/** The lawyer with the most visible reviews, and one with the median count (both listed). */
async function targets(databaseUrl: string, size: number): Promise<Target> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ lawyerId: string; count: number }>(
      `(SELECT r.lawyer_id AS "lawyerId", r.review_count AS count FROM lawyer_ratings r JOIN listed_lawyers l ON l.user_id = r.lawyer_id
         ORDER BY r.review_count DESC, r.lawyer_id LIMIT 1)
       UNION ALL
       (SELECT r.lawyer_id, r.review_count FROM lawyer_ratings r JOIN listed_lawyers l ON l.user_id = r.lawyer_id
         ORDER BY r.review_count, r.lawyer_id OFFSET (SELECT count(*) / 2 FROM lawyer_ratings) LIMIT 1)`,
    );
    const [top, typical] = rows;
    if (!top || !typical) throw new Error('reviews bench: no rated listed lawyer after the seed');
    console.log(
      `reviews ${label(size)}: top lawyer ${top.lawyerId} (${n0(top.count)} visible reviews), typical lawyer ${typical.lawyerId} (${n0(typical.count)})\n`,
    );
    return { top: top.lawyerId, topCount: top.count, typical: typical.lawyerId, typicalCount: typical.count };
  } finally {
    await db.end();
  }
}

function summary(size: number): string[] {
  const lines: string[] = [];
  const key = (endpoint: Endpoint, who: Who, s = size) => `${s}:${endpoint}:${who}`;
  for (const who of ['top', 'typical'] as const) {
    const rating = results.get(key('rating', who));
    const page = results.get(key('page', who));
    if (!rating || !page || reported.has(`${size}:${who}`)) continue;
    reported.add(`${size}:${who}`);
    const ratio = rating.app.rps / page.app.rps;
    const ok = Math.abs(ratio - 1) <= TOLERANCE + 1e-9;
    lines.push(
      `${ok ? 'PASS' : 'FAIL'} reviews ${label(size)}, ${who} lawyer: rating ${n0(rating.app.rps)} req/s (p50 ${rating.app.p50} / p99 ${rating.app.p99} ms) vs first page ` +
        `${n0(page.app.rps)} req/s (p50 ${page.app.p50} / p99 ${page.app.p99} ms): rating ÷ page = ${ratio.toFixed(2)} (must be ${(1 - TOLERANCE).toFixed(1)}–${(1 + TOLERANCE).toFixed(1)})`,
      `     baseline: rating ${n0(rating.baseline.rps)} req/s vs first page ${n0(page.baseline.rps)} req/s: rating ÷ page = ${(rating.baseline.rps / page.baseline.rps).toFixed(2)}; ` +
        `app ÷ baseline: rating ${(rating.app.rps / rating.baseline.rps).toFixed(2)}x, first page ${(page.app.rps / page.baseline.rps).toFixed(2)}x`,
    );
    // Growth: this size against the smallest one measured.
    const smallest = SIZES.find((s) => s < size && results.has(key('rating', who, s)) && results.has(key('page', who, s)));
    if (smallest !== undefined) {
      const growth = (['rating', 'page'] as const).map((endpoint) => {
        const big = results.get(key(endpoint, who))!;
        const small = results.get(key(endpoint, who, smallest))!;
        return `${endpoint === 'rating' ? 'rating' : 'first page'} req/s ${(big.app.rps / small.app.rps).toFixed(2)}x, p50 ${small.app.p50}→${big.app.p50} ms (baseline ${(big.baseline.rps / small.baseline.rps).toFixed(2)}x)`;
      });
      lines.push(`     ${label(size)} ÷ ${label(smallest)}, ${who} lawyer: ${growth.join('; ')}`);
    }
  }
  return lines;
}

/**
 * The scenarios, in size order; `marketplace` seeds (or reuses) the marketplace the reviews are
 * written on (its lawyers, offerings and clients).
 */
export function reviewScenarios(marketplace: (databaseUrl: string) => Promise<void>): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const size of SIZES) {
    for (const who of ['top', 'typical'] as const) {
      for (const endpoint of ['rating', 'page'] as const) {
        scenarios.push({
          name: `reviews ${label(size)}: ${endpoint === 'rating' ? 'GET /lawyers/:id/rating' : 'GET /lawyers/:id/reviews (page 1)'}, ${who} lawyer`,
          method: 'GET',
          duration: DURATION,
          // The four runs of one size alternate (rating and page of both lawyers, app and baseline), so
          // their ratios do not depend on what else the machine did at one moment.
          interleave: `reviews ${size}`,
          path: (v: SetupVars) => `/api/lawyers/${v.lawyerId}/${endpoint === 'rating' ? 'rating' : 'reviews'}`,
          setup: async ({ databaseUrl }) => {
            await marketplace(databaseUrl);
            const t = await ensureSize(databaseUrl, size);
            return { lawyerId: who === 'top' ? t.top : t.typical };
          },
          report: async (_ctx, _vars, _rps, _streams, measured) => {
            results.set(`${size}:${endpoint}:${who}`, measured!);
            return summary(size);
          },
        });
      }
    }
  }
  return scenarios;
}

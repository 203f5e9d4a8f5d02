/**
 * Finance scenarios of `npm run bench` (issue 14, done-when 6): a partner's 12-month report by
 * month (`GET /api/partner/reports?from&to&granularity=month`, signed in as the seed's big
 * partner) and the admin's pending payouts (`GET /api/admin/payouts/pending`, first page,
 * default threshold), at each size of the ledger: 10k entries, then BENCH_LEDGER_ENTRIES
 * (default 1,000,000), seeded with progress by seed-ledger.ts (topped up from one size to the
 * next). Both servers run the finance module's own SQL and mappings (finance.queries.ts).
 *
 * Below the table: per size, each endpoint's req/s and latencies against the baseline's, then
 * per endpoint the largest size ÷ the smallest: PASS when the app's req/s at the largest size is
 * within ±20 % of its req/s at 10k (the cost does not grow with the ledger; FAIL fails the
 * bench). The two endpoints of one size are measured in alternating slices (see
 * Scenario.interleave). Each run lasts BENCH_LEDGER_DURATION seconds per server (default 12: six
 * slices of 2 s), with BENCH_LEDGER_CONNECTIONS connections (default 4).
 */
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import type { Measured } from './reviews-scenarios';
import type { RequestStream, Scenario, SetupVars } from './scenarios';
import { LEDGER_BENCH, seedLedger } from './seed-ledger';

const SMALL = 10_000;
const SIZES = [...new Set([SMALL, Number(process.env.BENCH_LEDGER_ENTRIES ?? 1_000_000)])]
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
const DURATION = Number(process.env.BENCH_LEDGER_DURATION ?? 12);
/**
 * Connections per run (BENCH_LEDGER_CONNECTIONS, default 4): enough to keep two cores busy; with 20,
 * a request of 100 ms would wait a second and a 2-second slice would count half its work.
 */
const CONNECTIONS = Number(process.env.BENCH_LEDGER_CONNECTIONS ?? 4);
/** Largest size ÷ smallest, per endpoint, must lie in [1 - TOLERANCE, 1 + TOLERANCE] (app req/s). */
const TOLERANCE = 0.2;

type Endpoint = 'report' | 'pending';
const ENDPOINTS: Record<Endpoint, string> = {
  report: 'partner reports 12m monthly (GET /api/partner/reports)',
  pending: 'admin payouts pending (GET /api/admin/payouts/pending)',
};

interface Target {
  partnerToken: string;
  adminToken: string;
  from: string;
  to: string;
}

const label = (n: number) =>
  n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
const n0 = (n: number) => Math.round(n).toLocaleString('en-US');

let seeding: Promise<unknown> = Promise.resolve();
const seeded = new Map<number, Promise<Target>>();
/** Per size and endpoint: both servers' figures and the machine's 1-minute load average when they were taken. */
const results = new Map<string, { app: Measured; baseline: Measured; load: number }>();
const reported = new Set<string>();
let password: Promise<string> | undefined;

function ensureSize(appUrl: string, databaseUrl: string, size: number): Promise<Target> {
  let done = seeded.get(size);
  if (!done) {
    done = seeding.then(async () => {
      console.log(`payouts: seeding a ledger of ${n0(size)} entries…`);
      const s = await seedLedger(databaseUrl, size, (line) => console.log(line));
      console.log(
        `payouts ${label(size)}: ${n0(s.entries)} ledger entries, ${n0(s.transactions)} transactions, ${n0(s.payouts)} payouts${s.reused ? ' (reused)' : ''}`,
      );
      return target(appUrl, databaseUrl);
    });
    seeding = done;
    seeded.set(size, done);
  }
  return done;
}

/**
 * Signs in as the big partner and the finance admin (a fresh password per run, set in the
 * database), and picks the report's range: the 12 months of the seed's last year by month, in
 * the partner's zone (the seed's base day is the first day without data).
 */
async function target(appUrl: string, databaseUrl: string): Promise<Target> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  let secret: string;
  let range: { from: string; to: string; rows: number; currencies: number };
  try {
    password ??= (async () => {
      const fresh = `bench ledger ${randomBytes(9).toString('hex')}`;
      const hash = await argon2.hash(fresh, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
      await db.query('UPDATE users SET password_hash = $1 WHERE email IN ($2, $3)', [
        hash,
        LEDGER_BENCH.partnerEmail,
        LEDGER_BENCH.adminEmail,
      ]);
      return fresh;
    })();
    secret = await password;
    const { rows } = await db.query<{ from: string; to: string; rows: number; currencies: number }>(
      `WITH r AS (
         SELECT to_char(date_trunc('month', d) - interval '11 months', 'YYYY-MM-DD') AS "from", to_char(d, 'YYYY-MM-DD') AS "to"
           FROM (SELECT ((s.base AT TIME ZONE u.time_zone)::date - 1)::timestamp AS d
                   FROM bench_ledger_state s, users u WHERE u.email = $1) x)
       SELECT r.*, count(p.*)::int AS rows, count(DISTINCT p.currency)::int AS currencies
         FROM r LEFT JOIN users u ON u.email = $1
         LEFT JOIN ledger_party_daily p ON p.party_id = u.id AND p.day BETWEEN r."from"::date AND r."to"::date
        GROUP BY r."from", r."to"`,
      [LEDGER_BENCH.partnerEmail],
    );
    range = rows[0]!;
  } finally {
    await db.end();
  }
  const [partnerToken, adminToken] = await Promise.all([
    signIn(appUrl, LEDGER_BENCH.partnerEmail, secret),
    signIn(appUrl, LEDGER_BENCH.adminEmail, secret),
  ]);
  console.log(
    `payouts: report of ${LEDGER_BENCH.partnerEmail} from ${range.from} to ${range.to} (${n0(range.rows)} rollup rows in ${range.currencies} currencies)\n`,
  );
  return { partnerToken, adminToken, from: range.from, to: range.to };
}

async function signIn(appUrl: string, email: string, secret: string): Promise<string> {
  const res = await fetch(`${appUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: secret }),
  });
  if (res.status !== 200)
    throw new Error(`payouts bench: login of ${email} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

const pathOf = (endpoint: Endpoint, v: SetupVars) =>
  endpoint === 'report' ? `/api/partner/reports?from=${v.from}&to=${v.to}&granularity=month` : '/api/admin/payouts/pending';

function summary(size: number): string[] {
  const lines: string[] = [];
  const key = (endpoint: Endpoint, s = size) => `${s}:${endpoint}`;
  const report = results.get(key('report'));
  const pending = results.get(key('pending'));
  if (!report || !pending || reported.has(String(size))) return lines;
  reported.add(String(size));
  const line = (name: string, m: { app: Measured; baseline: Measured }) =>
    `${name} ${n0(m.app.rps)} req/s (p50 ${m.app.p50} / p99 ${m.app.p99} ms), baseline ${n0(m.baseline.rps)} req/s (p50 ${m.baseline.p50} / p99 ${m.baseline.p99} ms): ` +
    `app ÷ baseline ${(m.app.rps / m.baseline.rps).toFixed(2)}x`;
  lines.push(
    // The sizes are measured minutes apart: a busier machine at one of them weighs on the growth ratios below.
    `payouts ${label(size)} ledger entries (${CONNECTIONS} connections; 1-minute load average after the runs: ${report.load.toFixed(1)}):`,
    `     ${line('partner report (12 months by month):', report)}`,
    `     ${line('pending payouts (page 1):', pending)}`,
  );
  const smallest = SIZES.find((s) => s < size && results.has(key('report', s)) && results.has(key('pending', s)));
  if (smallest === undefined) return lines;
  for (const endpoint of ['report', 'pending'] as const) {
    const big = results.get(key(endpoint))!;
    const small = results.get(key(endpoint, smallest))!;
    const ratio = big.app.rps / small.app.rps;
    const ok = Math.abs(ratio - 1) <= TOLERANCE + 1e-9;
    lines.push(
      `${ok ? 'PASS' : 'FAIL'} payouts ${label(size)} ÷ ${label(smallest)} ledger entries, ${endpoint === 'report' ? 'partner report' : 'pending payouts'}: ` +
        `app ${n0(small.app.rps)} → ${n0(big.app.rps)} req/s = ${ratio.toFixed(2)} (must be ${(1 - TOLERANCE).toFixed(1)}–${(1 + TOLERANCE).toFixed(1)}), ` +
        `p50 ${small.app.p50}→${big.app.p50} ms; baseline ${n0(small.baseline.rps)} → ${n0(big.baseline.rps)} req/s = ${(big.baseline.rps / small.baseline.rps).toFixed(2)}`,
    );
  }
  return lines;
}

/** The scenarios, in size order (both endpoints of a size interleaved). */
export function payoutScenarios(): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const size of SIZES) {
    for (const endpoint of ['report', 'pending'] as const) {
      scenarios.push({
        name: `finance payouts ${label(size)}: ${ENDPOINTS[endpoint]}`,
        method: 'GET',
        duration: DURATION,
        connections: CONNECTIONS,
        interleave: `payouts ${size}`,
        path: (v) => pathOf(endpoint, v),
        setup: async ({ appUrl, databaseUrl }) => {
          const t = await ensureSize(appUrl, databaseUrl, size);
          return { token: endpoint === 'report' ? t.partnerToken : t.adminToken, from: t.from, to: t.to };
        },
        // The same signed-in request on both servers (the baseline reads the token's subject).
        request: (v): RequestStream => {
          const request = { method: 'GET' as const, path: pathOf(endpoint, v), headers: { authorization: `Bearer ${v.token}` } };
          return { next: () => request };
        },
        report: async (_ctx, _vars, _rps, _streams, measured) => {
          results.set(`${size}:${endpoint}`, { ...measured!, load: loadavg()[0]! });
          return summary(size);
        },
      });
    }
  }
  return scenarios;
}

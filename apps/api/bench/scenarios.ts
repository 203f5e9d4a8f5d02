import { Client } from 'pg';
import { seedMarketplace } from './seed-marketplace';

/** What a scenario's setup receives: both servers' base URLs and the database they share. */
export interface SetupContext {
  appUrl: string;
  databaseUrl: string;
}

/** Values a setup found (e.g. seeded ids), handed to `path`. */
export type SetupVars = Record<string, string>;

/** A load scenario: the same request sent to the real app and to the bare baseline. */
export interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  /** Path (with query) requested on both servers; a function of the setup's output when it depends on seeded data. */
  path: string | ((vars: SetupVars) => string);
  /** Optional per-run setup (e.g. seed data); runs before the warm-up. */
  setup?: (ctx: SetupContext) => Promise<SetupVars | void>;
}

const BENCH_LAWYERS = Number(process.env.BENCH_LAWYERS ?? 2000);
const BENCH_SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200_000);
const BENCH_CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5000);

let seeded: Promise<void> | undefined;

/**
 * Seeds the marketplace once per run (idempotent across runs: a database that already holds
 * the bench lawyers is reused). Progress lines go to stdout.
 */
function ensureMarketplaceSeeded(databaseUrl: string): Promise<void> {
  seeded ??= seedMarketplace(databaseUrl, {
    lawyers: BENCH_LAWYERS,
    sessions: BENCH_SESSIONS,
    clients: BENCH_CLIENTS,
    log: (line) => console.log(line),
  }).then((s) =>
    console.log(
      `seed: ${s.lawyers.toLocaleString('en-US')} lawyers, ${s.offerings.toLocaleString('en-US')} offerings, ` +
        `${s.sessions.toLocaleString('en-US')} sessions${s.reused ? ' (reused)' : ''}\n`,
    ),
  );
  return seeded;
}

const DAY = 86_400_000;

/**
 * A seeded lawyer whose 14-day slot window (from tomorrow, 00:00 UTC) holds the most of their
 * booked sessions (so the slot computation has busy times to subtract), with the shortest
 * active offering of theirs: the offering their sessions were sold for.
 */
async function slotsTarget(databaseUrl: string): Promise<SetupVars> {
  const from = new Date(Math.floor(Date.now() / DAY) * DAY + DAY);
  const to = new Date(from.getTime() + 14 * DAY);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ lawyerId: string; offeringId: string; busy: number }>(
      `SELECT s.lawyer_id AS "lawyerId", s.offering_id AS "offeringId", count(*)::int AS busy
         FROM legal_sessions s
         JOIN users u ON u.id = s.lawyer_id AND u.email LIKE 'lawyer-%@bench.lexmarket.example'
         JOIN offerings o ON o.id = s.offering_id AND o.active
        WHERE s.status = 'SCHEDULED' AND s.start_at >= $1 AND s.start_at < $2
        GROUP BY 1, 2 ORDER BY busy DESC, 1 LIMIT 1`,
      [from.toISOString(), to.toISOString()],
    );
    const row = rows[0];
    if (!row)
      throw new Error(
        'slots scenario: no seeded lawyer has sessions in the next 14 days (is the bench seed too old? drop .data/bench)',
      );
    console.log(`slots: lawyer ${row.lawyerId}, offering ${row.offeringId}, ${row.busy} scheduled sessions in the window\n`);
    return { lawyerId: row.lawyerId, offeringId: row.offeringId, from: from.toISOString(), to: to.toISOString() };
  } finally {
    await db.end();
  }
}

export const SCENARIOS: Scenario[] = [
  { name: 'GET /api/health', method: 'GET', path: '/api/health' },
  {
    name: 'directory search (q, area, sort=price)',
    method: 'GET',
    path: '/api/lawyers?q=criminal&practiceArea=family&sort=price&page=1&pageSize=20',
    setup: async ({ databaseUrl }) => ensureMarketplaceSeeded(databaseUrl),
  },
  {
    name: 'directory default page',
    method: 'GET',
    path: '/api/lawyers?page=1&pageSize=20',
    setup: async ({ databaseUrl }) => ensureMarketplaceSeeded(databaseUrl),
  },
  {
    name: 'slots (14 days)',
    method: 'GET',
    path: (v) => `/api/lawyers/${v.lawyerId}/slots?offeringId=${v.offeringId}&from=${v.from}&to=${v.to}`,
    setup: async ({ databaseUrl }) => {
      await ensureMarketplaceSeeded(databaseUrl);
      return slotsTarget(databaseUrl);
    },
  },
];

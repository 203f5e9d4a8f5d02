import { Client } from 'pg';
import {
  canonicalMessage,
  historyRequests,
  messagingReport,
  seedMessaging,
  sendRequests,
  type MessagingSeed,
  type SendStream,
} from './messaging-scenarios';
import { directoryScenarios } from './directory-scenarios';
import { payoutScenarios } from './payouts-scenarios';
import { reviewScenarios, type Measured } from './reviews-scenarios';
import { seedMarketplace } from './seed-marketplace';
import {
  callbackRequests,
  callbackRows,
  CALLBACK_COPIES,
  CALLBACK_PATH,
  joinRequests,
  seedVideo,
  signInClients,
  type CallbackStream,
  type GeneratedRequest,
  type VideoSeed,
} from './video-scenarios';

/** What a scenario's setup receives: both servers' base URLs and the database they share. */
export interface SetupContext {
  appUrl: string;
  databaseUrl: string;
}

/** Values a setup found (e.g. seeded ids), handed to `path`. */
export type SetupVars = Record<string, string>;

/** The requests of a scenario with bodies: each call gives the next one. */
export interface RequestStream {
  next: () => GeneratedRequest;
}

/** A load scenario: the same request sent to the real app and to the bare baseline. */
export interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  /** Path (with query) requested on both servers; a function of the setup's output when it depends on seeded data. */
  path: string | ((vars: SetupVars) => string);
  /** Optional per-run setup (e.g. seed data); runs before the warm-up. */
  setup?: (ctx: SetupContext) => Promise<SetupVars | void>;
  /** Requests with headers and bodies (instead of `method` + `path`): one stream per server, made after setup. */
  request?: (vars: SetupVars, server: 'app' | 'baseline') => RequestStream;
  /** The part of a 200 answer both servers must agree on (default: all of it). */
  canonical?: (body: unknown) => unknown;
  /** Seconds per measured run on each server (default BENCH_DURATION). */
  duration?: number;
  /**
   * Concurrent connections (default BENCH_CONNECTIONS), for endpoints slow enough that 20 requests
   * in flight would make each latency a sizeable part of an interleaved slice (requests still in
   * flight when a slice ends are not counted).
   */
  connections?: number;
  /**
   * Consecutive scenarios with the same value are compared with each other: after all their setups,
   * checks and warm-ups, they are measured in BENCH_ROUNDS alternating slices (A app, A baseline,
   * B app, B baseline, A app, …) adding up to `duration`, so that a change of the machine's load
   * during the group weighs on each of them alike; their figures are those of all slices together.
   */
  interleave?: string;
  /** After both runs: lines to print below the table (a line starting with FAIL fails the bench). */
  report?: (
    ctx: SetupContext,
    vars: SetupVars,
    rps: { app: number; baseline: number },
    streams?: { app: RequestStream; baseline: RequestStream },
    measured?: { app: Measured; baseline: Measured },
  ) => Promise<string[]>;
}

const BENCH_LAWYERS = Number(process.env.BENCH_LAWYERS ?? 2000);
const BENCH_SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200_000);
const BENCH_CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5000);

let seeded: Promise<void> | undefined;

/**
 * Seeds the marketplace once per run (idempotent across runs: a database that already holds
 * the bench lawyers is reused). Progress lines go to stdout.
 */
export function ensureMarketplaceSeeded(databaseUrl: string): Promise<void> {
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
  {
    name: 'twilio join token (POST /sessions/:id/video/join)',
    method: 'POST',
    path: '/',
    setup: async ({ appUrl, databaseUrl }) => {
      video = await seedVideo(databaseUrl);
      tokens = await signInClients(appUrl, video);
    },
    request: () => ({ next: joinRequests(video!, tokens) }),
    // Tokens are signed afresh on each call: both must grant the same room to the same identity.
    canonical: (body) => {
      const b = body as { provider: string; roomName: string; identity: string; token: string };
      const payload = JSON.parse(Buffer.from(b.token.split('.')[1]!, 'base64url').toString('utf8')) as {
        grants: unknown;
        iss: string;
      };
      return { provider: b.provider, roomName: b.roomName, identity: b.identity, grants: payload.grants, iss: payload.iss };
    },
  },
  {
    name: 'twilio callback intake (signed; 2 in 3 are redeliveries)',
    method: 'POST',
    path: CALLBACK_PATH,
    setup: async ({ databaseUrl }) => {
      video = await seedVideo(databaseUrl);
    },
    request: (_vars, server) => callbackRequests(video!, server === 'app' ? 'a' : 'b'),
    report: async ({ databaseUrl }, _vars, rps, streams) => {
      const lines: string[] = [];
      for (const [server, tag] of [
        ['app', 'a'],
        ['baseline', 'b'],
      ] as const) {
        const sent = (streams![server] as CallbackStream).sent();
        const rows = await callbackRows(databaseUrl, video!, tag);
        const duplicates = rows.duplicateCallbacks + rows.duplicateAttendance + Math.max(0, rows.attendance - rows.callbacks);
        lines.push(
          `callback intake, ${server}: ${sent.requests.toLocaleString('en-US')} signed callbacks sent (${sent.distinct.toLocaleString('en-US')} distinct events, ` +
            `~${CALLBACK_COPIES}× each), ${Math.round(rps[server]).toLocaleString('en-US')}/s; rows written: ${rows.callbacks.toLocaleString('en-US')} callbacks, ` +
            `${rows.attendance.toLocaleString('en-US')} attendance; duplicate rows: ${duplicates}`,
        );
        if (duplicates !== 0 || rows.callbacks > sent.distinct)
          lines.push(`FAIL callback intake, ${server}: duplicates were written`);
      }
      if (rps.app < 500) lines.push(`FAIL callback intake: the app took ${Math.round(rps.app)} signed callbacks/s (< 500)`);
      return lines;
    },
  },
  ...directoryScenarios(ensureMarketplaceSeeded),
  ...reviewScenarios(ensureMarketplaceSeeded),
  ...payoutScenarios(),
  {
    name: 'messaging: send message (POST /conversations/:id/messages)',
    method: 'POST',
    path: '/',
    interleave: 'messaging',
    setup: async ({ appUrl, databaseUrl }) => {
      messaging = await seedMessaging(appUrl, databaseUrl);
    },
    request: (_vars, server) => sendRequests(messaging!, server),
    // Each server stores its own message: the same answer but for the id and the time.
    canonical: canonicalMessage,
    report: async ({ databaseUrl }, _vars, _rps, streams) =>
      messagingReport(databaseUrl, messaging!, streams as { app: SendStream; baseline: SendStream }),
  },
  {
    name: 'messaging: history page (GET /conversations/:id/messages?limit=50)',
    method: 'GET',
    path: '/',
    interleave: 'messaging',
    setup: async ({ appUrl, databaseUrl }) => {
      messaging = await seedMessaging(appUrl, databaseUrl);
    },
    request: () => historyRequests(messaging!),
  },
];

let messaging: MessagingSeed | undefined;

let video: VideoSeed | undefined;
let tokens: string[] = [];

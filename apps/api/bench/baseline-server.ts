/**
 * The baseline the real app is compared with: bare Fastify + `pg`, no framework, doing the
 * same work per request as the app's scenario. Started as its own process by run.ts:
 *   tsx baseline-server.ts <port> <databaseUrl> <blobRoot>
 *
 * The marketplace routes run the app's own SQL and slot computation (marketplace.queries.ts,
 * which has no Nest or TypeORM dependency), check the same query parameters by hand, apply
 * the same defaults and return the same JSON with the same cache-control header. No caching.
 * The reviews routes run reviews.queries.ts (the reviews repository's named prepared statements,
 * sent the same way through pg) and the pure rules of review-rules.ts (average, cursor).
 * The finance routes run finance.queries.ts (the reports' and pending list's statements and
 * row → response mappings) and the range rules of report-range.ts.
 * The messaging routes (sending a message, a page of history) are baseline-messaging.ts.
 */
import { isCurrencyCode, PRACTICE_AREAS, type PracticeArea } from '@lm/domain';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool, type PoolClient } from 'pg';
import twilio from 'twilio';
import { decodeDirectoryCursor, encodeDirectoryCursor } from '../src/modules/marketplace/directory/directory-cursor';
import {
  buildDirectoryQuery,
  directoryPage,
  directoryTotalCap,
  DIRECTORY_SORTS,
  PUBLIC_SLOTS_SQL,
  slotsOf,
  type DirectoryRow,
  type DirectorySortKey,
  type DirectorySort,
  type SlotContextRow,
} from '../src/modules/marketplace/marketplace.queries';
import {
  GRANULARITIES,
  partnerReportStatements,
  pendingPayoutsStatement,
  toPartnerReport,
  toPendingPayouts,
  USER_ZONE_SQL,
  type FunnelRow,
  type Granularity,
  type PartyPeriodRow,
  type PayeeRole,
  type PendingPayoutRow,
  type ReferralPeriodRow,
} from '../src/modules/finance/finance.queries';
import { reportZone, resolveReportRange } from '../src/modules/finance/report-range';
import { toLawyerRating, toPublicReviewsPage } from '../src/modules/reviews/public-reviews.mapping';
import { decodeCursor } from '../src/modules/reviews/review-rules';
import { LAWYER_RATING, publicReviewsQuery, type LawyerRatingRow, type PublicReviewRow } from '../src/modules/reviews/reviews.queries';
import { registerMessagingRoutes } from './baseline-messaging';
import { BENCH_TWILIO } from './video-scenarios';

// The limits of DirectoryQueryDto / PageQueryDto / SlotsQueryDto and DirectoryService.
const MAX_PAGE_SIZE = 100;
const MAX_PRICE_MINOR = 100_000_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = 86_400_000;
const DEFAULT_SLOT_WINDOW_DAYS = 14;
const MAX_SLOT_WINDOW_DAYS = 62;
const DIRECTORY_PARAMS = new Set([
  'page',
  'pageSize',
  'q',
  'practiceArea',
  'jurisdiction',
  'language',
  'currency',
  'maxPriceMinor',
  'sort',
  'cursor',
]);
const SLOTS_PARAMS = new Set(['offeringId', 'from', 'to']);
const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

type Query = Record<string, string | string[] | undefined>;

function fail(reply: FastifyReply, statusCode: number, code: string, message: string) {
  return reply
    .status(statusCode)
    .header('cache-control', 'no-store')
    .send({ statusCode, code, message, requestId: String(reply.request.id) });
}

/** Unknown parameters and repeated ones are refused, like the app's whitelist validation. */
function badParams(query: Query, allowed: Set<string>): string | undefined {
  return Object.keys(query).find((k) => !allowed.has(k) || typeof query[k] !== 'string');
}

function intParam(value: string | undefined, fallback: number, min: number, max: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

async function main(): Promise<void> {
  const [port, databaseUrl, blobRoot] = process.argv.slice(2);
  if (!port || !databaseUrl || !blobRoot) throw new Error('usage: baseline-server <port> <databaseUrl> <blobRoot>');
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const app = Fastify({ logger: false });
  const startedAt = Date.now();

  // Same checks as GET /api/health: database ping, blob root present and writable, pg-boss
  // schema present; plus the no-store header the API sends.
  app.get('/api/health', async (_req, reply) => {
    const [db, jobs] = await Promise.all([
      pool.query('SELECT 1').then(() => 'up' as const),
      pool
        .query("SELECT to_regclass('pgboss.version') IS NOT NULL AS installed")
        .then((r) => (r.rows[0].installed ? 'up' : 'down')),
    ]);
    await mkdir(blobRoot, { recursive: true });
    await access(blobRoot, constants.R_OK | constants.W_OK);
    void reply.header('cache-control', 'no-store');
    return {
      status: 'ok',
      details: { database: { status: db }, storage: { status: 'up' }, jobs: { status: jobs } },
      version: VERSION,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
  });

  // GET /api/lawyers: LawyersDirectoryController.search → DirectoryService.search → DirectoryRepository.search.
  app.get('/api/lawyers', async (req, reply) => {
    const query = req.query as Query;
    const bad = badParams(query, DIRECTORY_PARAMS);
    if (bad) return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${bad}`);
    const p = query as Record<string, string | undefined>;
    const page = intParam(p.page, 1, 1, Number.MAX_SAFE_INTEGER);
    const pageSize = intParam(p.pageSize, 25, 1, MAX_PAGE_SIZE);
    const maxPriceMinor = p.maxPriceMinor === undefined ? undefined : intParam(p.maxPriceMinor, 0, 1, MAX_PRICE_MINOR);
    const invalid = [
      page === undefined && 'page',
      pageSize === undefined && 'pageSize',
      p.q !== undefined && p.q.length > 200 && 'q',
      p.practiceArea !== undefined && !(PRACTICE_AREAS as readonly string[]).includes(p.practiceArea) && 'practiceArea',
      p.jurisdiction !== undefined && p.jurisdiction.length > 100 && 'jurisdiction',
      p.language !== undefined && !/^[A-Za-z]{2}$/.test(p.language) && 'language',
      p.currency !== undefined && !isCurrencyCode(p.currency) && 'currency',
      p.maxPriceMinor !== undefined && maxPriceMinor === undefined && 'maxPriceMinor',
      p.sort !== undefined && !(DIRECTORY_SORTS as readonly string[]).includes(p.sort) && 'sort',
    ].filter(Boolean);
    if (invalid.length || page === undefined || pageSize === undefined)
      return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${invalid.join(', ')}`);
    if (maxPriceMinor !== undefined && !p.currency)
      return fail(
        reply,
        400,
        'INVALID_DIRECTORY_FILTER',
        'currency: required with maxPriceMinor (prices are not converted between currencies)',
      );
    const q = p.q?.trim() || undefined;
    const sort = (p.sort as DirectorySort | undefined) ?? (q ? 'relevance' : 'soonest');
    let after: DirectorySortKey | undefined;
    try {
      after = p.cursor ? decodeDirectoryCursor(p.cursor, sort) : undefined;
    } catch (err) {
      return fail(reply, 400, 'INVALID_DIRECTORY_FILTER', (err as Error).message);
    }
    const filters = {
      after,
      q,
      practiceArea: p.practiceArea as PracticeArea | undefined,
      jurisdiction: p.jurisdiction,
      language: p.language,
      currency: p.currency,
      maxPriceMinor,
      sort,
      page,
      pageSize,
    };
    const { text, values } = buildDirectoryQuery(filters);
    const { rows } = await pool.query<DirectoryRow>(text, values);
    const { items, total, totalCapped, nextKey } = directoryPage(rows, pageSize, directoryTotalCap(filters));
    void reply.header('cache-control', 'no-store');
    return { items, total, totalCapped, nextCursor: nextKey ? encodeDirectoryCursor(sort, nextKey) : null, page, pageSize };
  });

  // GET /api/lawyers/:id/slots: LawyersDirectoryController.slots → DirectoryService.slots.
  app.get<{ Params: { id: string } }>('/api/lawyers/:id/slots', async (req, reply) => {
    const query = req.query as Query;
    const bad = badParams(query, SLOTS_PARAMS);
    if (bad) return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${bad}`);
    const p = query as Record<string, string | undefined>;
    const lawyerId = req.params.id;
    if (!UUID.test(lawyerId)) return fail(reply, 400, 'VALIDATION_FAILED', 'The request is invalid: id');
    const invalid = [
      (p.offeringId === undefined || !UUID.test(p.offeringId)) && 'offeringId',
      p.from !== undefined && !ISO_INSTANT.test(p.from) && 'from',
      p.to !== undefined && !ISO_INSTANT.test(p.to) && 'to',
    ].filter(Boolean);
    if (invalid.length || p.offeringId === undefined)
      return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${invalid.join(', ')}`);
    const now = new Date();
    const from = p.from ? new Date(p.from) : now;
    const to = p.to ? new Date(p.to) : new Date(from.getTime() + DEFAULT_SLOT_WINDOW_DAYS * DAY);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
      return fail(reply, 400, 'INVALID_TIME_RANGE', 'from and to must be valid instants');
    if (to.getTime() <= from.getTime()) return fail(reply, 400, 'INVALID_TIME_RANGE', 'to must be after from');
    if (to.getTime() - from.getTime() > MAX_SLOT_WINDOW_DAYS * DAY)
      return fail(reply, 400, 'INVALID_TIME_RANGE', `The window is at most ${MAX_SLOT_WINDOW_DAYS} days`);
    const { rows } = await pool.query<SlotContextRow & { durationMinutes: number }>(PUBLIC_SLOTS_SQL, [
      lawyerId,
      p.offeringId,
      from.toISOString(),
      to.toISOString(),
    ]);
    const context = rows[0];
    if (!context) return fail(reply, 404, 'OFFERING_NOT_FOUND', 'Offering not found');
    const slots = slotsOf(context, { durationMinutes: context.durationMinutes, from, to, now });
    void reply.header('cache-control', 'no-store');
    return {
      lawyerId,
      offeringId: p.offeringId,
      durationMinutes: context.durationMinutes,
      timeZone: context.timeZone,
      from,
      to,
      slots: slots.map((s) => ({ startAt: s.start, endAt: s.end })),
    };
  });

  registerVideoRoutes(app, pool);
  registerReviewRoutes(app, pool);
  registerFinanceRoutes(app, pool);
  registerMessagingRoutes(app, pool, fail);

  await app.listen({ port: Number(port), host: '127.0.0.1' });
  const stop = () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * GET /api/lawyers/:id/rating and GET /api/lawyers/:id/reviews: LawyerReviewsController →
 * PublicReviewsService → ReviewsRepository, by hand (PublicReviewsQueryDto's limits: cursor ≤ 200
 * characters, limit 1..50, default 10).
 */
function registerReviewRoutes(app: FastifyInstance, pool: Pool): void {
  const REVIEWS_PARAMS = new Set(['cursor', 'limit']);

  app.get<{ Params: { id: string } }>('/api/lawyers/:id/rating', async (req, reply) => {
    const lawyerId = req.params.id;
    if (!UUID.test(lawyerId)) return fail(reply, 400, 'VALIDATION_FAILED', 'The request is invalid: id');
    const row = (await pool.query<LawyerRatingRow>({ ...LAWYER_RATING, values: [lawyerId] })).rows[0];
    if (!row) return fail(reply, 404, 'LAWYER_NOT_FOUND', 'Lawyer not found');
    void reply.header('cache-control', 'no-store');
    return toLawyerRating(lawyerId, row);
  });

  app.get<{ Params: { id: string } }>('/api/lawyers/:id/reviews', async (req, reply) => {
    const query = req.query as Query;
    const bad = badParams(query, REVIEWS_PARAMS);
    if (bad) return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${bad}`);
    const p = query as Record<string, string | undefined>;
    const lawyerId = req.params.id;
    if (!UUID.test(lawyerId)) return fail(reply, 400, 'VALIDATION_FAILED', 'The request is invalid: id');
    const limit = intParam(p.limit, 10, 1, 50);
    if (limit === undefined || (p.cursor !== undefined && p.cursor.length > 200))
      return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${limit === undefined ? 'limit' : 'cursor'}`);
    const position = p.cursor === undefined ? null : decodeCursor(p.cursor);
    if (p.cursor !== undefined && !position) return fail(reply, 400, 'INVALID_CURSOR', 'The cursor is invalid; start again from the first page');
    const { rows } = await pool.query<PublicReviewRow>(publicReviewsQuery(lawyerId, position, limit));
    if (!rows.length) return fail(reply, 404, 'LAWYER_NOT_FOUND', 'Lawyer not found');
    void reply.header('cache-control', 'no-store');
    return toPublicReviewsPage(rows, limit);
  });
}

/**
 * GET /api/partner/reports and GET /api/admin/payouts/pending: PartnerReportsController →
 * ReportsService and AdminPayoutsController → PayoutsService, by hand. The caller is the bearer
 * token's subject (decoded, not verified, as in the video routes), looked up once like the app's
 * authenticator does (role and status), then the same statements as the app, sent the same way
 * (unnamed, through the pool): the zone and the report's three in parallel; the pending list's one.
 * The limits are ReportQueryDto's and PendingPayoutsQueryDto's; the threshold PAYOUT_MINIMUM_MINOR's default.
 */
function registerFinanceRoutes(app: FastifyInstance, pool: Pool): void {
  const REPORT_PARAMS = new Set(['from', 'to', 'granularity']);
  const PENDING_PARAMS = new Set(['currency', 'role', 'minimumMinor', 'page', 'pageSize']);
  const DATE = /^\d{4}-\d{2}-\d{2}$/;
  const PAYOUT_MINIMUM_MINOR = Number(process.env.PAYOUT_MINIMUM_MINOR ?? 1000);
  const calendarDate = (v: string | undefined) => {
    if (v === undefined) return true;
    if (!DATE.test(v)) return false;
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d.getUTCFullYear() >= 1900 && d.getUTCFullYear() <= 9998;
  };

  /** The signed-in caller, if active and of `role`; otherwise the reply already sent. */
  const caller = async (req: { headers: Record<string, string | string[] | undefined> }, reply: FastifyReply, role: string) => {
    const auth = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    const sub = auth.startsWith('Bearer ')
      ? (JSON.parse(Buffer.from(auth.slice(7).split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as { sub?: string }).sub
      : undefined;
    const user = sub && UUID.test(sub) ? (await pool.query<{ role: string; status: string }>('SELECT role, status FROM users WHERE id = $1', [sub])).rows[0] : undefined;
    if (!sub || !user || user.status !== 'ACTIVE') return void fail(reply, 401, 'UNAUTHENTICATED', 'Sign in first');
    if (user.role !== role) return void fail(reply, 403, 'FORBIDDEN', 'Not allowed');
    return sub;
  };

  app.get('/api/partner/reports', async (req, reply) => {
    const partyId = await caller(req, reply, 'PARTNER');
    if (!partyId) return reply;
    const query = req.query as Query;
    const bad = badParams(query, REPORT_PARAMS);
    if (bad) return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${bad}`);
    const p = query as Record<string, string | undefined>;
    const invalid = [
      !calendarDate(p.from) && 'from',
      !calendarDate(p.to) && 'to',
      p.granularity !== undefined && !(GRANULARITIES as readonly string[]).includes(p.granularity) && 'granularity',
    ].filter(Boolean);
    if (invalid.length) return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${invalid.join(', ')}`);
    const [user] = (await pool.query<{ timeZone: string }>(USER_ZONE_SQL, [partyId])).rows;
    const zone = reportZone(user?.timeZone);
    let range;
    try {
      range = resolveReportRange({ from: p.from, to: p.to, granularity: p.granularity as Granularity | undefined }, zone, new Date());
    } catch (e) {
      const error = e as { code?: string; message: string };
      return fail(reply, 400, error.code ?? 'VALIDATION_FAILED', error.message);
    }
    const input = { partyId, zone, ...range };
    const [ledger, referrals, funnel] = partnerReportStatements(input);
    const [ledgerRows, referralRows, funnelRows] = await Promise.all([
      pool.query<PartyPeriodRow>(ledger.text, ledger.values),
      pool.query<ReferralPeriodRow>(referrals.text, referrals.values),
      pool.query<FunnelRow>(funnel.text, funnel.values),
    ]);
    void reply.header('cache-control', 'no-store');
    return toPartnerReport(input, ledgerRows.rows, referralRows.rows, funnelRows.rows);
  });

  app.get('/api/admin/payouts/pending', async (req, reply) => {
    if (!(await caller(req, reply, 'ADMIN'))) return reply;
    const query = req.query as Query;
    const bad = badParams(query, PENDING_PARAMS);
    if (bad) return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${bad}`);
    const p = query as Record<string, string | undefined>;
    const page = intParam(p.page, 1, 1, 100_000);
    const pageSize = intParam(p.pageSize, 25, 1, MAX_PAGE_SIZE);
    const minimumMinor = intParam(p.minimumMinor, PAYOUT_MINIMUM_MINOR, 0, Number.MAX_SAFE_INTEGER);
    const invalid = [
      page === undefined && 'page',
      pageSize === undefined && 'pageSize',
      minimumMinor === undefined && 'minimumMinor',
      p.currency !== undefined && !isCurrencyCode(p.currency) && 'currency',
      p.role !== undefined && p.role !== 'LAWYER' && p.role !== 'PARTNER' && 'role',
    ].filter(Boolean);
    if (invalid.length || page === undefined || pageSize === undefined || minimumMinor === undefined)
      return fail(reply, 400, 'VALIDATION_FAILED', `The request is invalid: ${invalid.join(', ')}`);
    const s = pendingPayoutsStatement({ minimumMinor, currency: p.currency, role: p.role as PayeeRole | undefined }, { page, pageSize });
    const { rows } = await pool.query<PendingPayoutRow>(s.text, s.values);
    void reply.header('cache-control', 'no-store');
    return { ...toPendingPayouts(rows), page, pageSize, minimumMinor };
  });
}

/**
 * The video scenarios' work by hand. Join: one transaction that locks the caller's session row
 * (the bearer token's subject must be its client or lawyer; the token is decoded, not verified),
 * checks the join window, locks the room, reads the participant and appends an audit row to a
 * plain bench table (no hash chain), then signs the same Twilio AccessToken with the SDK.
 * Callback: the X-Twilio-Signature check over PUBLIC_URL + path with the SDK, then one
 * transaction: the `video_callbacks` row (ON CONFLICT DO NOTHING; provider 'baseline'), and for
 * a new event the room locked, the participant read and the attendance row appended.
 */
function registerVideoRoutes(app: FastifyInstance, pool: Pool): void {
  const env = (key: keyof typeof BENCH_TWILIO) => process.env[key] ?? BENCH_TWILIO[key];
  void pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline_audit (id bigserial PRIMARY KEY, action text NOT NULL, payload jsonb NOT NULL, at timestamptz NOT NULL)`);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, body));

  const inTransaction = async <T>(work: (c: PoolClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const result = await work(c);
      await c.query('COMMIT');
      return result;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  };

  app.post<{ Params: { id: string }; Body: { recordingConsent?: unknown } }>('/api/sessions/:id/video/join', async (req, reply) => {
    const auth = req.headers.authorization ?? '';
    const sub = auth.startsWith('Bearer ')
      ? (JSON.parse(Buffer.from(auth.slice(7).split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as { sub?: string }).sub
      : undefined;
    if (!sub) return fail(reply, 401, 'UNAUTHENTICATED', 'Sign in first');
    if (!UUID.test(req.params.id) || typeof req.body?.recordingConsent !== 'boolean') return fail(reply, 400, 'VALIDATION_FAILED', 'The request is invalid');
    const joined = await inTransaction(async (c) => {
      const { rows } = await c.query<{ status: string; startAt: Date; endAt: Date }>(
        `SELECT status, start_at AS "startAt", end_at AS "endAt" FROM legal_sessions WHERE id = $1 AND (client_id = $2 OR lawyer_id = $2) FOR UPDATE`,
        [req.params.id, sub],
      );
      const session = rows[0];
      if (!session) return null;
      const now = Date.now();
      const closesAt = session.endAt.getTime() + 15 * 60_000;
      if (!['SCHEDULED', 'IN_PROGRESS'].includes(session.status) || now < session.startAt.getTime() - 10 * 60_000 || now > closesAt) return 'closed' as const;
      const room = (await c.query<{ roomName: string }>(`SELECT room_name AS "roomName" FROM video_rooms WHERE session_id = $1 FOR UPDATE`, [req.params.id])).rows[0];
      const participant = (
        await c.query<{ identity: string }>(`SELECT identity FROM video_participants WHERE session_id = $1 AND user_id = $2`, [req.params.id, sub])
      ).rows[0];
      if (!room || !participant) return null;
      await c.query(`INSERT INTO bench_baseline_audit (action, payload, at) VALUES ('video.joined', $1, now())`, [
        JSON.stringify({ identity: participant.identity, tokenExpiresAt: new Date(closesAt).toISOString() }),
      ]);
      return { roomName: room.roomName, identity: participant.identity, closesAt };
    });
    if (joined === null) return fail(reply, 404, 'SESSION_NOT_FOUND', 'Session not found');
    if (joined === 'closed') return fail(reply, 409, 'VIDEO_JOIN_CLOSED', 'This session’s call is closed');
    const token = new twilio.jwt.AccessToken(env('TWILIO_ACCOUNT_SID'), env('TWILIO_API_KEY_SID'), env('TWILIO_API_KEY_SECRET'), {
      identity: joined.identity,
      ttl: Math.max(1, Math.min(86_400, Math.floor((joined.closesAt - Date.now()) / 1000))),
    });
    token.addGrant(new twilio.jwt.AccessToken.VideoGrant({ room: joined.roomName }));
    void reply.header('cache-control', 'no-store');
    return { provider: 'twilio', roomName: joined.roomName, identity: joined.identity, token: token.toJwt(), expiresAt: new Date(joined.closesAt) };
  });

  app.post<{ Body: string }>('/api/webhooks/twilio/rooms', async (req, reply) => {
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(typeof req.body === 'string' ? req.body : '')) params[k] = v;
    const signature = req.headers['x-twilio-signature'];
    const url = `${env('PUBLIC_URL')}/api/webhooks/twilio/rooms`;
    if (typeof signature !== 'string' || !twilio.validateRequest(env('TWILIO_AUTH_TOKEN'), signature, url, params)) {
      return fail(reply, 400, 'VIDEO_CALLBACK_SIGNATURE_INVALID', 'The callback signature is missing or invalid');
    }
    const key = `rooms:${params.RoomSid}:${params.StatusCallbackEvent}:${params.ParticipantSid ?? ''}`;
    await inTransaction(async (c) => {
      const stored = await c.query(
        `INSERT INTO video_callbacks (provider, dedupe_key, event, room_sid, params, received_at) VALUES ('baseline', $1, $2, $3, $4, now())
         ON CONFLICT ON CONSTRAINT uq_video_callbacks_event DO NOTHING RETURNING id`,
        [key, params.StatusCallbackEvent, params.RoomSid, JSON.stringify(params)],
      );
      if (stored.rowCount !== 1 || !params.ParticipantIdentity) return;
      const room = (await c.query<{ sessionId: string }>(`SELECT session_id AS "sessionId" FROM video_rooms WHERE provider_room_sid = $1 FOR UPDATE`, [params.RoomSid]))
        .rows[0];
      const p = (
        await c.query<{ sessionId: string; userId: string; role: string }>(
          `SELECT session_id AS "sessionId", user_id AS "userId", role FROM video_participants WHERE identity = $1`,
          [params.ParticipantIdentity],
        )
      ).rows[0];
      if (!room || !p || p.sessionId !== room.sessionId) return;
      await c.query(
        `INSERT INTO video_attendance (session_id, user_id, identity, role, event, occurred_at, source, dedupe_key, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'twilio', $7, now()) ON CONFLICT (dedupe_key) DO NOTHING`,
        [
          room.sessionId,
          p.userId,
          params.ParticipantIdentity,
          p.role,
          params.StatusCallbackEvent === 'participant-connected' ? 'joined' : 'left',
          params.Timestamp,
          `baseline:${key}`,
        ],
      );
    });
    void reply.header('cache-control', 'no-store');
    return { received: true };
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

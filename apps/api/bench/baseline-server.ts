/**
 * The baseline the real app is compared with: bare Fastify + `pg`, no framework, doing the
 * same work per request as the app's scenario. Started as its own process by run.ts:
 *   tsx baseline-server.ts <port> <databaseUrl> <blobRoot>
 *
 * The marketplace routes run the app's own SQL and slot computation (marketplace.queries.ts,
 * which has no Nest or TypeORM dependency), check the same query parameters by hand, apply
 * the same defaults and return the same JSON with the same cache-control header. No caching.
 */
import { isCurrencyCode, PRACTICE_AREAS, type PracticeArea } from '@lm/domain';
import Fastify, { type FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  buildDirectoryQuery,
  directoryItems,
  DIRECTORY_SORTS,
  PUBLIC_SLOTS_SQL,
  slotsOf,
  type DirectoryRow,
  type DirectorySort,
  type SlotContextRow,
} from '../src/modules/marketplace/marketplace.queries';

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
    const { text, values } = buildDirectoryQuery({
      q,
      practiceArea: p.practiceArea as PracticeArea | undefined,
      jurisdiction: p.jurisdiction,
      language: p.language,
      currency: p.currency,
      maxPriceMinor,
      sort: (p.sort as DirectorySort | undefined) ?? (q ? 'relevance' : 'soonest'),
      page,
      pageSize,
    });
    const { rows } = await pool.query<DirectoryRow>(text, values);
    const items = directoryItems(rows);
    void reply.header('cache-control', 'no-store');
    return { items, total: rows[0]?.total ?? 0, page, pageSize };
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

  await app.listen({ port: Number(port), host: '127.0.0.1' });
  const stop = () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

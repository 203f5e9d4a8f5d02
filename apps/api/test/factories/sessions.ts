import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { LegalSession } from '../../src/modules/consultations-core/legal-session';
import { SessionLifecycle } from '../../src/modules/consultations-core/session-lifecycle.service';
import type { TestApp } from '../setup/test-app';
import { createPaidSession } from './payments';
import { bearer, createUser, login, type TestUser } from './users';

export interface TestOffering {
  id: string;
  title: string;
  durationMinutes: number;
  priceMinor: number;
  currency: string;
}

export interface BookableLawyer extends TestUser {
  accessToken: string;
  displayName: string;
  offering: TestOffering;
}

/** Someone calling the API: their user id and access token. */
export interface Caller {
  id: string;
  token: string;
}

/** A new user of `role` (CLIENT by default), signed in. */
export async function signedIn(t: TestApp, opts: { role?: 'CLIENT' | 'ADMIN'; displayName?: string } = {}): Promise<Caller> {
  const user = await createUser(t, { role: opts.role ?? 'CLIENT', displayName: opts.displayName });
  return { id: user.id, token: (await login(t, user)).accessToken };
}

/** A bookable lawyer as a caller. */
export const asCaller = (l: BookableLawyer): Caller => ({ id: l.id, token: l.accessToken });

/** A paid session of `c`, scheduled through the API (POST /api/sessions/schedule) at `startAt`; its id. */
export async function scheduledViaApi(t: TestApp, c: Caller, lawyer: BookableLawyer, startAt: Date): Promise<string> {
  const s = await createSession(t, { clientId: c.id, lawyer });
  await request(t.server)
    .post('/api/sessions/schedule')
    .set(bearer(c.token))
    .send({ sessionId: s.id, startAt: startAt.toISOString() })
    .expect(200);
  return s.id;
}

export interface AvailabilityOptions {
  timeZone?: string;
  /** ISO weekday 1-7 with 'HH:MM' windows; default: every day, all day. */
  weekly?: { weekday: number; start: string; end: string }[];
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  minimumNoticeMinutes?: number;
  maxSessionsPerDay?: number | null;
}

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

/**
 * A VERIFIED lawyer (signed in) with availability and one active offering, written straight
 * to the tables (the marketplace endpoints are not what these specs are about). Defaults: UTC,
 * available around the clock, no buffers, no minimum notice, a 60-minute 90.00 EUR offering.
 */
export async function createBookableLawyer(
  t: TestApp,
  opts: AvailabilityOptions & { displayName?: string; offering?: Partial<Omit<TestOffering, 'id'>> } = {},
): Promise<BookableLawyer> {
  const sql = t.app.get(DataSource);
  const displayName = opts.displayName ?? `Lawyer ${randomBytes(3).toString('hex')}`;
  const [admin, user] = await Promise.all([createUser(t, { role: 'ADMIN' }), createUser(t, { role: 'LAWYER', displayName })]);
  await sql.query(
    `INSERT INTO lawyer_profiles (user_id, bar_number, bar_jurisdiction, jurisdictions, practice_areas, languages, bio, status, verified_at, verified_by)
     VALUES ($1, 'BAR-1', 'Madrid, Spain', '{ES}', '{family}', '{en}', 'Test lawyer', 'VERIFIED', now(), $2)`,
    [user.id, admin.id],
  );
  await sql.query(
    `INSERT INTO lawyer_availability (lawyer_id, time_zone, weekly, buffer_before_minutes, buffer_after_minutes, minimum_notice_minutes, max_sessions_per_day)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      user.id,
      opts.timeZone ?? 'UTC',
      JSON.stringify(opts.weekly ?? ALL_DAY),
      opts.bufferBeforeMinutes ?? 0,
      opts.bufferAfterMinutes ?? 0,
      opts.minimumNoticeMinutes ?? 0,
      opts.maxSessionsPerDay ?? null,
    ],
  );
  const offering = {
    title: 'Initial consultation',
    durationMinutes: 60,
    priceMinor: 9000,
    currency: 'EUR',
    ...opts.offering,
  };
  const rows: { id: string }[] = await sql.query(
    `INSERT INTO offerings (lawyer_id, title, duration_minutes, price_minor, currency) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [user.id, offering.title, offering.durationMinutes, offering.priceMinor, offering.currency],
  );
  const { accessToken } = await login(t, user);
  return { ...user, accessToken, displayName, offering: { id: rows[0]!.id, ...offering } };
}

/**
 * A session of `clientId` for the lawyer's offering: PENDING_PAYMENT through SessionLifecycle,
 * and unless `paid: false` also paid through the payments module's real event path
 * (`createPaidSession`: payment row, ledger posting and the `pay` transition), so refunds of it
 * reverse a real ledger transaction.
 */
export async function createSession(
  t: TestApp,
  input: { clientId: string; lawyer: Pick<BookableLawyer, 'id' | 'offering'>; paid?: boolean },
): Promise<LegalSession> {
  if (input.paid !== false) return createPaidSession(t, { clientId: input.clientId, lawyerId: input.lawyer.id, offering: input.lawyer.offering });
  return t.app.get(DataSource).transaction((m) =>
    t.app.get(SessionLifecycle).createPending(
      m,
      { clientId: input.clientId, lawyerId: input.lawyer.id, offering: input.lawyer.offering, checkoutExpiresAt: new Date(Date.now() + 30 * 60_000) },
      { id: input.clientId, role: 'CLIENT' },
    ),
  );
}

/**
 * Schedules a PAID session at any time (also in the past) through SessionLifecycle, without
 * the availability check: for specs about what happens around and after a session's time.
 */
export async function scheduleDirectly(t: TestApp, sessionId: string, startAt: Date): Promise<LegalSession> {
  const lifecycle = t.app.get(SessionLifecycle);
  return t.app.get(DataSource).transaction(async (m) => {
    const session = await lifecycle.lock(m, sessionId);
    return lifecycle.transition(m, session, 'schedule', { id: session.clientId, role: 'CLIENT' }, { startAt });
  });
}

/**
 * The first slot start at least `minutes` from now for an all-day UTC availability: on the
 * 15-minute grid from midnight, and moved to the next midnight when a session of
 * `durationMinutes` would run past the end of the day (a slot never spans two days' windows).
 */
export function slotAfter(minutes: number, durationMinutes = 60, from = new Date()): Date {
  const step = 15 * 60_000;
  const start = Math.ceil((from.getTime() + minutes * 60_000) / step) * step;
  const nextMidnight = Math.ceil((start + 1) / 86_400_000) * 86_400_000;
  return new Date(start + durationMinutes * 60_000 > nextMidnight ? nextMidnight : start);
}

/** `HH:MM` UTC on the day `days` from today (UTC). */
export function utcDayAt(days: number, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days, h, m));
}

export const HOUR = 60;
export const DAY = 24 * HOUR;

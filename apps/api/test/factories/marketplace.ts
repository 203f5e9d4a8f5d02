import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { TestApp } from '../setup/test-app';
import { bearer, createUser, login, type TestUser } from './users';

export interface WeeklyWindow {
  weekday: number;
  start: string;
  end: string;
}

export interface AvailabilityBody {
  timeZone: string;
  weekly: WeeklyWindow[];
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  minimumNoticeMinutes?: number;
  maxSessionsPerDay?: number | null;
}

export interface OfferingBody {
  title?: string;
  description?: string;
  durationMinutes?: number;
  priceMinor?: number;
  currency?: string;
  active?: boolean;
}

export interface CreatedOffering {
  id: string;
  title: string;
  durationMinutes: number;
  priceMinor: number;
  currency: string;
  active: boolean;
}

export interface MarketLawyer extends TestUser {
  accessToken: string;
  displayName: string;
  offerings: CreatedOffering[];
}

/** Every day, the whole day. */
export const EVERY_DAY = (start = '00:00', end = '24:00'): WeeklyWindow[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

/**
 * A signed-in lawyer with a profile in the given state (default VERIFIED, written straight to
 * `lawyer_profiles` like an admin's decision), then availability and offerings set through the
 * marketplace endpoints (so they are validated, audited and trigger the next-available job).
 */
export async function createMarketLawyer(
  t: TestApp,
  opts: {
    displayName?: string;
    status?: 'VERIFIED' | 'PENDING_VERIFICATION' | 'REJECTED';
    accountStatus?: 'ACTIVE' | 'SUSPENDED';
    practiceAreas?: string[];
    jurisdictions?: string[];
    languages?: string[];
    bio?: string;
    verifiedAt?: Date;
    availability?: AvailabilityBody;
    offerings?: OfferingBody[];
  } = {},
): Promise<MarketLawyer> {
  const sql = t.app.get(DataSource);
  const displayName = opts.displayName ?? `Lawyer ${randomBytes(3).toString('hex')}`;
  const status = opts.status ?? 'VERIFIED';
  const [admin, user] = await Promise.all([createUser(t, { role: 'ADMIN' }), createUser(t, { role: 'LAWYER', displayName })]);
  const { accessToken } = await login(t, user);
  await sql.query(
    `INSERT INTO lawyer_profiles (user_id, bar_number, bar_jurisdiction, jurisdictions, practice_areas, languages, bio, status, rejection_reason, verified_at, verified_by)
     VALUES ($1, 'BAR-1', 'Test bar', $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      user.id,
      opts.jurisdictions ?? ['ES'],
      opts.practiceAreas ?? ['family'],
      opts.languages ?? ['en'],
      opts.bio ?? 'Test lawyer',
      status,
      status === 'REJECTED' ? 'Not admitted' : null,
      status === 'VERIFIED' ? (opts.verifiedAt ?? new Date()) : null,
      status === 'VERIFIED' ? admin.id : null,
    ],
  );
  const lawyer: MarketLawyer = { ...user, accessToken, displayName, offerings: [] };
  if (opts.availability) await putAvailability(t, lawyer, opts.availability);
  for (const body of opts.offerings ?? []) lawyer.offerings.push(await createOffering(t, lawyer, body));
  // Suspended last: a suspended account cannot call the endpoints above.
  if (opts.accountStatus === 'SUSPENDED') await sql.query(`UPDATE users SET status = 'SUSPENDED' WHERE id = $1`, [user.id]);
  return lawyer;
}

export async function putAvailability(
  t: TestApp,
  lawyer: { accessToken: string },
  body: AvailabilityBody,
): Promise<request.Response> {
  const res = await request(t.server)
    .put('/api/lawyer/availability')
    .set(bearer(lawyer.accessToken))
    .send({ bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minimumNoticeMinutes: 0, maxSessionsPerDay: null, ...body });
  if (res.status !== 200) throw new Error(`PUT availability failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

export async function createOffering(
  t: TestApp,
  lawyer: { accessToken: string },
  body: OfferingBody = {},
): Promise<CreatedOffering> {
  const res = await request(t.server)
    .post('/api/lawyer/offerings')
    .set(bearer(lawyer.accessToken))
    .send({ title: 'Initial consultation', durationMinutes: 60, priceMinor: 9000, currency: 'EUR', ...body });
  if (res.status !== 201) throw new Error(`POST offering failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as CreatedOffering;
}

/** GET /api/lawyers/:id/slots; returns the response (status not checked). */
export function getSlots(
  t: TestApp,
  lawyerId: string,
  query: { offeringId: string; from?: Date | string; to?: Date | string },
): request.Test {
  const q: Record<string, string> = { offeringId: query.offeringId };
  if (query.from) q.from = typeof query.from === 'string' ? query.from : query.from.toISOString();
  if (query.to) q.to = typeof query.to === 'string' ? query.to : query.to.toISOString();
  return request(t.server).get(`/api/lawyers/${lawyerId}/slots`).query(q);
}

/** Slot starts of a slots response as ISO strings. */
export const slotStarts = (res: request.Response): string[] => (res.body.slots as { startAt: string }[]).map((s) => s.startAt);

/**
 * A session holding the lawyer's time, inserted straight into `legal_sessions` the way the
 * consultations module stores a booked one (terms copied from the offering). Default SCHEDULED.
 */
export async function insertHeldSession(
  t: TestApp,
  input: { lawyerId: string; offering: CreatedOffering; startAt: Date; status?: string; clientId?: string },
): Promise<string> {
  const sql = t.app.get(DataSource);
  const clientId = input.clientId ?? (await createUser(t, { role: 'CLIENT' })).id;
  const status = input.status ?? 'SCHEDULED';
  const rows: { id: string }[] = await sql.query(
    `INSERT INTO legal_sessions (client_id, lawyer_id, offering_id, offering_title, duration_minutes, price_minor, currency, status,
                                 start_at, end_at, checkout_expires_at, paid_at, cancelled_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9::timestamptz + make_interval(mins => $5), now(),
             CASE WHEN $8 IN ('PENDING_PAYMENT', 'EXPIRED') THEN NULL ELSE now() END,
             CASE WHEN $8 = 'CANCELLED' THEN now() END)
     RETURNING id`,
    [
      clientId,
      input.lawyerId,
      input.offering.id,
      input.offering.title,
      input.offering.durationMinutes,
      input.offering.priceMinor,
      input.offering.currency,
      status,
      input.startAt,
    ],
  );
  return rows[0]!.id;
}

/** 'YYYY-MM-DD' of the day `days` after today in `zone`. */
export function localDate(zone: string, days: number): string {
  return DateTime.now().setZone(zone).startOf('day').plus({ days }).toISODate() as string;
}

/** The instant of wall time `hhmm` on local date `date` in `zone`. */
export function wallClock(zone: string, date: string, hhmm: string): Date {
  return DateTime.fromISO(`${date}T${hhmm}`, { zone }).toJSDate();
}

/** A UTC instant `days` from today (UTC) at `hhmm`. */
export function utcAt(days: number, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days, h, m));
}

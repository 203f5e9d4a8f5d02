import request from 'supertest';
import { DataSource, QueryFailedError } from 'typeorm';
import { isDoubleBooking } from '../../src/modules/consultations/consultations.service';
import { MarketplaceService } from '../../src/modules/marketplace/marketplace.service';
import { createBookableLawyer, createSession, DAY, signedIn, slotAfter, utcDayAt, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';

describe('POST /api/sessions/schedule', () => {
  let t: TestApp;
  let sql: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false' });
    sql = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const client = () => signedIn(t);

  const schedule = (c: Caller, sessionId: string, startAt: Date | string) =>
    request(t.server)
      .post('/api/sessions/schedule')
      .set(bearer(c.token))
      .send({ sessionId, startAt: typeof startAt === 'string' ? startAt : startAt.toISOString() });

  it('20 concurrent bookings of overlapping slots of one lawyer: exactly one wins, the others get 409 SLOT_NOT_AVAILABLE', async () => {
    const lawyer = await createBookableLawyer(t);
    const clients = await Promise.all([client(), client(), client(), client()]);
    const sessions = await Promise.all(Array.from({ length: 20 }, (_, i) => createSession(t, { clientId: clients[i % 4]!.id, lawyer })));
    const base = utcDayAt(3, '10:00');
    // Starts 10:00, 10:15, 10:30, 10:45 with 60-minute sessions: every pair overlaps.
    const responses = await Promise.all(
      sessions.map((s, i) => schedule(clients[i % 4]!, s.id, new Date(base.getTime() + (i % 4) * 15 * 60_000))),
    );

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(new Set(responses.filter((r) => r.status === 409).map((r) => r.body.code))).toEqual(new Set(['SLOT_NOT_AVAILABLE']));

    const rows: { status: string; n: number }[] = await sql.query(
      `SELECT status, count(*)::int AS n FROM legal_sessions WHERE lawyer_id = $1 GROUP BY status ORDER BY status`,
      [lawyer.id],
    );
    expect(rows).toEqual([
      { status: 'PAID', n: 19 },
      { status: 'SCHEDULED', n: 1 },
    ]);
    const winner = responses.find((r) => r.status === 200)!;
    expect(winner.body).toMatchObject({ status: 'SCHEDULED', counterpart: { id: lawyer.id, role: 'LAWYER' } });
    const events: { n: number }[] = await sql.query(`SELECT count(*)::int AS n FROM session_events e JOIN legal_sessions s ON s.id = e.session_id WHERE s.lawyer_id = $1 AND e.action = 'schedule'`, [
      lawyer.id,
    ]);
    expect(events[0]!.n).toBe(1);
  });

  it('an unpaid (PENDING_PAYMENT or EXPIRED) session cannot be scheduled: 409 SESSION_NOT_PAID, nothing written', async () => {
    const lawyer = await createBookableLawyer(t);
    const c = await client();
    const pending = await createSession(t, { clientId: c.id, lawyer, paid: false });
    const res = await schedule(c, pending.id, utcDayAt(4, '10:00')).expect(409);
    expect(res.body.code).toBe('SESSION_NOT_PAID');

    const expired = await createSession(t, { clientId: c.id, lawyer, paid: false });
    await sql.query(`UPDATE legal_sessions SET status = 'EXPIRED' WHERE id = $1`, [expired.id]);
    expect((await schedule(c, expired.id, utcDayAt(4, '12:00')).expect(409)).body.code).toBe('SESSION_NOT_PAID');

    const rows: { status: string; start_at: Date | null }[] = await sql.query('SELECT status, start_at FROM legal_sessions WHERE id = ANY($1)', [[pending.id, expired.id]]);
    expect(rows.every((r) => r.start_at === null)).toBe(true);
    const events: { n: number }[] = await sql.query(`SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND action = 'schedule'`, [pending.id]);
    expect(events[0]!.n).toBe(0);
  });

  it('refuses a time outside the weekly availability and inside a buffer (409 SLOT_NOT_AVAILABLE); books the first slot after the buffer', async () => {
    // Mondays 09:00-12:00 UTC only, 30 minutes kept free after every session.
    const lawyer = await createBookableLawyer(t, { weekly: [{ weekday: 1, start: '09:00', end: '12:00' }], bufferAfterMinutes: 30 });
    const c = await client();
    const [a, b, d] = await Promise.all([createSession(t, { clientId: c.id, lawyer }), createSession(t, { clientId: c.id, lawyer }), createSession(t, { clientId: c.id, lawyer })]);
    const today = new Date();
    const daysToMonday = ((8 - today.getUTCDay()) % 7) + 7; // a Monday one to two weeks ahead
    const monday = (hhmm: string) => utcDayAt(daysToMonday, hhmm);

    expect((await schedule(c, a.id, monday('14:00')).expect(409)).body.code).toBe('SLOT_NOT_AVAILABLE');
    expect((await schedule(c, a.id, utcDayAt(daysToMonday + 1, '09:00')).expect(409)).body.code).toBe('SLOT_NOT_AVAILABLE');
    await schedule(c, a.id, monday('09:00')).expect(200);
    expect((await schedule(c, b.id, monday('10:15')).expect(409)).body.code).toBe('SLOT_NOT_AVAILABLE');
    await schedule(c, b.id, monday('10:30')).expect(200);
    // A slot already taken.
    expect((await schedule(c, d.id, monday('09:00')).expect(409)).body.code).toBe('SLOT_NOT_AVAILABLE');
  });

  it('uses the duration frozen on the session, not the offering as edited later', async () => {
    const lawyer = await createBookableLawyer(t, { weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '10:00' })) });
    const c = await client();
    const s = await createSession(t, { clientId: c.id, lawyer });
    // The lawyer stretches the offering to 2 hours: it would no longer fit a 09:00-10:00 window.
    await sql.query('UPDATE offerings SET duration_minutes = 120 WHERE id = $1', [lawyer.offering.id]);
    const res = await schedule(c, s.id, utcDayAt(2, '09:00')).expect(200);
    expect(res.body).toMatchObject({ durationMinutes: 60, startAt: utcDayAt(2, '09:00').toISOString(), endAt: utcDayAt(2, '10:00').toISOString() });
  });

  it('someone else’s session is 404 SESSION_NOT_FOUND, and so is an unknown id; a lawyer cannot schedule (403)', async () => {
    const lawyer = await createBookableLawyer(t);
    const [owner, other] = await Promise.all([client(), client()]);
    const s = await createSession(t, { clientId: owner.id, lawyer });
    expect((await schedule(other, s.id, slotAfter(2 * DAY)).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
    expect((await schedule(other, '00000000-0000-4000-8000-000000000000', slotAfter(2 * DAY)).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
    await request(t.server).post('/api/sessions/schedule').set(bearer(lawyer.accessToken)).send({ sessionId: s.id, startAt: slotAfter(2 * DAY).toISOString() }).expect(403);
    const [row] = await sql.query('SELECT status FROM legal_sessions WHERE id = $1', [s.id]);
    expect(row.status).toBe('PAID');
  });

  it('bad ids and times are 400 VALIDATION_FAILED, never 500', async () => {
    const lawyer = await createBookableLawyer(t);
    const c = await client();
    const s = await createSession(t, { clientId: c.id, lawyer });
    for (const body of [
      { sessionId: 'not-a-uuid', startAt: '2030-01-07T09:00:00Z' },
      { sessionId: s.id, startAt: '2030-01-07T09:00:00' }, // no offset: ambiguous
      { sessionId: s.id, startAt: '2030-02-30T09:00:00Z' }, // no such day
      { sessionId: s.id, startAt: 'tomorrow at nine' },
      { sessionId: s.id, startAt: 1893574800000 },
      { sessionId: s.id },
      { sessionId: s.id, startAt: '2030-01-07T09:00:00Z', extra: true },
    ]) {
      const res = await request(t.server).post('/api/sessions/schedule').set(bearer(c.token)).send(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }
    // The same instant with an offset is accepted and stored in UTC.
    const local = slotAfter(2 * DAY);
    const withOffset = new Date(local.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    const res = await schedule(c, s.id, withOffset).expect(200);
    expect(res.body.startAt).toBe(local.toISOString());
  });

  it('when the availability check is bypassed, the exclusion constraint still refuses the overlap and the API answers 409 SLOT_NOT_AVAILABLE, not 500', async () => {
    const lawyer = await createBookableLawyer(t);
    const c = await client();
    const [a, b] = await Promise.all([createSession(t, { clientId: c.id, lawyer }), createSession(t, { clientId: c.id, lawyer })]);
    await schedule(c, a.id, utcDayAt(6, '10:00')).expect(200);
    // Simulate a bug (or a race) in the marketplace check: it lets everything through.
    const spy = jest.spyOn(t.app.get(MarketplaceService), 'assertBookable').mockResolvedValue(undefined);
    try {
      const res = await schedule(c, b.id, utcDayAt(6, '10:30'));
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'SLOT_NOT_AVAILABLE' });
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    const [row] = await sql.query('SELECT status, start_at FROM legal_sessions WHERE id = $1', [b.id]);
    expect(row).toEqual({ status: 'PAID', start_at: null });
    const [{ n }] = await sql.query(`SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND action = 'schedule'`, [b.id]);
    expect(n).toBe(0);
  });

  it('the database alone refuses overlapping times of one lawyer (exclusion constraint), but not back-to-back or cancelled ones', async () => {
    const lawyer = await createBookableLawyer(t);
    const c = await client();
    const [a, b] = await Promise.all([createSession(t, { clientId: c.id, lawyer }), createSession(t, { clientId: c.id, lawyer })]);
    const at = (hhmm: string) => utcDayAt(5, hhmm);
    const book = (id: string, start: Date) => sql.query(`UPDATE legal_sessions SET status = 'SCHEDULED', start_at = $2, end_at = $2::timestamptz + interval '60 minutes' WHERE id = $1`, [id, start]);

    await book(a.id, at('10:00'));
    const error = await book(b.id, at('10:59')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string; constraint: string } }).driverError).toMatchObject({
      code: '23P01',
      constraint: 'ex_legal_sessions_no_double_booking',
    });
    // The service maps exactly this error to 409 SLOT_NOT_AVAILABLE.
    expect(isDoubleBooking(error)).toBe(true);

    await book(b.id, at('11:00')); // [10:00, 11:00) and [11:00, 12:00) touch, they do not overlap
    await sql.query(`UPDATE legal_sessions SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1`, [a.id]);
    await book(b.id, at('10:30')); // a cancelled session holds no time
    const [row] = await sql.query('SELECT start_at FROM legal_sessions WHERE id = $1', [b.id]);
    expect(row.start_at.toISOString()).toBe(at('10:30').toISOString());
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  asCaller,
  createBookableLawyer,
  createSession,
  DAY,
  scheduleDirectly,
  scheduledViaApi,
  signedIn,
  slotAfter,
  type BookableLawyer,
  type Caller,
} from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';

/** Unfolds RFC 5545 continuation lines. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const icsStamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

describe('session lifecycle endpoints: complete, timeline, lists, details, calendar', () => {
  let t: TestApp;
  let sql: DataSource;
  let admin: Caller;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false', PUBLIC_URL: 'https://lexmarket.example' });
    sql = t.app.get(DataSource);
    admin = await signedIn(t, { role: 'ADMIN' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const client = (displayName?: string) => signedIn(t, { displayName });
  const post = (c: Caller, path: string, body: object = {}) => request(t.server).post(path).set(bearer(c.token)).send(body);
  const get = (c: Caller, path: string) => request(t.server).get(path).set(bearer(c.token));

  const scheduled = (c: Caller, lawyer: BookableLawyer, startAt: Date) => scheduledViaApi(t, c, lawyer, startAt);

  describe('complete', () => {
    it('is refused before the end (409 SESSION_NOT_ENDED) and done after it, by the session’s lawyer only', async () => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const future = await scheduled(c, lawyer, slotAfter(2 * DAY));
      expect((await post(asCaller(lawyer), `/api/sessions/${future}/complete`).expect(409)).body.code).toBe('SESSION_NOT_ENDED');

      // A session that ran yesterday (booked through the lifecycle; the API never books the past).
      const past = await createSession(t, { clientId: c.id, lawyer });
      await scheduleDirectly(t, past.id, new Date(Date.now() - DAY * 60_000));
      await post(c, `/api/sessions/${past.id}/complete`).expect(403);
      const otherLawyer = await createBookableLawyer(t);
      expect((await post(asCaller(otherLawyer), `/api/sessions/${past.id}/complete`).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
      expect((await get(asCaller(lawyer), `/api/sessions/${past.id}`).expect(200)).body.actions).toMatchObject({ canComplete: true, canCancel: false });

      const res = await post(asCaller(lawyer), `/api/sessions/${past.id}/complete`).expect(200);
      expect(res.body).toMatchObject({ status: 'COMPLETED', actions: { canComplete: false } });
      expect(new Date(res.body.completedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect((await post(asCaller(lawyer), `/api/sessions/${past.id}/complete`).expect(409)).body.code).toBe('SESSION_TRANSITION_NOT_ALLOWED');

      // Only a held session completes: a PAID one without a time is a conflict.
      const paid = await createSession(t, { clientId: c.id, lawyer });
      expect((await post(asCaller(lawyer), `/api/sessions/${paid.id}/complete`).expect(409)).body.code).toBe('SESSION_TRANSITION_NOT_ALLOWED');
    });
  });

  describe('timeline', () => {
    it('appends one session_events row and one audit entry per transition, and the database refuses to change them', async () => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const id = await scheduled(c, lawyer, slotAfter(3 * DAY));
      await post(c, `/api/sessions/${id}/reschedule`, { startAt: slotAfter(4 * DAY).toISOString() }).expect(200);
      await post(asCaller(lawyer), `/api/sessions/${id}/cancel`, { reason: 'Court hearing' }).expect(200);

      const events: { action: string; from_status: string | null; to_status: string; actor_id: string | null }[] = await sql.query(
        'SELECT action, from_status, to_status, actor_id FROM session_events WHERE session_id = $1 ORDER BY id',
        [id],
      );
      expect(events).toEqual([
        { action: 'create', from_status: null, to_status: 'PENDING_PAYMENT', actor_id: c.id },
        { action: 'pay', from_status: 'PENDING_PAYMENT', to_status: 'PAID', actor_id: null },
        { action: 'schedule', from_status: 'PAID', to_status: 'SCHEDULED', actor_id: c.id },
        { action: 'reschedule', from_status: 'SCHEDULED', to_status: 'SCHEDULED', actor_id: c.id },
        { action: 'cancel', from_status: 'SCHEDULED', to_status: 'CANCELLED', actor_id: lawyer.id },
      ]);
      const audit: { action: string }[] = await sql.query(`SELECT action FROM audit_events WHERE subject_type = 'session' AND subject_id = $1 ORDER BY seq`, [id]);
      expect(audit.map((a) => a.action)).toEqual(['session.created', 'session.paid', 'session.scheduled', 'session.rescheduled', 'session.cancelled']);
      const [{ version }] = await sql.query('SELECT version FROM legal_sessions WHERE id = $1', [id]);
      expect(version).toBe(5); // created (with its checkout), paid, scheduled, rescheduled, cancelled

      const detail = await get(c, `/api/sessions/${id}`).expect(200);
      expect(detail.body.events.map((e: { action: string }) => e.action)).toEqual(['create', 'pay', 'schedule', 'reschedule', 'cancel']);
      expect(detail.body.events[4]).toMatchObject({ actorRole: 'LAWYER', reason: 'Court hearing', cancellationPolicy: 'LAWYER_CANCELLED' });

      await expect(sql.query(`UPDATE session_events SET action = 'pay' WHERE session_id = $1`, [id])).rejects.toThrow(/append-only/);
      await expect(sql.query('DELETE FROM session_events WHERE session_id = $1', [id])).rejects.toThrow(/append-only/);
      const [{ n }] = await sql.query('SELECT count(*)::int AS n FROM session_events WHERE session_id = $1', [id]);
      expect(n).toBe(5);
    });

    it('lists the events in the order they happened when their ids gain a digit (sorted as numbers, not as text)', async () => {
      // Move the identity to just below the next power of ten: this session's events straddle it
      // (…98, …99, 1…00), which text order ("100" < "99") would put first.
      const [{ last }] = await sql.query(`SELECT COALESCE(max(id), 1)::bigint AS last FROM session_events`);
      const below = 10 ** String(last).length - 3;
      await sql.query(`SELECT setval(pg_get_serial_sequence('session_events', 'id'), $1)`, [below]);
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const id = await scheduled(c, lawyer, slotAfter(3 * DAY));
      await post(c, `/api/sessions/${id}/reschedule`, { startAt: slotAfter(4 * DAY).toISOString() }).expect(200);
      await post(asCaller(lawyer), `/api/sessions/${id}/cancel`, { reason: 'Court hearing' }).expect(200);

      const detail = await get(c, `/api/sessions/${id}`).expect(200);
      const ids = detail.body.events.map((e: { id: string }) => BigInt(e.id));
      expect(String(ids[0]).length).toBeLessThan(String(ids[ids.length - 1]).length);
      expect(detail.body.events.map((e: { action: string }) => e.action)).toEqual(['create', 'pay', 'schedule', 'reschedule', 'cancel']);
    });
  });

  describe('lists and details', () => {
    it('each participant lists and reads only their own sessions, with names, offering, price and times; others get 404', async () => {
      const lawyer = await createBookableLawyer(t, { displayName: 'Ana López', offering: { title: 'Tenancy review', priceMinor: 12500, currency: 'EUR' } });
      const otherLawyer = await createBookableLawyer(t);
      const alice = await client('Alice Client');
      const bob = await client('Bob Client');
      const start = slotAfter(2 * DAY);
      const aliceScheduled = await scheduled(alice, lawyer, start);
      const alicePaid = (await createSession(t, { clientId: alice.id, lawyer })).id;
      const bobPaid = (await createSession(t, { clientId: bob.id, lawyer })).id;
      const foreign = (await createSession(t, { clientId: bob.id, lawyer: otherLawyer })).id;

      const mine = await get(alice, '/api/sessions').expect(200);
      expect(mine.body).toMatchObject({ total: 2, page: 1, pageSize: 25 });
      expect(mine.body.items.map((s: { id: string }) => s.id).sort()).toEqual([aliceScheduled, alicePaid].sort());
      expect(mine.body.items.find((s: { id: string }) => s.id === aliceScheduled)).toMatchObject({
        status: 'SCHEDULED',
        offeringTitle: 'Tenancy review',
        priceMinor: 12500,
        currency: 'EUR',
        startAt: start.toISOString(),
        endAt: new Date(start.getTime() + 3_600_000).toISOString(),
        counterpart: { id: lawyer.id, displayName: 'Ana López', role: 'LAWYER' },
        client: { id: alice.id, displayName: 'Alice Client' },
      });

      const lawyers = await get(asCaller(lawyer), '/api/sessions').expect(200);
      expect(lawyers.body.total).toBe(3);
      expect(lawyers.body.items.map((s: { id: string }) => s.id).sort()).toEqual([aliceScheduled, alicePaid, bobPaid].sort());
      expect(lawyers.body.items.find((s: { id: string }) => s.id === bobPaid).counterpart).toEqual({ id: bob.id, displayName: 'Bob Client', role: 'CLIENT' });

      // Filters: one status, several statuses, upcoming; pagination with totals.
      expect((await get(asCaller(lawyer), '/api/sessions?status=PAID').expect(200)).body.total).toBe(2);
      expect((await get(asCaller(lawyer), '/api/sessions?status=PAID&status=SCHEDULED').expect(200)).body.total).toBe(3);
      expect((await get(asCaller(lawyer), '/api/sessions?status=SCHEDULED,CANCELLED').expect(200)).body.total).toBe(1);
      const upcoming = await get(asCaller(lawyer), '/api/sessions?upcoming=true').expect(200);
      expect(upcoming.body.items.map((s: { id: string }) => s.id)).toEqual([aliceScheduled]);
      const page2 = await get(asCaller(lawyer), '/api/sessions?pageSize=2&page=2').expect(200);
      expect(page2.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
      expect(page2.body.items).toHaveLength(1);
      for (const bad of ['status=DONE', 'upcoming=maybe', 'view=soon', 'pageSize=1000', 'page=0']) {
        expect((await get(alice, `/api/sessions?${bad}`).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }

      // Details: participants only.
      const detail = await get(alice, `/api/sessions/${aliceScheduled}`).expect(200);
      expect(detail.body).toMatchObject({
        id: aliceScheduled,
        counterpart: { displayName: 'Ana López' },
        payment: { amountMinor: 12500, currency: 'EUR', refundedMinor: 0 },
        refunds: [],
        actions: { canSchedule: false, canReschedule: true, canCancel: true, canComplete: false },
      });
      expect((await get(alice, `/api/sessions/${alicePaid}`).expect(200)).body.actions).toEqual({
        canSchedule: true,
        canReschedule: false,
        canCancel: true,
        canComplete: false,
        canProposeReschedule: false,
        canAnswerProposal: false,
        canWithdrawProposal: false,
      });
      expect((await get(asCaller(lawyer), `/api/sessions/${alicePaid}`).expect(200)).body.actions).toEqual({
        canSchedule: false,
        canReschedule: false,
        canCancel: true,
        canComplete: false,
        canProposeReschedule: false,
        canAnswerProposal: false,
        canWithdrawProposal: false,
      });
      for (const [caller, id] of [
        [bob, aliceScheduled],
        [asCaller(otherLawyer), aliceScheduled],
        [alice, foreign],
        [asCaller(lawyer), foreign],
        [alice, '00000000-0000-4000-8000-000000000000'],
      ] as const) {
        const res = await get(caller, `/api/sessions/${id}`);
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'SESSION_NOT_FOUND' });
      }
      expect((await get(alice, '/api/sessions/not-a-uuid').expect(400)).body.code).toBe('VALIDATION_FAILED');
      await get(admin, `/api/sessions/${aliceScheduled}`).expect(403);
      await get(admin, '/api/sessions').expect(403);
    });

    it('admins list every session with filters and read any session through /api/admin/sessions', async () => {
      const lawyer = await createBookableLawyer(t);
      const [c1, c2] = await Promise.all([client(), client()]);
      const a = await scheduled(c1, lawyer, slotAfter(2 * DAY));
      const b = (await createSession(t, { clientId: c2.id, lawyer })).id;
      const d = (await createSession(t, { clientId: c2.id, lawyer, paid: false })).id;

      const byLawyer = await get(admin, `/api/admin/sessions?lawyerId=${lawyer.id}`).expect(200);
      expect(byLawyer.body.total).toBe(3);
      expect(byLawyer.body.items.map((s: { id: string }) => s.id)).toEqual([d, b, a]); // newest first
      expect(byLawyer.body.items[0]).toMatchObject({ lawyer: { id: lawyer.id }, client: { id: c2.id }, status: 'PENDING_PAYMENT' });
      expect((await get(admin, `/api/admin/sessions?clientId=${c2.id}&status=PAID`).expect(200)).body.items.map((s: { id: string }) => s.id)).toEqual([b]);
      expect((await get(admin, `/api/admin/sessions?lawyerId=${lawyer.id}&status=SCHEDULED,PENDING_PAYMENT`).expect(200)).body.total).toBe(2);
      expect((await get(admin, '/api/admin/sessions?lawyerId=nope').expect(400)).body.code).toBe('VALIDATION_FAILED');

      const one = await get(admin, `/api/admin/sessions/${a}`).expect(200);
      expect(one.body).toMatchObject({ id: a, status: 'SCHEDULED', payment: { amountMinor: 9000 }, refunds: [] });
      expect(one.body.events.map((e: { action: string }) => e.action)).toEqual(['create', 'pay', 'schedule']);
      expect((await get(admin, '/api/admin/sessions/00000000-0000-4000-8000-000000000000').expect(404)).body.code).toBe('SESSION_NOT_FOUND');
      await get(c1, `/api/admin/sessions/${a}`).expect(403);
      await get(asCaller(lawyer), '/api/admin/sessions').expect(403);
    });
  });

  describe('calendar file', () => {
    it('gives each participant an .ics with UTC times, a stable UID, SEQUENCE = version and the counterpart in the title', async () => {
      const lawyer = await createBookableLawyer(t, { displayName: 'Ana López', offering: { title: 'Tenancy review' } });
      const c = await client('Carla Client');
      const start = slotAfter(3 * DAY);
      const id = await scheduled(c, lawyer, start);

      const res = await get(c, `/api/sessions/${id}/calendar.ics`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/calendar/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="session-${id}.ics"`);
      const ics = unfold(res.text);
      expect(ics).toContain(`DTSTART:${icsStamp(start)}\r\n`);
      expect(ics).toContain(`DTEND:${icsStamp(new Date(start.getTime() + 3_600_000))}\r\n`);
      expect(ics).toContain(`UID:session-${id}@lexmarket.example\r\n`);
      expect(ics).toContain('SUMMARY:Tenancy review with Ana López\r\n');
      expect(ics).toContain(`URL:https://lexmarket.example/sessions/${id}\r\n`);
      expect(ics).toContain('SEQUENCE:3\r\n'); // created (with its checkout), paid, scheduled

      const lawyerIcs = unfold((await get(asCaller(lawyer), `/api/sessions/${id}/calendar.ics`).expect(200)).text);
      expect(lawyerIcs).toContain('SUMMARY:Tenancy review with Carla Client\r\n');
      expect(/UID:(.+)\r\n/.exec(lawyerIcs)?.[1]).toBe(/UID:(.+)\r\n/.exec(ics)?.[1]);

      const moved = slotAfter(4 * DAY);
      await post(c, `/api/sessions/${id}/reschedule`, { startAt: moved.toISOString() }).expect(200);
      const after = unfold((await get(c, `/api/sessions/${id}/calendar.ics`).expect(200)).text);
      expect(after).toContain(`UID:session-${id}@lexmarket.example\r\n`);
      expect(after).toContain('SEQUENCE:4\r\n'); // one more change: rescheduled
      expect(after).toContain(`DTSTART:${icsStamp(moved)}\r\n`);
    });

    it('is 409 SESSION_NOT_SCHEDULED without a booked time (or once cancelled), 404 for anyone else', async () => {
      const lawyer = await createBookableLawyer(t);
      const [c, stranger] = await Promise.all([client(), client()]);
      const paid = await createSession(t, { clientId: c.id, lawyer });
      expect((await get(c, `/api/sessions/${paid.id}/calendar.ics`).expect(409)).body.code).toBe('SESSION_NOT_SCHEDULED');
      const id = await scheduled(c, lawyer, slotAfter(2 * DAY));
      expect((await get(stranger, `/api/sessions/${id}/calendar.ics`).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
      await post(c, `/api/sessions/${id}/cancel`).expect(200);
      expect((await get(c, `/api/sessions/${id}/calendar.ics`).expect(409)).body.code).toBe('SESSION_NOT_SCHEDULED');
    });
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  asCaller,
  createBookableLawyer,
  createSession,
  DAY,
  HOUR,
  scheduledViaApi,
  signedIn,
  slotAfter,
  utcDayAt,
  type BookableLawyer,
  type Caller,
} from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';

describe('reschedule and cancel', () => {
  let t: TestApp;
  let sql: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false' });
    sql = t.app.get(DataSource);
  });
  afterEach(() => t.clock.reset());

  afterAll(async () => {
    await t?.close();
  });

  const client = () => signedIn(t);

  const post = (c: Caller, path: string, body: object = {}) => request(t.server).post(path).set(bearer(c.token)).send(body);
  const get = (c: Caller, path: string) => request(t.server).get(path).set(bearer(c.token));

  const scheduled = (c: Caller, lawyer: BookableLawyer, startAt: Date) => scheduledViaApi(t, c, lawyer, startAt);

  const money = async (sessionId: string) => {
    const payments: { id: string; amount_minor: string; refunded_minor: string }[] = await sql.query(
      'SELECT id, amount_minor, refunded_minor FROM payments WHERE session_id = $1',
      [sessionId],
    );
    const refunds: { amount_minor: string; status: string; requested_by: string | null }[] = await sql.query(
      'SELECT amount_minor, status, requested_by FROM refunds WHERE session_id = $1 ORDER BY created_at',
      [sessionId],
    );
    return { payments, refunds };
  };

  describe('reschedule', () => {
    it('moves the slot, keeps the single payment, charges and refunds nothing, frees the old slot, and is audited with both times', async () => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const from = slotAfter(3 * DAY);
      const to = slotAfter(4 * DAY);
      const id = await scheduled(c, lawyer, from);
      const before = await money(id);

      const res = await post(c, `/api/sessions/${id}/reschedule`, { startAt: to.toISOString() }).expect(200);
      expect(res.body).toMatchObject({ status: 'SCHEDULED', startAt: to.toISOString(), endAt: new Date(to.getTime() + 3_600_000).toISOString() });
      expect(res.body.payment).toMatchObject({ amountMinor: 9000, currency: 'EUR', refundedMinor: 0 });
      expect(res.body.refunds).toEqual([]);

      const after = await money(id);
      expect(after).toEqual(before);
      expect(after.payments).toHaveLength(1);
      expect(after.refunds).toEqual([]);
      const [{ n: paymentsOfClient }] = await sql.query('SELECT count(*)::int AS n FROM payments WHERE client_id = $1', [c.id]);
      expect(paymentsOfClient).toBe(1);

      // The old slot is free again for anyone.
      const other = await client();
      await scheduled(other, lawyer, from);

      const events: { action: string; payload: Record<string, unknown> }[] = await sql.query(
        `SELECT action, payload FROM session_events WHERE session_id = $1 ORDER BY id`,
        [id],
      );
      expect(events.map((e) => e.action)).toEqual(['create', 'pay', 'schedule', 'reschedule']);
      expect(events[3]!.payload).toMatchObject({ fromStartAt: from.toISOString(), toStartAt: to.toISOString() });
      const audit: { payload: Record<string, unknown>; actor_id: string }[] = await sql.query(
        `SELECT payload, actor_id FROM audit_events WHERE action = 'session.rescheduled' AND subject_id = $1`,
        [id],
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_id: c.id, payload: { from: 'SCHEDULED', to: 'SCHEDULED', fromStartAt: from.toISOString(), toStartAt: to.toISOString() } });
    });

    it('may overlap the session’s own current time, but not another session (409 SLOT_NOT_AVAILABLE)', async () => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const first = utcDayAt(3, '10:00');
      const id = await scheduled(c, lawyer, first);
      const otherStart = new Date(first.getTime() + 3 * 3_600_000);
      await scheduled(c, lawyer, otherStart);

      const shifted = new Date(first.getTime() + 15 * 60_000);
      await post(c, `/api/sessions/${id}/reschedule`, { startAt: shifted.toISOString() }).expect(200);
      const taken = await post(c, `/api/sessions/${id}/reschedule`, { startAt: otherStart.toISOString() }).expect(409);
      expect(taken.body.code).toBe('SLOT_NOT_AVAILABLE');
      const [row] = await sql.query('SELECT start_at FROM legal_sessions WHERE id = $1', [id]);
      expect(row.start_at.toISOString()).toBe(shifted.toISOString());
    });

    it('the client cannot move it within 24 h of the start (409 RESCHEDULE_TOO_LATE); the lawyer can only propose a time, which the client may accept', async () => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const soon = slotAfter(3 * HOUR);
      const id = await scheduled(c, lawyer, soon);
      const later = slotAfter(2 * DAY);
      expect((await post(c, `/api/sessions/${id}/reschedule`, { startAt: later.toISOString() }).expect(409)).body.code).toBe('RESCHEDULE_TOO_LATE');
      const detail = await get(c, `/api/sessions/${id}`).expect(200);
      expect(detail.body.actions).toMatchObject({ canReschedule: false, canCancel: true });
      const lawyerView = await get(asCaller(lawyer), `/api/sessions/${id}`).expect(200);
      expect(lawyerView.body.actions).toMatchObject({ canReschedule: false, canProposeReschedule: true, canCancel: true, canSchedule: false });

      expect((await post(asCaller(lawyer), `/api/sessions/${id}/reschedule`, { startAt: later.toISOString() }).expect(409)).body.code).toBe('RESCHEDULE_NEEDS_CLIENT_CONSENT');
      await post(asCaller(lawyer), `/api/sessions/${id}/reschedule-proposal`, { startAt: later.toISOString() }).expect(200);
      // Inside the 24-hour window the client can still accept the lawyer's proposal.
      const moved = await post(c, `/api/sessions/${id}/reschedule-proposal/accept`).expect(200);
      expect(moved.body.startAt).toBe(later.toISOString());
      const [audit] = await sql.query(`SELECT actor_role FROM audit_events WHERE action = 'session.rescheduled' AND subject_id = $1`, [id]);
      expect(audit.actor_role).toBe('CLIENT');
    });

    it('only a SCHEDULED session can be moved (409), by its participants only (404)', async () => {
      const lawyer = await createBookableLawyer(t);
      const [c, stranger] = await Promise.all([client(), client()]);
      const paid = await createSession(t, { clientId: c.id, lawyer });
      const to = slotAfter(3 * DAY).toISOString();
      expect((await post(c, `/api/sessions/${paid.id}/reschedule`, { startAt: to }).expect(409)).body.code).toBe('SESSION_TRANSITION_NOT_ALLOWED');
      const id = await scheduled(c, lawyer, slotAfter(2 * DAY));
      expect((await post(stranger, `/api/sessions/${id}/reschedule`, { startAt: to }).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
      const otherLawyer = await createBookableLawyer(t);
      expect((await post(asCaller(otherLawyer), `/api/sessions/${id}/reschedule`, { startAt: to }).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
      await post(c, `/api/sessions/${id}/reschedule`, { startAt: 'next week' }).expect(400);
      await post(c, '/api/sessions/not-a-uuid/reschedule', { startAt: to }).expect(400);
    });
  });

  describe('free times of one session (GET /api/sessions/:id/slots)', () => {
    const starts = (res: request.Response): string[] => (res.body.slots as { startAt: string }[]).map((s) => s.startAt);
    const day = (d: Date) => ({ from: new Date(d.getTime() - 2 * 3_600_000).toISOString(), to: new Date(d.getTime() + 4 * 3_600_000).toISOString() });
    const slotsOf = (c: Caller, id: string, w: { from: string; to: string }) => get(c, `/api/sessions/${id}/slots?from=${w.from}&to=${w.to}`);

    it('offers a quarter-hour shift of a scheduled session that the public slots (which count it as busy) do not', async () => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const start = utcDayAt(3, '10:00');
      const id = await scheduled(c, lawyer, start);
      const shifted = new Date(start.getTime() + 15 * 60_000).toISOString();
      const w = day(start);

      const publicSlots = await request(t.server)
        .get(`/api/lawyers/${lawyer.id}/slots?offeringId=${lawyer.offering.id}&from=${w.from}&to=${w.to}`)
        .expect(200);
      expect(starts(publicSlots)).not.toContain(shifted);

      for (const caller of [c, asCaller(lawyer)]) {
        const res = await slotsOf(caller, id, w).expect(200);
        expect(res.body).toMatchObject({ sessionId: id, durationMinutes: 60, currentStartAt: start.toISOString(), timeZone: 'UTC', from: w.from, to: w.to });
        expect(starts(res)).toEqual(expect.arrayContaining([start.toISOString(), shifted]));
        expect(res.body.slots[0].endAt).toBe(new Date(new Date(res.body.slots[0].startAt).getTime() + 3_600_000).toISOString());
      }
      await post(c, `/api/sessions/${id}/reschedule`, { startAt: shifted }).expect(200);
      // The time it left is free again, the one it took is not.
      const after = starts(await slotsOf(c, id, w).expect(200));
      const other = await createSession(t, { clientId: c.id, lawyer });
      const forOther = starts(await slotsOf(c, other.id, w).expect(200));
      expect(after).toContain(start.toISOString());
      expect(forOther).not.toContain(start.toISOString());
      expect(forOther).not.toContain(shifted);
      expect(forOther).toContain(new Date(start.getTime() + 75 * 60_000).toISOString());
    });

    it('moving a session to the time it already has changes nothing (a retried reschedule writes no event)', async () => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const start = slotAfter(3 * DAY);
      const id = await scheduled(c, lawyer, start);
      const count = async () => (await sql.query('SELECT count(*)::int AS n FROM session_events WHERE session_id = $1', [id]))[0].n as number;
      const before = await count();
      const res = await post(c, `/api/sessions/${id}/reschedule`, { startAt: start.toISOString() }).expect(200);
      expect(res.body).toMatchObject({ status: 'SCHEDULED', startAt: start.toISOString(), version: expect.any(Number) });
      expect(await count()).toBe(before);
    });

    it('uses the duration frozen at sale, also after the lawyer shortened and withdrew the offering', async () => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const paid = await createSession(t, { clientId: c.id, lawyer });
      await sql.query('UPDATE offerings SET duration_minutes = 30, active = false WHERE id = $1', [lawyer.offering.id]);
      const start = utcDayAt(4, '09:00');
      const w = day(start);

      await request(t.server).get(`/api/lawyers/${lawyer.id}/slots?offeringId=${lawyer.offering.id}&from=${w.from}&to=${w.to}`).expect(404);
      const res = await slotsOf(c, paid.id, w).expect(200);
      expect(res.body).toMatchObject({ durationMinutes: 60, currentStartAt: null });
      const slot = (res.body.slots as { startAt: string; endAt: string }[]).find((s) => s.startAt === start.toISOString());
      expect(slot).toEqual({ startAt: start.toISOString(), endAt: new Date(start.getTime() + 3_600_000).toISOString() });
      const booked = await post(c, '/api/sessions/schedule', { sessionId: paid.id, startAt: slot!.startAt }).expect(200);
      expect(booked.body).toMatchObject({ status: 'SCHEDULED', durationMinutes: 60, endAt: slot!.endAt });
    });

    it('answers only what the caller may do now: 404 for others, 409 with the action’s own code, 400 for a bad window', async () => {
      const lawyer = await createBookableLawyer(t);
      const [c, stranger] = await Promise.all([client(), client()]);
      const unpaid = await createSession(t, { clientId: c.id, lawyer, paid: false });
      const paid = await createSession(t, { clientId: c.id, lawyer });
      const soon = await scheduled(c, lawyer, slotAfter(3 * HOUR));
      const w = day(utcDayAt(3, '10:00'));

      expect((await slotsOf(stranger, paid.id, w).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
      expect((await slotsOf(c, unpaid.id, w).expect(409)).body.code).toBe('SESSION_NOT_PAID');
      // Only the client who paid books the first time; within 24 h only the lawyer may move it.
      expect((await slotsOf(asCaller(lawyer), paid.id, w).expect(409)).body.code).toBe('SESSION_TRANSITION_NOT_ALLOWED');
      expect((await slotsOf(c, soon, w).expect(409)).body.code).toBe('RESCHEDULE_TOO_LATE');
      await slotsOf(asCaller(lawyer), soon, w).expect(200);

      expect((await slotsOf(c, paid.id, { from: w.to, to: w.from }).expect(400)).body.code).toBe('INVALID_TIME_RANGE');
      expect((await get(c, `/api/sessions/${paid.id}/slots?from=tomorrow`).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await get(c, `/api/sessions/${paid.id}/slots?offeringId=${lawyer.offering.id}`).expect(400)).body.code).toBe('VALIDATION_FAILED');
      const defaults = await get(c, `/api/sessions/${paid.id}/slots`).expect(200);
      expect(new Date(defaults.body.to).getTime() - new Date(defaults.body.from).getTime()).toBe(14 * 86_400_000);
    });
  });

  describe('cancel with the refund policy', () => {
    const cases: {
      name: string;
      by: 'CLIENT' | 'LAWYER';
      /** Minutes from now of the booked start, or null for a PAID session without a time. */
      startIn: number | null;
      policy: string;
      refundMinor: number;
    }[] = [
      { name: 'client, more than 24 h before the start → full refund', by: 'CLIENT', startIn: 3 * DAY, policy: 'CLIENT_MORE_THAN_24H', refundMinor: 9000 },
      { name: 'client, within 24 h of the start → no refund', by: 'CLIENT', startIn: 3 * HOUR, policy: 'CLIENT_WITHIN_24H', refundMinor: 0 },
      { name: 'client, paid but not scheduled → full refund', by: 'CLIENT', startIn: null, policy: 'CLIENT_BEFORE_SCHEDULING', refundMinor: 9000 },
      { name: 'lawyer, within 24 h of the start → full refund', by: 'LAWYER', startIn: 3 * HOUR, policy: 'LAWYER_CANCELLED', refundMinor: 9000 },
      { name: 'lawyer, before scheduling → full refund', by: 'LAWYER', startIn: null, policy: 'LAWYER_CANCELLED', refundMinor: 9000 },
    ];

    it.each(cases)('$name; the quote shown first equals the result', async ({ by, startIn, policy, refundMinor }) => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const startAt = startIn === null ? null : slotAfter(startIn);
      const id = startAt ? await scheduled(c, lawyer, startAt) : (await createSession(t, { clientId: c.id, lawyer })).id;
      const caller = by === 'CLIENT' ? c : asCaller(lawyer);

      const quote = await get(caller, `/api/sessions/${id}/cancellation-quote`).expect(200);
      expect(quote.body).toEqual({ policy, refundMinor, currency: 'EUR' });

      const res = await post(caller, `/api/sessions/${id}/cancel`, { reason: 'Plans changed' }).expect(200);
      expect({ policy: res.body.policy, refundMinor: res.body.refundMinor, currency: res.body.currency }).toEqual(quote.body);
      expect(res.body.session).toMatchObject({ status: 'CANCELLED', actions: { canCancel: false, canReschedule: false, canSchedule: false } });

      const { payments, refunds } = await money(id);
      expect(payments).toHaveLength(1);
      if (refundMinor > 0) {
        expect(refunds).toEqual([{ amount_minor: String(refundMinor), status: 'PENDING', requested_by: caller.id }]);
        expect(res.body.refund).toMatchObject({ amountMinor: refundMinor, currency: 'EUR', status: 'PENDING' });
        expect(res.body.session.refunds).toHaveLength(1);
      } else {
        expect(refunds).toEqual([]);
        expect(res.body.refund).toBeNull();
      }

      const [row] = await sql.query('SELECT status, cancelled_by, cancelled_at FROM legal_sessions WHERE id = $1', [id]);
      expect(row).toMatchObject({ status: 'CANCELLED', cancelled_by: caller.id });
      expect(row.cancelled_at).toBeInstanceOf(Date);
      const [event] = await sql.query(`SELECT actor_role, payload FROM session_events WHERE session_id = $1 AND action = 'cancel'`, [id]);
      expect(event).toMatchObject({ actor_role: by, payload: { policy, refundMinor, reason: 'Plans changed' } });
      const cancelEvent = res.body.session.events.find((e: { action: string }) => e.action === 'cancel');
      expect(cancelEvent).toMatchObject({ fromStatus: startAt ? 'SCHEDULED' : 'PAID', toStatus: 'CANCELLED', actorRole: by, reason: 'Plans changed', cancellationPolicy: policy });

      // Twice is a conflict, and so is asking for a quote now; nothing more is refunded.
      expect((await post(caller, `/api/sessions/${id}/cancel`).expect(409)).body.code).toBe('SESSION_TRANSITION_NOT_ALLOWED');
      expect((await get(caller, `/api/sessions/${id}/cancellation-quote`).expect(409)).body.code).toBe('SESSION_TRANSITION_NOT_ALLOWED');
      expect((await money(id)).refunds).toHaveLength(refundMinor > 0 ? 1 : 0);

      // A cancelled session holds no time: its slot can be booked again.
      if (startAt) await scheduled(await client(), lawyer, startAt);
    });

    it('an unpaid checkout can be dropped by the client (nothing to refund), not by the lawyer', async () => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const pending = await createSession(t, { clientId: c.id, lawyer, paid: false });
      expect((await post(asCaller(lawyer), `/api/sessions/${pending.id}/cancel`).expect(409)).body.code).toBe('SESSION_TRANSITION_NOT_ALLOWED');
      expect((await get(c, `/api/sessions/${pending.id}/cancellation-quote`).expect(200)).body).toEqual({ policy: 'NOTHING_PAID', refundMinor: 0, currency: 'EUR' });
      const res = await post(c, `/api/sessions/${pending.id}/cancel`).expect(200);
      expect(res.body).toMatchObject({ policy: 'NOTHING_PAID', refundMinor: 0, refund: null, session: { status: 'CANCELLED', payment: null } });
      expect(await money(pending.id)).toEqual({ payments: [], refunds: [] });
    });

    it('concurrent cancels of one session: one succeeds, one refund, the others 409', async () => {
      const lawyer = await createBookableLawyer(t);
      const c = await client();
      const id = await scheduled(c, lawyer, slotAfter(3 * DAY));
      const responses = await Promise.all(Array.from({ length: 5 }, () => post(c, `/api/sessions/${id}/cancel`)));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
      expect((await money(id)).refunds).toEqual([{ amount_minor: '9000', status: 'PENDING', requested_by: c.id }]);
    });

    it('not after the start (409 SESSION_ALREADY_STARTED); strangers get 404', async () => {
      const lawyer = await createBookableLawyer(t);
      const [c, stranger] = await Promise.all([client(), client()]);
      const startAt = slotAfter(2 * DAY);
      const id = await scheduled(c, lawyer, startAt);
      expect((await post(stranger, `/api/sessions/${id}/cancel`).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
      expect((await get(stranger, `/api/sessions/${id}/cancellation-quote`).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
      // Move time to 10 minutes after the booked start (as if the session were running now).
      t.clock.advance(startAt.getTime() + 10 * 60_000 - Date.now());
      expect((await post(c, `/api/sessions/${id}/cancel`).expect(409)).body.code).toBe('SESSION_ALREADY_STARTED');
      expect((await post(asCaller(lawyer), `/api/sessions/${id}/cancel`).expect(409)).body.code).toBe('SESSION_ALREADY_STARTED');
      await post(c, `/api/sessions/${id}/cancel`, { reason: 'x'.repeat(501) }).expect(400);
    });
  });
});

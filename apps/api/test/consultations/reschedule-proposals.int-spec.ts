import request from 'supertest';
import { DataSource } from 'typeorm';
import { asCaller, createBookableLawyer, createSession, DAY, HOUR, scheduledViaApi, signedIn, slotAfter, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';

/** Issue 11: a lawyer proposes a new time; the client accepts or declines; both see it; it is recorded. */
describe('reschedule proposals (lawyer proposes, client decides)', () => {
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

  const post = (c: Caller, path: string, body: object = {}) => request(t.server).post(path).set(bearer(c.token)).send(body);
  const get = (c: Caller, path: string) => request(t.server).get(path).set(bearer(c.token));
  const events = (id: string): Promise<{ action: string; from_status: string; to_status: string; actor_role: string; payload: Record<string, unknown> }[]> =>
    sql.query('SELECT action, from_status, to_status, actor_role, payload FROM session_events WHERE session_id = $1 ORDER BY id', [id]);
  const audit = (id: string): Promise<{ action: string }[]> =>
    sql.query(`SELECT action FROM audit_events WHERE subject_id = $1 AND action LIKE 'session.%' ORDER BY seq`, [id]);

  const setUp = async () => {
    const lawyer = await createBookableLawyer(t);
    const client = await signedIn(t);
    const from = slotAfter(3 * DAY);
    const to = slotAfter(4 * DAY);
    const id = await scheduledViaApi(t, client, lawyer, from);
    return { lawyer: asCaller(lawyer), lawyerUser: lawyer, client, from, to, id };
  };

  it('a lawyer cannot move the session directly: 409 RESCHEDULE_NEEDS_CLIENT_CONSENT, and their actions offer a proposal instead', async () => {
    const { lawyer, id, to } = await setUp();
    expect((await post(lawyer, `/api/sessions/${id}/reschedule`, { startAt: to.toISOString() }).expect(409)).body.code).toBe('RESCHEDULE_NEEDS_CLIENT_CONSENT');
    const detail = await get(lawyer, `/api/sessions/${id}`).expect(200);
    expect(detail.body.actions).toMatchObject({ canReschedule: false, canProposeReschedule: true, canAnswerProposal: false, canWithdrawProposal: false });
    // The lawyer still sees the free times to propose from.
    expect((await get(lawyer, `/api/sessions/${id}/slots`).expect(200)).body.slots.length).toBeGreaterThan(0);
  });

  it('propose → the session keeps its time with a pending proposal; accept → it moves (reschedule, proposal accepted)', async () => {
    const { lawyer, client, id, from, to } = await setUp();
    const proposed = await post(lawyer, `/api/sessions/${id}/reschedule-proposal`, { startAt: to.toISOString() }).expect(200);
    expect(proposed.body).toMatchObject({
      status: 'SCHEDULED',
      startAt: from.toISOString(),
      proposedStartAt: to.toISOString(),
      proposedEndAt: new Date(to.getTime() + HOUR * 60_000).toISOString(),
    });
    expect(proposed.body.actions).toMatchObject({ canWithdrawProposal: true, canProposeReschedule: false });
    // One open proposal per session.
    const second = slotAfter(5 * DAY);
    expect((await post(lawyer, `/api/sessions/${id}/reschedule-proposal`, { startAt: second.toISOString() }).expect(409)).body.code).toBe('RESCHEDULE_PROPOSAL_OPEN');

    const seen = await get(client, `/api/sessions/${id}`).expect(200);
    expect(seen.body.actions).toMatchObject({ canAnswerProposal: true });
    expect(seen.body.events.at(-1)).toMatchObject({ action: 'reschedule_proposed', actorRole: 'LAWYER', proposedStartAt: to.toISOString(), previousStartAt: from.toISOString() });
    // It shows in the client's "needs action" list, not in "upcoming".
    const action = await get(client, '/api/sessions?view=action').expect(200);
    expect(action.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    expect((await get(client, '/api/sessions?view=upcoming').expect(200)).body.items).toEqual([]);
    // Every view answers for the lawyer too (the fuzz suite found "past" failing with a 500).
    for (const view of ['upcoming', 'action', 'past']) await get(lawyer, `/api/sessions?view=${view}`).expect(200);
    expect((await get(lawyer, '/api/sessions?view=past').expect(200)).body.items).toEqual([]);

    const accepted = await post(client, `/api/sessions/${id}/reschedule-proposal/accept`).expect(200);
    expect(accepted.body).toMatchObject({ status: 'SCHEDULED', startAt: to.toISOString(), proposedStartAt: null });
    expect(accepted.body.events.at(-1)).toMatchObject({ action: 'reschedule', proposal: 'accepted' });
    const rows = await events(id);
    expect(rows.slice(-2)).toEqual([
      { action: 'reschedule_proposed', from_status: 'SCHEDULED', to_status: 'SCHEDULED', actor_role: 'LAWYER', payload: { fromStartAt: from.toISOString(), toStartAt: to.toISOString() } },
      {
        action: 'reschedule',
        from_status: 'SCHEDULED',
        to_status: 'SCHEDULED',
        actor_role: 'CLIENT',
        payload: { fromStartAt: from.toISOString(), toStartAt: to.toISOString(), proposal: 'accepted', startAt: to.toISOString() },
      },
    ]);
    expect((await audit(id)).map((a) => a.action).slice(-2)).toEqual(['session.reschedule_proposed', 'session.rescheduled']);
    expect((await post(client, `/api/sessions/${id}/reschedule-proposal/accept`).expect(409)).body.code).toBe('NO_RESCHEDULE_PROPOSAL');
    // The old time is free again.
    const other = await signedIn(t);
    const again = await createSession(t, { clientId: other.id, lawyer: { id: lawyer.id, offering: (await setUpOffering(lawyer.id)) } });
    await post(other, '/api/sessions/schedule', { sessionId: again.id, startAt: from.toISOString() }).expect(200);
  });

  const setUpOffering = async (lawyerId: string) => {
    const [o] = await sql.query('SELECT id, title, duration_minutes AS "durationMinutes", price_minor::int AS "priceMinor", currency FROM offerings WHERE lawyer_id = $1 LIMIT 1', [lawyerId]);
    return o;
  };

  it('decline and keep: the time stays, reschedule_declined { outcome: kept }; only the client answers, only the lawyer proposes', async () => {
    const { lawyer, client, id, from, to } = await setUp();
    expect((await post(client, `/api/sessions/${id}/reschedule-proposal`, { startAt: to.toISOString() }).expect(403)).body.code).toBe('FORBIDDEN');
    await post(lawyer, `/api/sessions/${id}/reschedule-proposal`, { startAt: to.toISOString() }).expect(200);
    expect((await post(lawyer, `/api/sessions/${id}/reschedule-proposal/accept`).expect(403)).body.code).toBe('FORBIDDEN');
    const stranger = await signedIn(t);
    expect((await post(stranger, `/api/sessions/${id}/reschedule-proposal/decline`, { outcome: 'keep' }).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
    expect((await post(client, `/api/sessions/${id}/reschedule-proposal/decline`, { outcome: 'maybe' }).expect(400)).body.code).toBe('VALIDATION_FAILED');

    const kept = await post(client, `/api/sessions/${id}/reschedule-proposal/decline`, { outcome: 'keep' }).expect(200);
    expect(kept.body).toMatchObject({ status: 'SCHEDULED', startAt: from.toISOString(), proposedStartAt: null });
    expect((await events(id)).at(-1)).toMatchObject({
      action: 'reschedule_declined',
      actor_role: 'CLIENT',
      payload: { fromStartAt: from.toISOString(), toStartAt: to.toISOString(), outcome: 'kept' },
    });
    expect((await audit(id)).at(-1)!.action).toBe('session.reschedule_declined');
  });

  it('decline and cancel within 24 h of the start: CANCELLED with a FULL refund (LAWYER_CANCELLED, proposal declined)', async () => {
    const lawyerUser = await createBookableLawyer(t);
    const lawyer = asCaller(lawyerUser);
    const client = await signedIn(t);
    const from = slotAfter(10 * HOUR);
    const id = await scheduledViaApi(t, client, lawyerUser, from);
    await post(lawyer, `/api/sessions/${id}/reschedule-proposal`, { startAt: slotAfter(3 * DAY).toISOString() }).expect(200);
    const res = await post(client, `/api/sessions/${id}/reschedule-proposal/decline`, { outcome: 'cancel', reason: 'Cannot make the new time' }).expect(200);
    expect(res.body).toMatchObject({ status: 'CANCELLED', proposedStartAt: null });
    expect(res.body.refunds).toEqual([expect.objectContaining({ amountMinor: 9000, currency: 'EUR' })]);
    expect((await events(id)).at(-1)).toMatchObject({
      action: 'cancel',
      actor_role: 'CLIENT',
      payload: expect.objectContaining({ policy: 'LAWYER_CANCELLED', proposal: 'declined', refundMinor: 9000, currency: 'EUR', reason: 'Cannot make the new time' }),
    });
  });

  it('withdraw: reschedule_withdrawn { toStartAt }; answering afterwards is 409 NO_RESCHEDULE_PROPOSAL', async () => {
    const { lawyer, client, id, to } = await setUp();
    expect((await post(lawyer, `/api/sessions/${id}/reschedule-proposal/withdraw`).expect(409)).body.code).toBe('NO_RESCHEDULE_PROPOSAL');
    await post(lawyer, `/api/sessions/${id}/reschedule-proposal`, { startAt: to.toISOString() }).expect(200);
    await post(lawyer, `/api/sessions/${id}/reschedule-proposal/withdraw`).expect(200);
    expect((await events(id)).at(-1)).toMatchObject({ action: 'reschedule_withdrawn', actor_role: 'LAWYER', payload: { toStartAt: to.toISOString() } });
    expect((await post(client, `/api/sessions/${id}/reschedule-proposal/decline`, { outcome: 'keep' }).expect(409)).body.code).toBe('NO_RESCHEDULE_PROPOSAL');
  });

  it('refuses a proposal in the past, at the current time or not free (SLOT_NOT_AVAILABLE), and any proposal once the session started', async () => {
    const { lawyer, id, from } = await setUp();
    const past = new Date(Math.floor((Date.now() - 2 * 3_600_000) / 900_000) * 900_000);
    expect((await post(lawyer, `/api/sessions/${id}/reschedule-proposal`, { startAt: past.toISOString() }).expect(409)).body.code).toBe('SLOT_NOT_AVAILABLE');
    expect((await post(lawyer, `/api/sessions/${id}/reschedule-proposal`, { startAt: from.toISOString() }).expect(409)).body.code).toBe('SLOT_NOT_AVAILABLE');
    expect(await events(id).then((e) => e.filter((x) => x.action === 'reschedule_proposed'))).toEqual([]);
    t.clock.advance((3 * DAY + 60) * 60_000);
    expect((await post(lawyer, `/api/sessions/${id}/reschedule-proposal`, { startAt: slotAfter(5 * DAY).toISOString() }).expect(409)).body.code).toBe('SESSION_ALREADY_STARTED');
  });

  it('accept racing another booking of the same slot: exactly one wins; a lost proposal stays open to decline', async () => {
    const { lawyer, lawyerUser, client, id, from, to } = await setUp();
    await post(lawyer, `/api/sessions/${id}/reschedule-proposal`, { startAt: to.toISOString() }).expect(200);
    const rival = await signedIn(t);
    const rivalSession = await createSession(t, { clientId: rival.id, lawyer: lawyerUser });
    const [accept, book] = await Promise.all([
      post(client, `/api/sessions/${id}/reschedule-proposal/accept`),
      post(rival, '/api/sessions/schedule', { sessionId: rivalSession.id, startAt: to.toISOString() }),
    ]);
    expect([accept.status, book.status].sort()).toEqual([200, 409]);
    const loser = accept.status === 409 ? accept : book;
    expect(loser.body.code).toBe('SLOT_NOT_AVAILABLE');
    const [{ n }] = await sql.query(`SELECT count(*)::int AS n FROM legal_sessions WHERE lawyer_id = $1 AND start_at = $2 AND status = 'SCHEDULED'`, [lawyer.id, to]);
    expect(n).toBe(1);
    if (accept.status === 409) {
      const detail = await get(client, `/api/sessions/${id}`).expect(200);
      expect(detail.body).toMatchObject({ startAt: from.toISOString(), proposedStartAt: to.toISOString() });
      expect(detail.body.actions.canAnswerProposal).toBe(true);
    }
  });

  it('the client’s own reschedule stays direct (no proposal in the payload) and closes an open proposal', async () => {
    const { lawyer, client, id, to } = await setUp();
    await post(lawyer, `/api/sessions/${id}/reschedule-proposal`, { startAt: to.toISOString() }).expect(200);
    const own = slotAfter(6 * DAY);
    const res = await post(client, `/api/sessions/${id}/reschedule`, { startAt: own.toISOString() }).expect(200);
    expect(res.body).toMatchObject({ startAt: own.toISOString(), proposedStartAt: null });
    const last = (await events(id)).at(-1)!;
    expect(last.action).toBe('reschedule');
    expect(last.payload).not.toHaveProperty('proposal');
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import { VideoService } from '../../src/modules/video';
import { OverdueCallsService } from '../../src/modules/video/overdue-calls.service';
import { createSellableOffering, findSession, payAtStripe, startCheckout, stripeFakeEnv } from '../factories/payments';
import { scheduleDirectly, signedIn, type Caller } from '../factories/sessions';
import { bearer, createUser, login } from '../factories/users';
import { startStripeFake, type StripeFake } from '../payments/stripe-fake-server';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';

const MINUTE = 60_000;
const PRICE = 12_000;
const DESCRIPTION = 'The other side never joined the call.';

/**
 * Issue 13, done-when 5: an admin's no-show decision, through the real refund path (the app's
 * Stripe SDK against the local Stripe fake, the refund job, the ledger). A lawyer no-show
 * refunds the client exactly once however many times (and however concurrently) it is decided;
 * a client no-show leaves the payment with the lawyer; a dismissal changes nothing.
 */
describe('no-show resolution', () => {
  let fake: StripeFake;
  let t: TestApp;
  let sql: DataSource;
  let admin: Caller;
  let secondAdmin: Caller;

  beforeAll(async () => {
    fake = await startStripeFake();
    t = await createTestApp({ ...stripeFakeEnv(fake), THROTTLE_LIMIT: '100000' });
    sql = t.app.get(DataSource);
    admin = await signedIn(t, { role: 'ADMIN', displayName: 'Admin Alice' });
    secondAdmin = await signedIn(t, { role: 'ADMIN', displayName: 'Admin Bob' });
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const post = (c: Caller, path: string, body: object = {}) => request(t.server).post(path).set(bearer(c.token)).send(body);
  const get = (c: Caller, path: string) => request(t.server).get(path).set(bearer(c.token));
  const resolve = (c: Caller, ticketId: string, decision: string, note?: string) =>
    post(c, `/api/admin/support/tickets/${ticketId}/no-show-resolution`, { decision, ...(note ? { note } : {}) });

  /** A session paid at (the fake) Stripe through the webhook, scheduled to have started 30 minutes ago. */
  async function paidStartedSession(): Promise<{ client: Caller; lawyer: Caller; sessionId: string }> {
    const offering = await createSellableOffering(t, { priceMinor: PRICE, currency: 'EUR', title: 'Tenancy advice' });
    const clientUser = await createUser(t, { role: 'CLIENT', displayName: 'Carla Client' });
    const client = { id: clientUser.id, token: (await login(t, clientUser)).accessToken };
    const lawyer = { id: offering.lawyer.id, token: (await login(t, offering.lawyer)).accessToken };
    const { sessionId } = await startCheckout(t, client.token, offering.offeringId);
    await payAtStripe(t, fake, sessionId);
    await scheduleDirectly(t, sessionId, new Date(t.clock.now().getTime() - 30 * MINUTE));
    return { client, lawyer, sessionId };
  }

  const report = async (who: Caller, category: 'NO_SHOW_LAWYER' | 'NO_SHOW_CLIENT', sessionId: string): Promise<string> =>
    (await post(who, '/api/support/tickets', { category, sessionId, description: DESCRIPTION }).expect(201)).body.id;

  const money = async (sessionId: string) => {
    const [payment] = await sql.query(
      'SELECT amount_minor::int AS amount, refunded_minor::int AS refunded FROM payments WHERE session_id = $1',
      [sessionId],
    );
    const refunds: { id: string; amount: number; status: string; reason: string; requestedBy: string }[] = await sql.query(
      'SELECT id, amount_minor::int AS amount, status, reason, requested_by AS "requestedBy" FROM refunds WHERE session_id = $1 ORDER BY created_at',
      [sessionId],
    );
    const [{ n: reversals }] = await sql.query(
      `SELECT count(*)::int AS n FROM ledger_transactions l JOIN refunds r ON r.id = l.refund_id WHERE r.session_id = $1 AND l.kind = 'REFUND'`,
      [sessionId],
    );
    return { payment, refunds, reversals: reversals as number };
  };
  const sessionEvents = async (sessionId: string) =>
    sql.query(
      `SELECT action, from_status AS "from", to_status AS "to", actor_id AS "actorId", payload FROM session_events WHERE session_id = $1 ORDER BY id`,
      [sessionId],
    );
  const auditCount = async (action: string, subjectId: string) =>
    Number(
      (
        await sql.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND subject_id = $2`, [action, subjectId])
      )[0].n,
    );
  const mails = async (userId: string, template: string): Promise<{ subject: string; bodyText: string }[]> =>
    sql.query(
      `SELECT subject, body_text AS "bodyText" FROM email_outbox WHERE user_id = $1 AND template = $2 ORDER BY created_at`,
      [userId, template],
    );

  it('lawyer no-show: two concurrent decisions → one refund of everything paid, one ledger reversal, NO_SHOW_LAWYER, events and audit once', async () => {
    const { client, lawyer, sessionId } = await paidStartedSession();
    const ticketId = await report(client, 'NO_SHOW_LAWYER', sessionId);

    const [a, b] = await Promise.all([
      resolve(admin, ticketId, 'LAWYER_NO_SHOW', 'Attendance log shows only the client.'),
      resolve(secondAdmin, ticketId, 'LAWYER_NO_SHOW', 'Attendance log shows only the client.'),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    for (const res of [a, b]) {
      expect(res.body).toMatchObject({
        id: ticketId,
        status: 'RESOLVED',
        resolution: 'LAWYER_NO_SHOW',
        resolutionNote: 'Attendance log shows only the client.',
        session: { id: sessionId, status: 'NO_SHOW_LAWYER', payment: { amountMinor: PRICE } },
      });
      expect(res.body.session.refunds).toHaveLength(1);
    }

    // One refund, for everything paid, sent to Stripe by the job and reversed in the ledger once.
    const pending = await money(sessionId);
    expect(pending.refunds).toEqual([
      expect.objectContaining({ amount: PRICE, reason: `The lawyer did not attend (no-show report ${ticketId})` }),
    ]);
    expect([admin.id, secondAdmin.id]).toContain(pending.refunds[0]!.requestedBy);
    await eventually(
      () => money(sessionId),
      (m) => m.refunds[0]?.status === 'SUCCEEDED' && m.reversals === 1,
      20_000,
    );
    expect(await money(sessionId)).toEqual({
      payment: { amount: PRICE, refunded: PRICE },
      refunds: [expect.objectContaining({ amount: PRICE, status: 'SUCCEEDED' })],
      reversals: 1,
    });
    const stripeRefunds = fake
      .sent('/v1/refunds', 'POST')
      .filter((r) => (r.params.metadata as Record<string, string>)?.sessionId === sessionId);
    expect(new Set(stripeRefunds.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set([`refund-${pending.refunds[0]!.id}`]),
    );

    // The session moved once, through the lifecycle, naming the ticket.
    expect((await findSession(t, sessionId)).status).toBe('NO_SHOW_LAWYER');
    const noShows = (await sessionEvents(sessionId)).filter((e: { action: string }) => e.action === 'no_show_lawyer');
    expect(noShows).toEqual([
      {
        action: 'no_show_lawyer',
        from: 'SCHEDULED',
        to: 'NO_SHOW_LAWYER',
        actorId: expect.any(String),
        payload: { ticketId, note: 'Attendance log shows only the client.' },
      },
    ]);
    expect(await auditCount('session.no_show_lawyer', sessionId)).toBe(1);
    expect(await auditCount('support.no_show_resolved', ticketId)).toBe(1);
    expect(
      Number(
        (
          await sql.query(
            `SELECT count(*)::int AS n FROM audit_events WHERE action = 'refund.requested' AND payload->>'sessionId' = $1`,
            [sessionId],
          )
        )[0].n,
      ),
    ).toBe(1);
    const ticketEvents = (await get(admin, `/api/admin/support/tickets/${ticketId}`).expect(200)).body.events;
    expect(ticketEvents.filter((e: { action: string }) => e.action === 'no_show_resolved')).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          decision: 'LAWYER_NO_SHOW',
          refundId: pending.refunds[0]!.id,
          refundMinor: PRICE,
          sessionStatus: 'NO_SHOW_LAWYER',
        }),
      }),
    ]);

    // The reporter is told once, with the refund; the payments module tells them when it is sent.
    const told = await mails(client.id, 'support.ticket_resolved');
    expect(told).toHaveLength(1);
    expect(told[0]!.bodyText).toContain('the lawyer did not attend');
    expect(told[0]!.bodyText).toMatch(/refunded €120\.00|refunded EUR\s?120\.00|refunded 120\.00/);
    await eventually(
      () => mails(client.id, 'refund.succeeded'),
      (rows) => rows.length === 1,
    );
    // The absent lawyer is told what support recorded, once (not the reporter: they have the ticket).
    const [absent, ...more] = await mails(lawyer.id, 'session.no_show');
    expect(more).toEqual([]);
    expect(absent!.bodyText).toContain('recorded that you did not attend');
    expect(absent!.bodyText).toContain('The client is refunded in full.');
    expect(await mails(client.id, 'session.no_show')).toEqual([]);

    // A third click with the same decision: the current state, nothing more. Another decision: 409.
    await resolve(admin, ticketId, 'LAWYER_NO_SHOW').expect(200);
    const other = await resolve(admin, ticketId, 'CLIENT_NO_SHOW');
    expect([other.status, other.body.code]).toEqual([409, 'TICKET_ALREADY_RESOLVED']);
    expect((await money(sessionId)).refunds).toHaveLength(1);
    expect(await auditCount('support.no_show_resolved', ticketId)).toBe(1);
  }, 60_000);

  it('client no-show: NO_SHOW_CLIENT and the lawyer keeps the payment (no refund, no reversal)', async () => {
    const { client, lawyer, sessionId } = await paidStartedSession();
    const ticketId = await report(lawyer, 'NO_SHOW_CLIENT', sessionId);
    const res = await resolve(admin, ticketId, 'CLIENT_NO_SHOW').expect(200);
    expect(res.body).toMatchObject({
      status: 'RESOLVED',
      resolution: 'CLIENT_NO_SHOW',
      assignee: { id: admin.id },
      session: { status: 'NO_SHOW_CLIENT', refunds: [] },
    });
    expect((await findSession(t, sessionId)).status).toBe('NO_SHOW_CLIENT');
    expect(await money(sessionId)).toEqual({ payment: { amount: PRICE, refunded: 0 }, refunds: [], reversals: 0 });
    expect(await auditCount('session.no_show_client', sessionId)).toBe(1);
    const [told] = await mails(lawyer.id, 'support.ticket_resolved');
    expect(told!.bodyText).toContain('the payment stays with the lawyer');
    expect(told!.bodyText).not.toContain('You will be refunded');
    const [absent] = await mails(client.id, 'session.no_show');
    expect(absent!.bodyText).toContain('The payment stays with the lawyer');
    expect(await mails(lawyer.id, 'session.no_show')).toEqual([]);
  });

  it('decides a call the video module auto-completed when only the client joined, on its attendance evidence', async () => {
    const { client, sessionId } = await paidStartedSession();
    const join = await post(client, `/api/sessions/${sessionId}/video/join`, { recordingConsent: false }).expect(200);
    const video = t.app.get(VideoService);
    const participant = (await video.participantByIdentity(null, join.body.identity))!;
    await sql.transaction((m) =>
      video.recordAttendance(m, participant, 'joined', { source: 'signalling', occurredAt: t.clock.now() }),
    );
    // The call's window closes (end + 15 min grace) and the overdue-calls job completes it.
    t.clock.advance(30 * MINUTE + 16 * MINUTE);
    await t.app.get(OverdueCallsService).closeOverdue();
    expect((await findSession(t, sessionId)).status).toBe('COMPLETED');

    const ticketId = await report(client, 'NO_SHOW_LAWYER', sessionId);
    const detail = (await get(admin, `/api/admin/support/tickets/${ticketId}`).expect(200)).body;
    expect(detail.session).toMatchObject({
      id: sessionId,
      status: 'COMPLETED',
      offeringTitle: 'Tenancy advice',
      client: { id: client.id, displayName: 'Carla Client' },
      payment: { amountMinor: PRICE, currency: 'EUR', refundedMinor: 0 },
      refunds: [],
    });
    expect(detail.attendance).toEqual([{ role: 'CLIENT', event: 'joined', at: expect.any(String), source: 'signalling' }]);

    await resolve(admin, ticketId, 'LAWYER_NO_SHOW').expect(200);
    expect((await findSession(t, sessionId)).status).toBe('NO_SHOW_LAWYER');
    const last = (await sessionEvents(sessionId)).at(-1);
    expect(last).toMatchObject({ action: 'no_show_lawyer', from: 'COMPLETED', to: 'NO_SHOW_LAWYER' });
    await eventually(
      () => money(sessionId),
      (m) => m.reversals === 1,
      20_000,
    );
    expect((await money(sessionId)).refunds).toEqual([expect.objectContaining({ amount: PRICE, status: 'SUCCEEDED' })]);
  }, 60_000);

  it('dismisses without touching the session or the money; a repeat is a no-op and another decision a 409', async () => {
    const { lawyer, sessionId } = await paidStartedSession();
    const ticketId = await report(lawyer, 'NO_SHOW_CLIENT', sessionId);
    const dismissed = (await resolve(admin, ticketId, 'DISMISS', 'The client was there.').expect(200)).body;
    expect(dismissed).toMatchObject({
      status: 'REJECTED',
      resolution: 'DISMISSED',
      resolutionNote: 'The client was there.',
      session: { status: 'SCHEDULED' },
    });
    await resolve(admin, ticketId, 'DISMISS').expect(200);
    const changed = await resolve(admin, ticketId, 'CLIENT_NO_SHOW');
    expect([changed.status, changed.body.code]).toEqual([409, 'TICKET_ALREADY_RESOLVED']);
    expect((await findSession(t, sessionId)).status).toBe('SCHEDULED');
    expect(await money(sessionId)).toEqual({ payment: { amount: PRICE, refunded: 0 }, refunds: [], reversals: 0 });
    expect(
      (await sessionEvents(sessionId)).map((e: { action: string }) => e.action).filter((a: string) => a.startsWith('no_show')),
    ).toEqual([]);
    const told = await mails(lawyer.id, 'support.ticket_resolved');
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toMatch(/^Closed: /);
    expect(await auditCount('support.no_show_resolved', ticketId)).toBe(1);
  });

  it('keeps both sides’ reports of one session consistent: once a lawyer no-show, the client cannot also be one', async () => {
    const { client, lawyer, sessionId } = await paidStartedSession();
    const byLawyer = await report(lawyer, 'NO_SHOW_CLIENT', sessionId);
    const byClient = await report(client, 'NO_SHOW_LAWYER', sessionId);
    await resolve(admin, byClient, 'LAWYER_NO_SHOW').expect(200);

    const contradicting = await resolve(admin, byLawyer, 'CLIENT_NO_SHOW');
    expect([contradicting.status, contradicting.body.code]).toEqual([409, 'SESSION_TRANSITION_NOT_ALLOWED']);
    // Nothing of the refused decision was kept.
    expect((await get(admin, `/api/admin/support/tickets/${byLawyer}`).expect(200)).body).toMatchObject({
      status: 'OPEN',
      resolution: null,
    });
    // The same finding on the other report: the session stays as it is and nothing more is refunded.
    await resolve(admin, byLawyer, 'LAWYER_NO_SHOW').expect(200);
    expect((await findSession(t, sessionId)).status).toBe('NO_SHOW_LAWYER');
    expect((await money(sessionId)).refunds).toHaveLength(1);
    expect(
      (await sessionEvents(sessionId)).map((e: { action: string }) => e.action).filter((a: string) => a.startsWith('no_show')),
    ).toEqual(['no_show_lawyer']);
  });
});

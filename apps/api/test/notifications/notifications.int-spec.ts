import type Stripe from 'stripe';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SessionLifecycle } from '../../src/modules/consultations-core/session-lifecycle.service';
import { SessionNotifications } from '../../src/modules/notifications/session-notifications';
import { SessionRemindersService } from '../../src/modules/notifications/session-reminders.service';
import { RefundsService } from '../../src/modules/payments/refunds.service';
import { signUp, VALID_PROFILE } from '../factories/lawyers';
import {
  asCaller,
  createBookableLawyer,
  createSession,
  DAY,
  HOUR,
  scheduleDirectly,
  scheduledViaApi,
  signedIn,
  slotAfter,
  type BookableLawyer,
  type Caller,
} from '../factories/sessions';
import { bearer, createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';

const CLIENT_ZONE = 'America/New_York';
const LAWYER_ZONE = 'Europe/Madrid';

interface Mail {
  template: string;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
}
interface InApp {
  kind: string;
  title: string;
  body: string;
  linkPath: string | null;
}

/**
 * Done-when item 2 of issue 11: every lifecycle event gives exactly one email per recipient in
 * the outbox (time in the recipient's own zone, with the zone) and one in-app notification; a
 * rolled-back transaction gives none; reminders go out once even when their job runs twice.
 * Client and lawyer live in different zones (New York, Madrid) so a wrong zone shows.
 */
describe('notifications', () => {
  let t: TestApp;
  let sql: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false', PUBLIC_URL: 'http://lex.test:4100' });
    sql = t.app.get(DataSource);
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => {
    await t?.close();
  });

  const mails = (userId: string, template?: string): Promise<Mail[]> =>
    sql.query(
      `SELECT template, subject, body_text AS "bodyText", body_html AS "bodyHtml" FROM email_outbox
        WHERE user_id = $1 AND ($2::text IS NULL OR template = $2) ORDER BY created_at, id`,
      [userId, template ?? null],
    );
  const inApp = (userId: string, kind?: string): Promise<InApp[]> =>
    sql.query(
      `SELECT kind, title, body, link_path AS "linkPath" FROM notifications
        WHERE user_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY created_at, id`,
      [userId, kind ?? null],
    );
  const setZone = (userId: string, zone: string, locale = 'en') =>
    sql.query('UPDATE users SET time_zone = $2, locale = $3 WHERE id = $1', [userId, zone, locale]);

  /** "HH:mm" of `at` in `zone` (what a reader there sees), computed independently of the templates. */
  const wallClock = (at: Date, zone: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  const clientTime = (at: Date) => new RegExp(`${wallClock(at, CLIENT_ZONE)} E[SD]T \\(America/New_York\\)`);
  const lawyerTime = (at: Date) => new RegExp(`${wallClock(at, LAWYER_ZONE)} GMT\\+[12] \\(Europe/Madrid\\)`);

  /** A lawyer in Madrid and a client in New York, both signed in. */
  async function parties(opts: { lawyerName?: string } = {}): Promise<{ lawyer: BookableLawyer; client: Caller }> {
    const lawyer = await createBookableLawyer(t, { displayName: opts.lawyerName });
    const client = await signedIn(t, { displayName: 'Cleo Client' });
    await setZone(lawyer.id, LAWYER_ZONE);
    await setZone(client.id, CLIENT_ZONE);
    return { lawyer, client };
  }

  /** Exactly one email and one in-app notification of `kind` for the user; returns them. */
  async function exactlyOne(userId: string, kind: string): Promise<{ mail: Mail; note: InApp }> {
    const [m, n] = await Promise.all([mails(userId, kind), inApp(userId, kind)]);
    expect({ mails: m.length, inApp: n.length }).toEqual({ mails: 1, inApp: 1 });
    return { mail: m[0]!, note: n[0]! };
  }

  const post = (c: Caller, path: string, body: object = {}) => request(t.server).post(path).set(bearer(c.token)).send(body);

  it('paid: the client gets a receipt with a "book your time" link, the lawyer a new paid consultation (text and escaped HTML)', async () => {
    const { lawyer, client } = await parties({ lawyerName: 'Ana <b>Bold</b> & Co' });
    const session = await createSession(t, { clientId: client.id, lawyer });

    const c = await exactlyOne(client.id, 'session.paid');
    expect(c.mail.subject).toContain('book your time');
    expect(c.mail.bodyText).toContain('€90.00');
    expect(c.mail.bodyText).toContain(`Book your time: http://lex.test:4100/sessions/${session.id}`);
    expect(c.mail.bodyHtml).toContain(`<a href="http://lex.test:4100/sessions/${session.id}">Book your time</a>`);
    // The lawyer's name is user text: escaped in the HTML, never markup.
    expect(c.mail.bodyHtml).toContain('Ana &lt;b&gt;Bold&lt;/b&gt; &amp; Co');
    expect(c.mail.bodyHtml).not.toContain('<b>Bold</b>');
    expect(c.note).toMatchObject({ title: c.mail.subject, linkPath: `/sessions/${session.id}` });

    const l = await exactlyOne(lawyer.id, 'session.paid');
    expect(l.mail.subject).toBe('New paid consultation from Cleo Client');
    // Nothing else yet (no scheduled/other messages).
    expect((await mails(lawyer.id)).map((m) => m.template)).toEqual(['session.paid']);
  });

  it('booked: both are told the time, each in their own zone with the zone named', async () => {
    const { lawyer, client } = await parties();
    const at = slotAfter(3 * DAY);
    await scheduledViaApi(t, client, lawyer, at);

    const c = await exactlyOne(client.id, 'session.scheduled');
    expect(c.mail.subject).toMatch(clientTime(at));
    expect(c.mail.bodyText).toMatch(clientTime(at));
    expect(c.note.title).toMatch(clientTime(at));
    const l = await exactlyOne(lawyer.id, 'session.scheduled');
    expect(l.mail.subject).toMatch(/^New booking: Cleo Client on /);
    expect(l.mail.bodyText).toMatch(lawyerTime(at));
    expect(l.mail.bodyText).not.toMatch(/America\/New_York/);
  });

  it('rescheduled by the client: only the lawyer is told, with the new and the old time in their zone', async () => {
    const { lawyer, client } = await parties();
    const from = slotAfter(3 * DAY);
    const to = slotAfter(4 * DAY);
    const id = await scheduledViaApi(t, client, lawyer, from);
    await post(client, `/api/sessions/${id}/reschedule`, { startAt: to.toISOString() }).expect(200);

    const l = await exactlyOne(lawyer.id, 'session.rescheduled');
    expect(l.mail.bodyText).toMatch(new RegExp(`moved "Initial consultation" to .*${lawyerTime(to).source}.*\\(was .*${lawyerTime(from).source}\\)`));
    expect(await mails(client.id, 'session.rescheduled')).toEqual([]);
    expect(await inApp(client.id, 'session.rescheduled')).toEqual([]);
  });

  describe("the lawyer's proposal of another time (events of the booking flow)", () => {
    /** Runs an event through SessionLifecycle (transition) or the mapper (events without a status change). */
    const scheduledPair = async () => {
      const p = await parties();
      const from = slotAfter(3 * DAY);
      const id = await scheduledViaApi(t, p.client, p.lawyer, from);
      return { ...p, id, from, to: slotAfter(5 * DAY) };
    };
    const mapEvent = (sessionId: string, action: string, actorId: string, actorRole: string, payload: Record<string, unknown>) =>
      sql.transaction(async (m) => {
        const session = await t.app.get(SessionLifecycle).lock(m, sessionId);
        await t.app.get(SessionNotifications).onSessionEvent(m, session, {
          action,
          fromStatus: session.status,
          toStatus: session.status,
          actorId,
          actorRole,
          payload,
        });
      });

    it('proposed: the client is asked to answer (their zone), the lawyer gets a confirmation (theirs)', async () => {
      const { lawyer, client, id, from, to } = await scheduledPair();
      await mapEvent(id, 'reschedule_proposed', lawyer.id, 'LAWYER', { fromStartAt: from.toISOString(), toStartAt: to.toISOString() });
      const c = await exactlyOne(client.id, 'session.reschedule_proposed');
      expect(c.mail.subject).toMatch(clientTime(to));
      expect(c.mail.bodyText).toContain('Answer the proposal: http://lex.test:4100/sessions/');
      expect(c.mail.bodyText).toMatch(new RegExp(`\\(now .*${clientTime(from).source}\\)`));
      const l = await exactlyOne(lawyer.id, 'session.reschedule_proposed');
      expect(l.mail.subject).toMatch(lawyerTime(to));
      expect(l.mail.subject).toMatch(/^You proposed/);
    });

    it('accepted (the reschedule transition with proposal: accepted): both are told the new time', async () => {
      const { lawyer, client, id, from, to } = await scheduledPair();
      await sql.transaction(async (m) => {
        const lifecycle = t.app.get(SessionLifecycle);
        const session = await lifecycle.lock(m, id);
        await lifecycle.transition(m, session, 'reschedule', { id: client.id, role: 'CLIENT' }, { startAt: to }, {
          fromStartAt: from.toISOString(),
          toStartAt: to.toISOString(),
          proposal: 'accepted',
        });
      });
      const c = await exactlyOne(client.id, 'session.rescheduled');
      expect(c.mail.bodyText).toMatch(new RegExp(`You accepted .* now takes place on .*${clientTime(to).source}`));
      const l = await exactlyOne(lawyer.id, 'session.rescheduled');
      expect(l.mail.bodyText).toMatch(new RegExp(`Cleo Client accepted your proposal: .*${lawyerTime(to).source}`));
    });

    it('declined, time kept: both are told the session stays at its time', async () => {
      const { lawyer, client, id, from, to } = await scheduledPair();
      await mapEvent(id, 'reschedule_declined', client.id, 'CLIENT', { fromStartAt: from.toISOString(), toStartAt: to.toISOString(), outcome: 'kept' });
      const l = await exactlyOne(lawyer.id, 'session.reschedule_declined');
      expect(l.mail.bodyText).toMatch(new RegExp(`stays on .*${lawyerTime(from).source}`));
      const c = await exactlyOne(client.id, 'session.reschedule_declined');
      expect(c.mail.bodyText).toMatch(new RegExp(`stays on .*${clientTime(from).source}`));
    });

    it('declined with cancellation (cancel with proposal: declined): both are told, the client about the full refund', async () => {
      const { lawyer, client, id } = await scheduledPair();
      await sql.transaction(async (m) => {
        const lifecycle = t.app.get(SessionLifecycle);
        const session = await lifecycle.lock(m, id);
        await lifecycle.transition(m, session, 'cancel', { id: client.id, role: 'CLIENT' }, { cancelledAt: t.clock.now(), cancelledBy: client.id }, {
          policy: 'LAWYER_CANCELLED',
          proposal: 'declined',
          refundMinor: 9000,
          currency: 'EUR',
        });
      });
      const c = await exactlyOne(client.id, 'session.cancelled');
      expect(c.mail.bodyText).toContain('You declined');
      expect(c.mail.bodyText).toContain('You will be refunded €90.00 (cancelled by the lawyer: full refund)');
      const l = await exactlyOne(lawyer.id, 'session.cancelled');
      expect(l.mail.bodyText).toContain('Cleo Client declined your new time');
    });

    it('withdrawn: the client is told, not the lawyer who withdrew', async () => {
      const { lawyer, client, id, to } = await scheduledPair();
      await mapEvent(id, 'reschedule_withdrawn', lawyer.id, 'LAWYER', { toStartAt: to.toISOString() });
      await exactlyOne(client.id, 'session.reschedule_withdrawn');
      expect(await inApp(lawyer.id, 'session.reschedule_withdrawn')).toEqual([]);
    });
  });

  it('cancelled by the lawyer: both are told, with the refund and the policy', async () => {
    const { lawyer, client } = await parties();
    const at = slotAfter(3 * DAY);
    const id = await scheduledViaApi(t, client, lawyer, at);
    await post(asCaller(lawyer), `/api/sessions/${id}/cancel`, { reason: 'Court hearing' }).expect(200);

    const c = await exactlyOne(client.id, 'session.cancelled');
    expect(c.mail.subject).toMatch(clientTime(at));
    expect(c.mail.bodyText).toContain('Reason given: Court hearing');
    expect(c.mail.bodyText).toContain('You will be refunded €90.00 (cancelled by the lawyer: full refund)');
    const l = await exactlyOne(lawyer.id, 'session.cancelled');
    expect(l.mail.bodyText).toMatch(/^Hello .*\n\nYou cancelled "Initial consultation" on /);
    expect(l.mail.bodyText).toMatch(lawyerTime(at));
    expect(l.mail.bodyText).toContain('The client is refunded €90.00');
  });

  it('refunded: the client gets one "refund sent" message, even when Stripe confirms twice', async () => {
    const { lawyer, client } = await parties();
    const id = await scheduledViaApi(t, client, lawyer, slotAfter(3 * DAY));
    await post(asCaller(lawyer), `/api/sessions/${id}/cancel`).expect(200);
    const [refund] = await sql.query(
      `SELECT r.id, r.amount_minor::int AS amount, p.id AS "paymentId", p.stripe_payment_intent_id AS intent
         FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.session_id = $1`,
      [id],
    );
    const stripeRefund = {
      id: 're_test_notify',
      object: 'refund',
      status: 'succeeded',
      amount: refund.amount,
      payment_intent: refund.intent,
      metadata: { refundId: refund.id, paymentId: refund.paymentId },
    } as unknown as Stripe.Refund;
    const refunds = t.app.get(RefundsService);
    expect(await sql.transaction((m) => refunds.applyStripeRefund(m, stripeRefund, { source: 'webhook' }))).toBe('applied');
    expect(await sql.transaction((m) => refunds.applyStripeRefund(m, stripeRefund, { source: 'reconciliation' }))).toBe('duplicate');

    const c = await exactlyOne(client.id, 'refund.succeeded');
    expect(c.mail.subject).toBe('Refund of €90.00 sent');
    expect(await inApp(lawyer.id, 'refund.succeeded')).toEqual([]);
  });

  describe('reminders', () => {
    const reminders = () => t.app.get(SessionRemindersService);

    it('24 h and 1 h before the start, to both, once each even when the job runs twice; a new time gets new reminders', async () => {
      const { lawyer, client } = await parties();
      const at = slotAfter(30 * HOUR);
      const id = await scheduledViaApi(t, client, lawyer, at);

      expect(await reminders().sendDue()).toBe(0); // 30 h before: nothing due
      t.clock.advance(at.getTime() - t.clock.now().getTime() - 23 * 3_600_000); // 23 h before
      await reminders().sendDue();
      await reminders().sendDue(); // the job running twice (or on two workers)
      const c24 = await exactlyOne(client.id, 'session.reminder');
      expect(c24.mail.bodyText).toMatch(new RegExp(`starts within 24 hours: .*${clientTime(at).source}`));
      const l24 = await exactlyOne(lawyer.id, 'session.reminder');
      expect(l24.mail.bodyText).toMatch(lawyerTime(at));

      t.clock.advance(22.5 * 3_600_000); // 30 min before
      await Promise.all([reminders().sendDue(), reminders().sendDue()]);
      for (const userId of [client.id, lawyer.id]) {
        const rows = await mails(userId, 'session.reminder');
        expect(rows).toHaveLength(2);
        expect(rows[1]!.bodyText).toContain('starts in about an hour');
        expect(await inApp(userId, 'session.reminder')).toHaveLength(2);
      }
      expect(await reminders().sendDue()).toBe(0);

      // The lawyer moves it (directly, system-side here) to two days later: reminders start over for the new time.
      const later = new Date(at.getTime() + 2 * DAY * 60_000);
      await sql.transaction(async (m) => {
        const lifecycle = t.app.get(SessionLifecycle);
        const s = await lifecycle.lock(m, id);
        await lifecycle.transition(m, s, 'reschedule', null, { startAt: later }, { fromStartAt: at.toISOString(), toStartAt: later.toISOString() });
      });
      t.clock.advance(2 * DAY * 60_000 - 20 * 3_600_000);
      await reminders().sendDue();
      const after = await mails(client.id, 'session.reminder');
      expect(after).toHaveLength(3);
      expect(after[2]!.bodyText).toMatch(clientTime(later));
    });

    it('a muted reminder still reaches the in-app list but sends no email; essential messages still go out', async () => {
      const { lawyer, client } = await parties();
      await request(t.server)
        .put('/api/notifications/preferences')
        .set(bearer(client.token))
        .send({ emailReminders: false, emailSessionUpdates: true })
        .expect(200, { emailReminders: false, emailSessionUpdates: true });
      const at = slotAfter(30 * HOUR);
      await scheduledViaApi(t, client, lawyer, at);
      t.clock.advance(at.getTime() - t.clock.now().getTime() - 2 * 3_600_000);
      await reminders().sendDue();
      expect(await inApp(client.id, 'session.reminder')).toHaveLength(1);
      expect(await mails(client.id, 'session.reminder')).toEqual([]);
      await exactlyOne(lawyer.id, 'session.reminder');
      await exactlyOne(client.id, 'session.scheduled');
    });
  });

  it('expired checkout and completed session: the client only, as non-essential updates (mutable by email)', async () => {
    const { lawyer, client } = await parties();
    const lifecycle = t.app.get(SessionLifecycle);
    const unpaid = await createSession(t, { clientId: client.id, lawyer, paid: false });
    await sql.transaction(async (m) => lifecycle.transition(m, await lifecycle.lock(m, unpaid.id), 'expire', null));
    const e = await exactlyOne(client.id, 'session.expired');
    expect(e.mail.bodyText).toContain('Nothing was charged');
    expect(await inApp(lawyer.id, 'session.expired')).toEqual([]);

    // Muted: the completion shows in-app but sends no email.
    await request(t.server)
      .put('/api/notifications/preferences')
      .set(bearer(client.token))
      .send({ emailReminders: true, emailSessionUpdates: false })
      .expect(200);
    const paid = await createSession(t, { clientId: client.id, lawyer });
    const start = new Date(Date.now() + 3 * DAY * 60_000);
    await scheduleDirectly(t, paid.id, start);
    t.clock.advance(3 * DAY * 60_000 + 2 * HOUR * 60_000);
    await post(asCaller(lawyer), `/api/sessions/${paid.id}/complete`).expect(200);
    expect(await inApp(client.id, 'session.completed')).toHaveLength(1);
    expect(await mails(client.id, 'session.completed')).toEqual([]);
    expect(await inApp(lawyer.id, 'session.completed')).toEqual([]);
  });

  it('a rolled-back transaction leaves no notification and no email', async () => {
    const { lawyer, client } = await parties();
    const session = await createSession(t, { clientId: client.id, lawyer });
    const before = { c: (await mails(client.id)).length, l: (await mails(lawyer.id)).length };
    await expect(
      sql.transaction(async (m) => {
        const lifecycle = t.app.get(SessionLifecycle);
        const s = await lifecycle.lock(m, session.id);
        await lifecycle.transition(m, s, 'schedule', { id: client.id, role: 'CLIENT' }, { startAt: slotAfter(3 * DAY) });
        throw new Error('something later in the same transaction failed');
      }),
    ).rejects.toThrow('something later');
    expect(await inApp(client.id, 'session.scheduled')).toEqual([]);
    expect(await inApp(lawyer.id, 'session.scheduled')).toEqual([]);
    expect({ c: (await mails(client.id)).length, l: (await mails(lawyer.id)).length }).toEqual(before);
  });

  it('lawyer verified / rejected by an admin: the lawyer is told (rejection with the reason)', async () => {
    const admin = await login(t, await createUser(t, { role: 'ADMIN' }));
    const verified = await signUp(t, 'LAWYER');
    await request(t.server).put('/api/lawyer/profile').set(bearer(verified.accessToken)).send(VALID_PROFILE).expect(200);
    await request(t.server).post(`/api/admin/lawyers/${verified.id}/verify`).set(bearer(admin.accessToken)).expect(200);
    const v = await exactlyOne(verified.id, 'lawyer.verified');
    expect(v.mail.bodyText).toContain('Open your profile: http://lex.test:4100/lawyer/profile');

    const rejected = await signUp(t, 'LAWYER');
    await request(t.server)
      .post(`/api/admin/lawyers/${rejected.id}/reject`)
      .set(bearer(admin.accessToken))
      .send({ reason: 'Bar number <not> found' })
      .expect(200);
    const r = await exactlyOne(rejected.id, 'lawyer.rejected');
    expect(r.mail.bodyText).toContain('Reason: Bar number <not> found');
    expect(r.mail.bodyHtml).toContain('Reason: Bar number &lt;not&gt; found');
  });

  describe('HTTP: the notification centre', () => {
    it('lists newest first (paged, unread filter), counts unread, marks one and all read; someone else’s is a 404', async () => {
      const { lawyer, client } = await parties();
      await scheduledViaApi(t, client, lawyer, slotAfter(3 * DAY));
      const me = asCaller(lawyer);
      const get = (path: string, who: Caller = me) => request(t.server).get(path).set(bearer(who.token));

      expect((await get('/api/notifications/unread-count').expect(200)).body).toEqual({ unread: 2 });
      const page = (await get('/api/notifications?pageSize=1').expect(200)).body;
      expect(page).toMatchObject({ total: 2, page: 1, pageSize: 1 });
      expect(page.items[0]).toMatchObject({ kind: 'session.scheduled', readAt: null, linkPath: expect.stringMatching(/^\/sessions\//) });
      expect(page.items[0].title).toMatch(/\(Europe\/Madrid\)/);

      const read = await post(me, `/api/notifications/${page.items[0].id}/read`).expect(200);
      expect(read.body.readAt).toEqual(expect.any(String));
      expect((await get('/api/notifications/unread-count').expect(200)).body).toEqual({ unread: 1 });
      expect((await get('/api/notifications?unread=true').expect(200)).body.items.map((n: { kind: string }) => n.kind)).toEqual(['session.paid']);

      const notMine = await post(client, `/api/notifications/${page.items[0].id}/read`).expect(404);
      expect(notMine.body.code).toBe('NOTIFICATION_NOT_FOUND');
      expect((await post(me, '/api/notifications/not-a-uuid/read').expect(400)).body.code).toBe('VALIDATION_FAILED');

      expect((await post(me, '/api/notifications/read-all').expect(200)).body).toEqual({ marked: 1 });
      expect((await get('/api/notifications/unread-count').expect(200)).body).toEqual({ unread: 0 });
      // The client's own are untouched.
      expect((await get('/api/notifications/unread-count', client).expect(200)).body).toEqual({ unread: 2 });
    });

    it('preferences: defaults on, validated, saved per user and audited', async () => {
      const partner = await login(t, await createUser(t, { role: 'PARTNER' }));
      const who = { id: '', token: partner.accessToken };
      expect((await request(t.server).get('/api/notifications/preferences').set(bearer(who.token)).expect(200)).body).toEqual({
        emailReminders: true,
        emailSessionUpdates: true,
      });
      const bad = await request(t.server).put('/api/notifications/preferences').set(bearer(who.token)).send({ emailReminders: 'no' }).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      await request(t.server)
        .put('/api/notifications/preferences')
        .set(bearer(who.token))
        .send({ emailReminders: true, emailSessionUpdates: false })
        .expect(200, { emailReminders: true, emailSessionUpdates: false });
      expect((await request(t.server).get('/api/notifications/preferences').set(bearer(who.token)).expect(200)).body).toEqual({
        emailReminders: true,
        emailSessionUpdates: false,
      });
      const [audit] = await sql.query(`SELECT payload FROM audit_events WHERE action = 'notification.preferences_updated' ORDER BY seq DESC LIMIT 1`);
      expect(audit.payload).toMatchObject({ to: { emailReminders: true, emailSessionUpdates: false } });
      await request(t.server).get('/api/notifications').expect(401);
    });
  });
});

import { verifyWebhookSignature } from '@lm/api-client';
import { WEBHOOK_EVENT_TYPES } from '@lm/domain';
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SessionLifecycle } from '../../src/modules/consultations-core/session-lifecycle.service';
import { RefundsService } from '../../src/modules/payments/refunds.service';
import { WebhookDeliveryService } from '../../src/modules/webhooks/webhook-delivery.service';
import { WebhookEvents } from '../../src/modules/webhooks/webhook-events.service';
import { executedContract } from '../contracts/contracts-support';
import { outbox } from '../factories/emails';
import { signUp, VALID_PROFILE } from '../factories/lawyers';
import { completedViaApi, submitReview } from '../factories/reviews';
import { uploadRecording } from '../video/recording-fixtures';
import {
  asCaller,
  createBookableLawyer,
  createSession,
  DAY,
  scheduleDirectly,
  scheduledViaApi,
  signedIn,
  slotAfter,
  type Caller,
} from '../factories/sessions';
import { bearer, createUser } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { sessionPaidData, sessionPaidNumber, WebhookEventSchemas } from './event-schema';
import { Receiver, type Received } from './receiver';

const SESSION_TYPES = ['session.paid', 'session.scheduled', 'session.rescheduled', 'session.cancelled', 'session.completed'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('outbound webhooks', () => {
  let t: TestApp;
  let sql: DataSource;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestApp({
      THROTTLE_LIMIT: '100000',
      JOBS_ENABLED: 'false',
      WEBHOOK_CONNECT_TIMEOUT_MS: '300',
      WEBHOOK_TIMEOUT_MS: '500',
    });
    sql = t.app.get(DataSource);
    receiver = await new Receiver().start();
  });
  // Every body any test here receives is what the OpenAPI document says its type carries (closed:
  // no undeclared field), so the document cannot drift from the emitters unnoticed.
  const schemas = new WebhookEventSchemas();
  afterEach(() => {
    receiver.mode = 'ok';
    const bodies = receiver.received.splice(0).map((r) => r.body);
    expect(bodies.flatMap((b) => schemas.problems(b))).toEqual([]);
  });
  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  const api = (c: Caller) => ({
    get: (path: string) => request(t.server).get(path).set(bearer(c.token)),
    post: (path: string, body: object = {}) => request(t.server).post(path).set(bearer(c.token)).send(body),
    patch: (path: string, body: object) => request(t.server).patch(path).set(bearer(c.token)).send(body),
    delete: (path: string) => request(t.server).delete(path).set(bearer(c.token)),
  });

  const register = async (
    c: Caller,
    url: string,
    eventTypes: string[] = SESSION_TYPES,
  ): Promise<{ id: string; secret: string }> => {
    const res = await api(c).post('/api/webhooks/endpoints', { url, eventTypes }).expect(201);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    return { id: res.body.id, secret: res.body.secret };
  };

  const sweep = () => t.app.get(WebhookDeliveryService).sweepDue();
  const verified = (r: Received, secret: string | string[]) =>
    verifyWebhookSignature({ payload: r.body, header: r.headers['lexmarket-signature'] as string, secret, now: t.clock.now() });
  const deliveryOf = async (endpointId: string) => {
    const rows = await sql.query(
      `SELECT id, status, attempts, next_attempt_at, history FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at`,
      [endpointId],
    );
    return rows as {
      id: string;
      status: string;
      attempts: number;
      next_attempt_at: Date | null;
      history: { at: string; statusCode: number | null; error: string | null; manual: boolean }[];
    }[];
  };

  it('delivers each event type once per endpoint, signed (verified by the shipped helper), documented, with only what the owner may see', async () => {
    const lawyer = await createBookableLawyer(t, { displayName: 'Lawyer Lucia' });
    const client = await signedIn(t, { displayName: 'Client Carlos' });
    const admin = await signedIn(t, { role: 'ADMIN' });
    const [clientEmail] = await sql.query('SELECT email FROM users WHERE id = $1', [client.id]);
    const cHook = await register(client, receiver.url('/client'), [...WEBHOOK_EVENT_TYPES]);
    const lHook = await register(asCaller(lawyer), receiver.url('/lawyer'), [...WEBHOOK_EVENT_TYPES]);

    // Session 1: paid, scheduled, rescheduled, contract executed, completed.
    // Session 2: paid, scheduled, cancelled, refunded. Then a payout to the lawyer.
    const s1 = await scheduledViaApi(t, client, lawyer, slotAfter(3 * DAY));
    await api(client)
      .post(`/api/sessions/${s1}/reschedule`, { startAt: slotAfter(4 * DAY).toISOString() })
      .expect(200);
    const contract = await executedContract(t, {
      lawyer: { ...asCaller(lawyer), name: 'Lawyer Lucia' },
      client: { ...client, name: 'Client Carlos' },
      bookable: lawyer,
      sessionId: s1,
    });
    const [execution] = await sql.query(
      `SELECT e.sha256, c.title FROM contract_executions e JOIN contracts c ON c.id = e.contract_id WHERE c.id = $1`,
      [contract.id],
    );
    // Session 3: a call both joined (recording consent given); the client's browser uploads its recording.
    const s3 = (await createSession(t, { clientId: client.id, lawyer })).id;
    await scheduleDirectly(t, s3, new Date(t.clock.now().getTime() + 5 * 60_000));
    for (const who of [client, asCaller(lawyer)])
      await api(who).post(`/api/sessions/${s3}/video/join`, { recordingConsent: true }).expect(200);
    const media = Buffer.from('not really a webm, but bytes all the same');
    const sealed = await uploadRecording(t, { sessionId: s3, client, lawyer: asCaller(lawyer) }, client, media);
    const [recordingRow] = await sql.query(
      `SELECT available_at AS "availableAt", duration_seconds AS "durationSeconds" FROM recordings WHERE id = $1`,
      [sealed.id],
    );
    const lifecycle = t.app.get(SessionLifecycle);
    await sql.transaction(async (m) =>
      lifecycle.transition(m, await lifecycle.lock(m, s1), 'complete', null, { completedAt: t.clock.now() }),
    );
    const s2 = await scheduledViaApi(t, client, lawyer, slotAfter(5 * DAY));
    await api(client).post(`/api/sessions/${s2}/cancel`, { reason: 'Plans changed' }).expect(200);
    const [refund] = await sql.query(
      `SELECT r.id, r.amount_minor::int AS amount, r.reason, p.id AS "paymentId", p.stripe_payment_intent_id AS intent
         FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.session_id = $1`,
      [s2],
    );
    const stripeRefund = {
      id: 're_test_webhooks',
      object: 'refund',
      status: 'succeeded',
      amount: refund.amount,
      payment_intent: refund.intent,
      metadata: { refundId: refund.id, paymentId: refund.paymentId },
    } as unknown as Stripe.Refund;
    const refunds = t.app.get(RefundsService);
    expect(await sql.transaction((m) => refunds.applyStripeRefund(m, stripeRefund, { source: 'webhook' }))).toBe('applied');
    expect(await sql.transaction((m) => refunds.applyStripeRefund(m, stripeRefund, { source: 'webhook' }))).toBe('duplicate');
    const payout = await request(t.server)
      .post('/api/admin/payouts')
      .set(bearer(admin.token))
      .set('idempotency-key', `webhooks-${lawyer.id}`)
      .send({
        payeeId: lawyer.id,
        currency: 'EUR',
        amountMinor: 1000,
        method: 'BANK_TRANSFER',
        reference: 'SEPA ref W-1',
        paidAt: new Date(t.clock.nowMs() - 60_000).toISOString(),
      })
      .expect(201);

    // Client: 9 session events, contract, recording, refund. Lawyer: the same and the payout.
    expect(await sweep()).toBe(25);
    expect(await sweep()).toBe(0);

    for (const [path, hook, side, counterpart] of [
      ['/client', cHook, 'CLIENT', 'Lawyer Lucia'],
      ['/lawyer', lHook, 'LAWYER', 'Client Carlos'],
    ] as const) {
      const got = receiver.at(path);
      const bodies = got.map((r) => JSON.parse(r.body));
      const sessionBodies = bodies.filter((b) => b.type.startsWith('session.'));
      expect(sessionBodies.map((b) => `${b.type}:${b.data.session.id}`).sort()).toEqual(
        [
          `session.paid:${s1}`,
          `session.scheduled:${s1}`,
          `session.rescheduled:${s1}`,
          `session.completed:${s1}`,
          `session.paid:${s2}`,
          `session.scheduled:${s2}`,
          `session.cancelled:${s2}`,
          `session.paid:${s3}`,
          `session.scheduled:${s3}`,
        ].sort(),
      );
      // Exactly once per endpoint: each type the number of times it happened, each event id once.
      expect(
        bodies
          .map((b) => b.type)
          .filter((type) => !type.startsWith('session.'))
          .sort(),
      ).toEqual(
        ['contract.executed', 'recording.available', 'refund.succeeded', ...(side === 'LAWYER' ? ['payout.created'] : [])].sort(),
      );
      expect(new Set(bodies.map((b) => b.id)).size).toBe(bodies.length);
      for (const r of got) {
        const body = JSON.parse(r.body);
        expect(schemas.problems(r.body)).toEqual([]);
        expect(await verified(r, hook.secret)).toBe(true);
        expect(await verified(r, path === '/client' ? lHook.secret : cHook.secret)).toBe(false);
        expect(r.headers['lexmarket-event-id']).toBe(body.id);
        expect(r.headers['lexmarket-event-type']).toBe(body.type);
        expect(r.headers['content-type']).toBe('application/json');
        expect(body.id).toMatch(/^evt_/);
        // Nothing of the other party but their display name (and nothing with a media token).
        expect(r.body).not.toContain(clientEmail.email);
        expect(r.body).not.toContain(lawyer.email);
        expect(r.body).not.toContain(path === '/client' ? lawyer.id : client.id);
        expect(r.body).not.toMatch(/token|https?:/i);
      }
      for (const body of sessionBodies) {
        expect(body.data.session).toMatchObject({
          role: side,
          counterpart: { displayName: counterpart },
          offering: { title: 'Initial consultation' },
          price: { amountMinor: 9000, currency: 'EUR' },
        });
      }
      const cancelled = bodies.find((b) => b.type === 'session.cancelled');
      expect(cancelled.data.cancellation.by).toBe(side === 'CLIENT' ? 'you' : 'counterpart');

      const refunded = bodies.find((b) => b.type === 'refund.succeeded');
      expect(refunded.data).toEqual({
        refundId: refund.id,
        sessionId: s2,
        role: side,
        amountMinor: refund.amount,
        currency: 'EUR',
        succeededAt: expect.any(String),
        // The refund's reason is the client's business.
        ...(side === 'CLIENT' ? { reason: refund.reason } : {}),
      });
      const rec = bodies.find((b) => b.type === 'recording.available');
      expect(rec.data).toEqual({
        recordingId: sealed.id,
        sessionId: s3,
        kind: 'participant',
        recordedBy: side === 'CLIENT' ? 'you' : 'counterpart',
        contentType: 'video/webm',
        durationSeconds: recordingRow.durationSeconds,
        sizeBytes: media.length,
        sha256: createHash('sha256').update(media).digest('hex'),
        availableAt: recordingRow.availableAt.toISOString(),
      });
      const executed = bodies.find((b) => b.type === 'contract.executed');
      expect(executed.data).toEqual({
        contractId: contract.id,
        number: contract.number,
        title: execution.title,
        sessionId: s1,
        role: side,
        executedAt: expect.any(String),
        sha256: execution.sha256,
      });
      if (side === 'LAWYER') {
        const paid = bodies.find((b) => b.type === 'payout.created');
        expect(paid.data).toEqual({
          payoutId: payout.body.id,
          role: 'LAWYER',
          amountMinor: 1000,
          currency: 'EUR',
          method: 'BANK_TRANSFER',
          reference: 'SEPA ref W-1',
          paidAt: payout.body.paidAt,
        });
      }
    }

    // The test event: to that endpoint only, signed the same way.
    const test = await api(client).post(`/api/webhooks/endpoints/${cHook.id}/test`).expect(202);
    expect(await sweep()).toBe(1);
    const last = receiver.at('/client').at(-1)!;
    expect(JSON.parse(last.body)).toMatchObject({ id: test.body.eventId, type: 'webhook.test' });
    expect(await verified(last, cHook.secret)).toBe(true);
    expect(receiver.at('/lawyer')).toHaveLength(13);

    // The log shows each delivery with its status code and timing.
    const log = await api(client).get(`/api/webhooks/endpoints/${cHook.id}/deliveries?pageSize=100`).expect(200);
    expect(log.body.total).toBe(13);
    expect(log.body.items[0]).toMatchObject({
      eventId: test.body.eventId,
      status: 'DELIVERED',
      attempts: 1,
      lastStatusCode: 200,
    });
    const detail = await api(client).get(`/api/webhooks/deliveries/${test.body.deliveryId}`).expect(200);
    expect(detail.body).toMatchObject({
      requestBody: last.body,
      responseExcerpt: 'ok',
      // The signature header is logged exactly as the receiver got it.
      history: [{ statusCode: 200, manual: false, signature: last.headers['lexmarket-signature'] }],
    });
    // The secret is never shown again.
    expect((await api(client).get(`/api/webhooks/endpoints/${cHook.id}`).expect(200)).body.secret).toBeUndefined();
  });

  it('lawyer.verified reaches the verified lawyer; review.published reaches both participants, each review once per endpoint', async () => {
    // A lawyer signing up is verified by an admin: their own endpoint hears of it.
    const pending = await signUp(t, 'LAWYER');
    await request(t.server).put('/api/lawyer/profile').set(bearer(pending.accessToken)).send(VALID_PROFILE).expect(200);
    const pHook = await register({ id: pending.id, token: pending.accessToken }, receiver.url('/pending'), ['lawyer.verified']);
    const admin = await signedIn(t, { role: 'ADMIN' });
    await api(admin).post(`/api/admin/lawyers/${pending.id}/verify`).expect(200);
    await sweep();
    const verifiedEvents = receiver.at('/pending');
    expect(verifiedEvents.map((r) => JSON.parse(r.body).type)).toEqual(['lawyer.verified']);
    await expect(verified(verifiedEvents[0]!, pHook.secret)).resolves.toBe(true);
    expect(JSON.parse(verifiedEvents[0]!.body).data).toMatchObject({ lawyerId: pending.id, status: 'VERIFIED' });

    // Both review a completed session: publication sends each review to both participants.
    const lawyer = await createBookableLawyer(t, { displayName: 'Lawyer Rosa' });
    const client = await signedIn(t, { displayName: 'Client Pia' });
    const cHook = await register(client, receiver.url('/review-client'), ['review.published']);
    const lHook = await register(asCaller(lawyer), receiver.url('/review-lawyer'), ['review.published']);
    const sessionId = await completedViaApi(t, client, lawyer);
    await submitReview(t, client, sessionId, { rating: 5, comment: 'Clear and kind advice' }).expect(201);
    await submitReview(t, asCaller(lawyer), sessionId, { rating: 4, comment: 'Well prepared client' }).expect(201);
    await sweep();
    for (const [path, hook] of [
      ['/review-client', cHook],
      ['/review-lawyer', lHook],
    ] as const) {
      const got = receiver.at(path);
      expect(got).toHaveLength(2);
      for (const r of got) await expect(verified(r, hook.secret)).resolves.toBe(true);
      const data = got.map((r) => JSON.parse(r.body).data as { sessionId: string; authorSide: string; comment?: string });
      expect(data.map((d) => [d.sessionId, d.authorSide]).sort()).toEqual([
        [sessionId, 'CLIENT'],
        [sessionId, 'LAWYER'],
      ]);
      expect(data.map((d) => d.comment).sort()).toEqual(['Clear and kind advice', 'Well prepared client']);
    }
  });

  it('the document check fails a body with an undeclared, a missing or a mistyped field, or an undocumented type', () => {
    const ok = JSON.stringify({
      id: 'evt_x',
      type: 'session.paid',
      created: '2026-03-01T10:00:00.000Z',
      data: sessionPaidData(1),
    });
    expect(schemas.problems(ok)).toEqual([]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const variant = (change: (b: Record<string, any>) => void) => {
      const body = JSON.parse(ok);
      change(body);
      return schemas.problems(JSON.stringify(body));
    };
    expect(variant((b) => (b.data.session.counterpart.email = 'someone@example.com'))).toHaveLength(1);
    expect(variant((b) => (b.data.extra = 1))).toHaveLength(1);
    expect(variant((b) => delete b.data.session.price)).toHaveLength(1);
    expect(variant((b) => (b.data.session.durationMinutes = '60'))).toHaveLength(1);
    expect(variant((b) => (b.type = 'lawyer.verified'))).toHaveLength(1);
    expect(variant((b) => (b.type = 'session.exploded'))).toEqual(['type "session.exploded" is not documented']);
    expect(variant((b) => delete b.id)).toHaveLength(1);
  });

  it('a rolled-back change delivers nothing; 100 concurrent changes give 100 events, each delivered exactly once', async () => {
    const owner = await signedIn(t);
    const hook = await register(owner, receiver.url('/bulk'), ['session.paid']);
    const events = t.app.get(WebhookEvents);
    const emit = (n: number) => (m: import('typeorm').EntityManager) =>
      events.emit(m, {
        type: 'session.paid',
        occurredAt: t.clock.now(),
        recipients: [{ userId: owner.id, data: sessionPaidData(n) }],
      });

    await expect(
      sql.transaction(async (m) => {
        await emit(999_999)(m);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await sql.query(`SELECT count(*)::int AS n FROM webhook_events WHERE user_id = $1`, [owner.id])).toEqual([{ n: 0 }]);

    await Promise.all(Array.from({ length: 100 }, (_, n) => sql.transaction(emit(n))));
    expect(await sql.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [hook.id])).toEqual([
      { n: 100 },
    ]);
    // Two sweepers at once (as two workers would): row locks keep each delivery to one attempt.
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect(a + b).toBe(100);
    expect(await sweep()).toBe(0);
    const ns = receiver
      .at('/bulk')
      .map((r) => sessionPaidNumber(r.body))
      .sort((x, y) => x - y);
    expect(ns).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(new Set(receiver.at('/bulk').map((r) => r.headers['lexmarket-event-id'])).size).toBe(100);
  });

  it('retries a failing receiver (500, timeout, connection refused) on the backoff schedule and delivers once it recovers', async () => {
    const owner = await signedIn(t);
    const down = await new Receiver().start();
    const downPort = down.port;
    await down.stop(); // nothing listens there now: connection refused
    const hook = await register(owner, receiver.url('/flaky'), ['session.paid']);
    const refusedHook = await register(owner, `http://127.0.0.1:${downPort}/refused`, ['session.paid']);
    receiver.mode = 'fail';
    await sql.transaction((m) =>
      t.app.get(WebhookEvents).emit(m, {
        type: 'session.paid',
        occurredAt: t.clock.now(),
        recipients: [{ userId: owner.id, data: sessionPaidData(0) }],
      }),
    );

    expect(await sweep()).toBe(2);
    let [d] = await deliveryOf(hook.id);
    expect(d).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(d!.next_attempt_at!.getTime() - Date.parse(d!.history[0]!.at)).toBe(1 * MINUTE);
    const [r] = await deliveryOf(refusedHook.id);
    expect(r!.history[0]).toMatchObject({ statusCode: null, error: 'ECONNREFUSED' });

    // Not due yet: nothing is sent.
    t.clock.advance(59_000);
    expect(await sweep()).toBe(0);
    t.clock.advance(1_000);
    receiver.mode = 'hang';
    expect(await sweep()).toBe(2);
    [d] = await deliveryOf(hook.id);
    expect(d!.history[1]).toMatchObject({ statusCode: null, error: 'timeout' });
    expect(d!.next_attempt_at!.getTime() - Date.parse(d!.history[1]!.at)).toBe(5 * MINUTE);

    receiver.mode = 'ok';
    const back = await new Receiver().start(downPort);
    try {
      t.clock.advance(5 * MINUTE);
      expect(await sweep()).toBe(2);
      [d] = await deliveryOf(hook.id);
      expect(d).toMatchObject({ status: 'DELIVERED', attempts: 3, next_attempt_at: null });
      expect(d!.history.map((h) => h.statusCode)).toEqual([500, null, 200]);
      expect((await deliveryOf(refusedHook.id))[0]).toMatchObject({ status: 'DELIVERED', attempts: 3 });
      expect(back.at('/refused')).toHaveLength(1);
      // The same event every time.
      expect(new Set(receiver.at('/flaky').map((x) => x.headers['lexmarket-event-id'])).size).toBe(1);
    } finally {
      await back.stop();
    }
    t.clock.advance(24 * HOUR);
    expect(await sweep()).toBe(0);
  });

  it('after 3 days of failures the delivery fails, the endpoint is disabled and its owner emailed; replay and re-enabling work', async () => {
    const user = await createUser(t);
    const owner = {
      id: user.id,
      token: (await request(t.server).post('/api/auth/login').send({ email: user.email, password: user.password })).body
        .accessToken,
    };
    const hook = await register(owner, receiver.url('/dead'), ['session.paid']);
    receiver.mode = 'fail';
    await sql.transaction((m) =>
      t.app.get(WebhookEvents).emit(m, {
        type: 'session.paid',
        occurredAt: t.clock.now(),
        recipients: [{ userId: owner.id, data: sessionPaidData(0) }],
      }),
    );
    for (let i = 0; i < 20; i++) {
      await sweep();
      const [d] = await deliveryOf(hook.id);
      if (d!.status !== 'PENDING') break;
      t.clock.advance(d!.next_attempt_at!.getTime() - t.clock.now().getTime());
    }
    const [d] = await deliveryOf(hook.id);
    expect(d!.status).toBe('FAILED');
    // Business time runs on between the scheduled instant and the sweep: a few ms each step.
    const start = Date.parse(d!.history[0]!.at);
    const offsets = d!.history.map((h) => Math.round((Date.parse(h.at) - start) / MINUTE));
    expect(offsets).toEqual([0, 1, 6, 36, 156, 456, 1056, 1776, 2496, 3216, 3936, 4320]);
    expect(d!.history.every((h) => h.statusCode === 500)).toBe(true);

    const endpoint = (await api(owner).get(`/api/webhooks/endpoints/${hook.id}`).expect(200)).body;
    expect(endpoint).toMatchObject({
      status: 'DISABLED',
      disabledReason: 'failing',
      failingSince: new Date(start).toISOString(),
    });
    const mails = await outbox(t, user.email, 'webhook.endpoint_disabled');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.bodyText).toContain(receiver.url('/dead'));
    const audit = await sql.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [hook.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['webhook_endpoint.created', 'webhook_endpoint.disabled']);

    // A disabled endpoint gets nothing new.
    await sql.transaction((m) =>
      t.app.get(WebhookEvents).emit(m, {
        type: 'session.paid',
        occurredAt: t.clock.now(),
        recipients: [{ userId: owner.id, data: sessionPaidData(0) }],
      }),
    );
    expect(await deliveryOf(hook.id)).toHaveLength(1);

    // A disabled endpoint is not replayed to either (409, nothing sent), like a test event.
    receiver.mode = 'ok';
    const before = receiver.at('/dead').length;
    expect((await api(owner).post(`/api/webhooks/deliveries/${d!.id}/replay`).expect(409)).body.code).toBe(
      'WEBHOOK_ENDPOINT_DISABLED',
    );
    expect(receiver.at('/dead')).toHaveLength(before);

    // Enabled again, a manual replay of the failed delivery: same event id, delivered.
    await api(owner).patch(`/api/webhooks/endpoints/${hook.id}`, { enabled: true }).expect(200);
    const replayed = await api(owner).post(`/api/webhooks/deliveries/${d!.id}/replay`).expect(200);
    expect(replayed.body).toMatchObject({ status: 'DELIVERED', attempts: 13, lastStatusCode: 200 });
    expect(replayed.body.history.at(-1)).toMatchObject({ statusCode: 200, manual: true });
    expect(receiver.at('/dead')).toHaveLength(before + 1);
    expect(receiver.at('/dead').at(-1)!.headers['lexmarket-event-id']).toBe(
      receiver.at('/dead')[0]!.headers['lexmarket-event-id'],
    );
    expect(
      await sql.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'webhook_delivery.replayed' AND subject_id = $1`,
        [d!.id],
      ),
    ).toEqual([{ n: 1 }]);

    // Enabled: new events flow.
    await sql.transaction((m) =>
      t.app.get(WebhookEvents).emit(m, {
        type: 'session.paid',
        occurredAt: t.clock.now(),
        recipients: [{ userId: owner.id, data: sessionPaidData(0) }],
      }),
    );
    expect(await sweep()).toBe(1);
    expect(receiver.at('/dead')).toHaveLength(before + 2);

    // A replay that fails is logged but never undoes a delivery.
    receiver.mode = 'fail';
    const failedReplay = await api(owner).post(`/api/webhooks/deliveries/${d!.id}/replay`).expect(200);
    expect(failedReplay.body).toMatchObject({ status: 'DELIVERED', lastStatusCode: 500 });
    expect(failedReplay.body.history.at(-1)).toMatchObject({ statusCode: 500, manual: true });
    const [{ failing_since }] = await sql.query(`SELECT failing_since FROM webhook_endpoints WHERE id = $1`, [hook.id]);
    expect(failing_since).toBeNull();

    // However often it is replayed, a delivery's log keeps its newest 50 attempts (replayed at
    // most 10 times a minute: the clock moves on between them).
    for (let i = 0; i < 40; i++) {
      t.clock.advance(7_000);
      await api(owner).post(`/api/webhooks/deliveries/${d!.id}/replay`).expect(200);
    }
    const [{ n, attempts }] = await sql.query(
      `SELECT jsonb_array_length(history) AS n, attempts FROM webhook_deliveries WHERE id = $1`,
      [d!.id],
    );
    expect({ n, attempts }).toEqual({ n: 50, attempts: 54 });
  });

  it('rotating the secret signs with both secrets during the overlap, then with the new one only', async () => {
    const owner = await signedIn(t);
    const hook = await register(owner, receiver.url('/rotate'), ['session.paid']);
    const rotated = await api(owner).post(`/api/webhooks/endpoints/${hook.id}/rotate-secret`).expect(200);
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect(
      Math.abs(Date.parse(rotated.body.endpoint.previousSecretExpiresAt) - (t.clock.now().getTime() + 24 * HOUR)),
    ).toBeLessThan(5_000);
    const emit = () =>
      sql.transaction((m) =>
        t.app.get(WebhookEvents).emit(m, {
          type: 'session.paid',
          occurredAt: t.clock.now(),
          recipients: [{ userId: owner.id, data: sessionPaidData(0) }],
        }),
      );

    await emit();
    await sweep();
    let got = receiver.at('/rotate').at(-1)!;
    expect((got.headers['lexmarket-signature'] as string).match(/v1=/g)).toHaveLength(2);
    expect(await verified(got, rotated.body.secret)).toBe(true);
    expect(await verified(got, hook.secret)).toBe(true);

    t.clock.advance(24 * HOUR + 1_000);
    await emit();
    await sweep();
    got = receiver.at('/rotate').at(-1)!;
    expect((got.headers['lexmarket-signature'] as string).match(/v1=/g)).toHaveLength(1);
    expect(await verified(got, rotated.body.secret)).toBe(true);
    expect(await verified(got, hook.secret)).toBe(false);
    const audit = await sql.query(
      `SELECT action, payload::text AS payload FROM audit_events WHERE subject_id = $1 ORDER BY seq`,
      [hook.id],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'webhook_endpoint.created',
      'webhook_endpoint.secret_rotated',
    ]);
    for (const a of audit) expect(a.payload).not.toContain('whsec_');
  });

  it('refuses bad input with stable codes, and answers 404 to anyone but the owner on every route', async () => {
    const owner = await signedIn(t);
    const other = await signedIn(t);
    const hook = await register(owner, receiver.url('/mine'), ['session.paid']);
    await sql.transaction((m) =>
      t.app.get(WebhookEvents).emit(m, {
        type: 'session.paid',
        occurredAt: t.clock.now(),
        recipients: [{ userId: owner.id, data: sessionPaidData(0) }],
      }),
    );
    await sweep();
    const [delivery] = await deliveryOf(hook.id);

    const bad = async (body: object, code: string) =>
      expect((await api(owner).post('/api/webhooks/endpoints', body).expect(400)).body.code).toBe(code);
    await bad({ url: 'ftp://example.com/x', eventTypes: ['session.paid'] }, 'WEBHOOK_URL_INVALID');
    await bad({ url: 'https://user:pw@example.com/x', eventTypes: ['session.paid'] }, 'WEBHOOK_URL_INVALID');
    await bad({ url: 'not a url at all', eventTypes: ['session.paid'] }, 'WEBHOOK_URL_INVALID');
    await bad({ url: receiver.url(), eventTypes: ['nope'] }, 'VALIDATION_FAILED');
    await bad({ url: receiver.url(), eventTypes: ['webhook.test'] }, 'VALIDATION_FAILED');
    await bad({ url: receiver.url(), eventTypes: [] }, 'VALIDATION_FAILED');
    await bad({ url: receiver.url() }, 'VALIDATION_FAILED');
    await bad({ url: receiver.url(), eventTypes: ['session.paid', 'session.paid'] }, 'VALIDATION_FAILED');
    expect((await api(owner).patch(`/api/webhooks/endpoints/${hook.id}`, { enabled: 'yes' }).expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await api(owner).get('/api/webhooks/endpoints/not-a-uuid').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await api(owner).get(`/api/webhooks/endpoints/${hook.id}/deliveries?pageSize=0`).expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );

    const o = api(other);
    const notFound = async (res: Promise<request.Response>, code: string) =>
      expect((await res).body).toMatchObject({ statusCode: 404, code });
    await notFound(o.get(`/api/webhooks/endpoints/${hook.id}`), 'WEBHOOK_ENDPOINT_NOT_FOUND');
    await notFound(o.patch(`/api/webhooks/endpoints/${hook.id}`, { description: 'x' }), 'WEBHOOK_ENDPOINT_NOT_FOUND');
    await notFound(o.delete(`/api/webhooks/endpoints/${hook.id}`), 'WEBHOOK_ENDPOINT_NOT_FOUND');
    await notFound(o.post(`/api/webhooks/endpoints/${hook.id}/rotate-secret`), 'WEBHOOK_ENDPOINT_NOT_FOUND');
    await notFound(o.post(`/api/webhooks/endpoints/${hook.id}/test`), 'WEBHOOK_ENDPOINT_NOT_FOUND');
    await notFound(o.get(`/api/webhooks/endpoints/${hook.id}/deliveries`), 'WEBHOOK_ENDPOINT_NOT_FOUND');
    await notFound(o.get(`/api/webhooks/deliveries/${delivery!.id}`), 'WEBHOOK_DELIVERY_NOT_FOUND');
    await notFound(o.post(`/api/webhooks/deliveries/${delivery!.id}/replay`), 'WEBHOOK_DELIVERY_NOT_FOUND');
    expect((await o.get('/api/webhooks/endpoints').expect(200)).body).toEqual([]);
    await request(t.server).get('/api/webhooks/endpoints').expect(401);

    // The owner deletes it (audited); it is gone with its log.
    await api(owner).delete(`/api/webhooks/endpoints/${hook.id}`).expect(204);
    await api(owner).get(`/api/webhooks/deliveries/${delivery!.id}`).expect(404);
    expect(
      await sql.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'webhook_endpoint.deleted' AND subject_id = $1`,
        [hook.id],
      ),
    ).toEqual([{ n: 1 }]);
  });
});

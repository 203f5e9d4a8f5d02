import request from 'supertest';
import { DataSource } from 'typeorm';
import { REFUND_QUEUE } from '../../src/modules/payments/payment-queues';
import { createSellableOffering, deliverEvent, findSession, startCheckout, stripeFakeEnv, type SellableOffering } from '../factories/payments';
import { signedIn } from '../factories/sessions';
import { bearer } from '../factories/users';
import { startStripeFake, type StripeFake } from '../payments/stripe-fake-server';
import { createTestApp, type TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { join, twilioEnv, videoSession } from '../video/twilio-test-support';
import { startTwilioFake, type TwilioFake } from '../video/twilio-fake-server';
import { FaultyProxy, type ProviderMode } from './faulty-proxy';
import { plus, rowCounts, unbalancedLedgerTransactions } from './fault-support';

const PAYMENT_TABLES = [
  'legal_sessions',
  'session_events',
  'stripe_events',
  'payments',
  'refunds',
  'ledger_transactions',
  'ledger_entries',
  'audit_events',
  'notifications',
  'email_outbox',
  'pgboss.job',
] as const;
const VIDEO_TABLES = ['video_rooms', 'video_participants', 'video_attendance', 'recordings', 'session_events', 'audit_events', 'pgboss.job'] as const;
const FAULTS: Exclude<ProviderMode, 'up'>[] = ['down', 'slow', '5xx'];

/**
 * Issue 18, faults: Stripe and Twilio down (connection refused), slow (beyond the configured
 * SDK timeout) and answering 5xx, through the real SDKs and a proxy in front of their local
 * fakes. The client gets a stable 503 with the provider's code, nothing is half-written (row
 * counts), jobs that call the provider retry and succeed once it is back.
 */
describe('Stripe and Twilio unavailable', () => {
  let stripe: StripeFake;
  let twilio: TwilioFake;
  let stripeProxy: FaultyProxy;
  let twilioProxy: FaultyProxy;
  let t: TestApp;
  let sql: DataSource;
  let offering: SellableOffering;

  beforeAll(async () => {
    stripe = await startStripeFake();
    twilio = await startTwilioFake();
    stripeProxy = await new FaultyProxy(stripe.url, JSON.stringify({ error: { type: 'api_error', message: 'Service unavailable' } })).start();
    twilioProxy = await new FaultyProxy(twilio.url, JSON.stringify({ code: 20503, message: 'Service unavailable', status: 503 })).start();
    t = await createTestApp({
      ...stripeFakeEnv(stripe),
      ...twilioEnv(twilio),
      STRIPE_API_BASE: stripeProxy.url,
      TWILIO_API_BASE_URL: twilioProxy.url,
      // Short, explicit timeouts (production: 10 s and 15 s) so "slow" is decided quickly.
      STRIPE_TIMEOUT_MS: '500',
      STRIPE_MAX_NETWORK_RETRIES: '1',
      TWILIO_TIMEOUT_MS: '500',
    });
    sql = t.app.get(DataSource);
    offering = await createSellableOffering(t, { priceMinor: 12_000, currency: 'EUR' });
  });
  afterAll(async () => {
    await t?.close();
    await stripeProxy?.close();
    await twilioProxy?.close();
    await stripe?.close();
    await twilio?.close();
  });
  afterEach(async () => {
    await stripeProxy.set('up');
    await twilioProxy.set('up');
    expect(await unbalancedLedgerTransactions(t)).toEqual([]);
  });

  describe.each(FAULTS)('Stripe %s', (mode) => {
    it('checkout: 503 PAYMENT_PROVIDER_UNAVAILABLE, no checkout, no payment, the session closed at once; works when Stripe is back', async () => {
      const client = await signedIn(t);
      // A first checkout makes the client's Stripe Customer: the outage meets the checkout itself.
      await startCheckout(t, client.token, (await createSellableOffering(t, { priceMinor: 5_000, currency: 'EUR' })).offeringId);
      const before = await rowCounts(t, PAYMENT_TABLES);
      await stripeProxy.set(mode);

      const res = await request(t.server).post('/api/checkout/create-session').set(bearer(client.token)).send({ offeringId: offering.offeringId });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'PAYMENT_PROVIDER_UNAVAILABLE' });
      // The booking attempt is closed (EXPIRED, reason checkout_unavailable) with its two
      // transitions, their audit entries and the client's "session expired" notice (and email
      // job); no checkout id, no payment, no money moved.
      expect(await rowCounts(t, PAYMENT_TABLES)).toEqual(
        plus(before, { legal_sessions: 1, session_events: 2, audit_events: 2, notifications: 1, email_outbox: 1, 'pgboss.job': 1 }),
      );
      const [row] = await sql.query(
        'SELECT status, stripe_checkout_session_id AS "checkoutId" FROM legal_sessions WHERE client_id = $1 AND offering_id = $2',
        [client.id, offering.offeringId],
      );
      expect(row).toEqual({ status: 'EXPIRED', checkoutId: null });

      await stripeProxy.set('up');
      const { sessionId } = await startCheckout(t, client.token, offering.offeringId);
      expect((await findSession(t, sessionId)).status).toBe('PENDING_PAYMENT');
    });

    it('the refund job: the cancel answers 200 at once, the job fails while Stripe is unavailable, retries and refunds once when it is back', async () => {
      const client = await signedIn(t);
      const { sessionId } = await startCheckout(t, client.token, offering.offeringId);
      const { events } = await stripe.api.completeCheckout((await findSession(t, sessionId)).stripeCheckoutSessionId!, 'paid');
      for (const e of events) await deliverEvent(t, e).expect(200);
      const before = await rowCounts(t, PAYMENT_TABLES);
      await stripeProxy.set(mode);

      const cancelled = await request(t.server).post(`/api/sessions/${sessionId}/cancel`).set(bearer(client.token)).send({ reason: 'Plans changed' });
      expect(cancelled.status).toBe(200);
      const refundId: string = cancelled.body.refund.id;
      // The job's first attempt fails (pg-boss counts a retry); the refund waits, PENDING.
      await eventually(
        async () => (await sql.query(`SELECT retry_count FROM pgboss.job WHERE name = $1 AND data->>'refundId' = $2`, [REFUND_QUEUE, refundId]))[0]?.retry_count ?? 0,
        (n: number) => n >= 1,
        30_000,
      );
      expect((await sql.query('SELECT status FROM refunds WHERE id = $1', [refundId]))[0].status).toBe('PENDING');
      const reached = () => stripe.sent('/v1/refunds', 'POST').filter((r) => r.headers['idempotency-key'] === `refund-${refundId}`);
      expect(reached()).toHaveLength(0);

      await stripeProxy.set('up');
      await eventually(async () => (await sql.query('SELECT status FROM refunds WHERE id = $1', [refundId]))[0].status, (s) => s === 'SUCCEEDED', 60_000);
      // One refund, one reversal: cancel + refund requested + confirmed in the audit trail.
      expect(await rowCounts(t, PAYMENT_TABLES)).toEqual(
        plus(before, { refunds: 1, session_events: 1, ledger_transactions: 1, ledger_entries: 3, audit_events: 3, notifications: 3, email_outbox: 3, 'pgboss.job': 4 }),
      );
      // Stripe saw the refund only once it was back, and made one.
      expect(reached().map((r) => r.status)).toEqual([200]);
    });
  });

  describe.each(FAULTS)('Twilio %s', (mode) => {
    it('joining the call: 503 VIDEO_PROVIDER_UNAVAILABLE, no room and no participant written; the next join works', async () => {
      const s = await videoSession(t);
      const before = await rowCounts(t, VIDEO_TABLES);
      await twilioProxy.set(mode);

      const res = await join(t, s.client, s.sessionId, true);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'VIDEO_PROVIDER_UNAVAILABLE' });
      expect(await rowCounts(t, VIDEO_TABLES)).toEqual(before);

      await twilioProxy.set('up');
      const ok = await join(t, s.client, s.sessionId, true);
      expect(ok.status).toBe(200);
      const after = await rowCounts(t, VIDEO_TABLES);
      expect(after.video_rooms).toBe(before.video_rooms + 1);
      expect(after.video_participants).toBeGreaterThan(before.video_participants);
    });
  });
});

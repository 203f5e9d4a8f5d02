import { DataSource } from 'typeorm';
import { SessionLifecycle } from '../../src/modules/consultations-core/session-lifecycle.service';
import { JobsService } from '../../src/modules/jobs/jobs.service';
import { CheckoutExpiryService } from '../../src/modules/payments/checkout-expiry.service';
import { CHECKOUT_EXPIRY_SWEEP_QUEUE, RECONCILE_QUEUE, REFUND_QUEUE } from '../../src/modules/payments/payment-queues';
import { PaymentsService } from '../../src/modules/payments/payments.service';
import { ReconciliationService } from '../../src/modules/payments/reconciliation.service';
import { RefundsService } from '../../src/modules/payments/refunds.service';
import {
  createSellableOffering,
  deliverEvent,
  findSession,
  payAtStripe,
  startCheckout,
  stripeFakeEnv,
  type SellableOffering,
} from '../factories/payments';
import { createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { startStripeFake, type StripeFake } from './stripe-fake-server';

/** The payments module's pg-boss jobs: reconciliation, checkout expiry, refunds. */
describe('payments jobs', () => {
  let fake: StripeFake;
  let t: TestApp;
  let sql: DataSource;
  let offering: SellableOffering;

  beforeAll(async () => {
    fake = await startStripeFake();
    t = await createTestApp(stripeFakeEnv(fake));
    sql = t.app.get(DataSource);
    offering = await createSellableOffering(t, { priceMinor: 15_000, currency: 'EUR' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const pendingSessionId = async () => {
    const client = await createUser(t, { role: 'CLIENT' });
    return (await startCheckout(t, (await login(t, client)).accessToken, offering.offeringId)).sessionId;
  };
  const paidSession = async () => {
    const sessionId = await pendingSessionId();
    const { paymentIntentId } = await payAtStripe(t, fake, sessionId);
    return { sessionId, paymentIntentId };
  };
  const status = async (sessionId: string) => (await findSession(t, sessionId)).status;
  const countPayments = async (sessionId: string) =>
    (await sql.query('SELECT count(*)::int AS n FROM payments WHERE session_id = $1', [sessionId]))[0].n;

  describe('reconciliation', () => {
    it('applies a paid checkout whose webhook never arrived, once, through the webhook path', async () => {
      const sessionId = await pendingSessionId();
      const session = await findSession(t, sessionId);
      const { events } = await fake.api.completeCheckout(session.stripeCheckoutSessionId!, 'paid'); // never delivered
      expect(await status(sessionId)).toBe('PENDING_PAYMENT');

      await t.app.get(JobsService).send(RECONCILE_QUEUE, {});
      await eventually(
        () => status(sessionId),
        (s) => s === 'PAID',
        15_000,
      );
      const syntheticId = `reconciliation:${session.stripeCheckoutSessionId}:paid`;
      expect(await sql.query('SELECT id, source, type FROM stripe_events WHERE id = $1', [syntheticId])).toEqual([
        { id: syntheticId, source: 'reconciliation', type: 'checkout.session.completed' },
      ]);
      const payEvents = await sql.query(
        `SELECT payload->>'source' AS source FROM session_events WHERE session_id = $1 AND action = 'pay'`,
        [sessionId],
      );
      expect(payEvents).toEqual([{ source: 'reconciliation' }]);

      // Listing used Stripe's pagination with a created filter of ~3 days.
      const list = fake.sent('/v1/checkout/sessions', 'GET').at(-1)!;
      expect(Number((list.params.created as Record<string, string>).gte)).toBeGreaterThan(Date.now() / 1000 - 3 * 86400 - 120);
      expect(list.params.limit).toBe('100');

      // Running again, and the late webhook itself, change nothing.
      const report = await t.app.get(ReconciliationService).run();
      expect(report.paymentsApplied).toBe(0);
      await deliverEvent(t, events[0]!).expect(200);
      expect(await countPayments(sessionId)).toBe(1);
      expect(
        await sql.query(`SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND action = 'pay'`, [sessionId]),
      ).toEqual([{ n: 1 }]);
    });

    it('walks every page of Checkout Sessions (cursor pagination)', async () => {
      const sessions: string[] = [];
      for (let i = 0; i < 5; i++) sessions.push(await pendingSessionId());
      for (const id of sessions) await fake.api.completeCheckout((await findSession(t, id)).stripeCheckoutSessionId!, 'paid');
      const before = fake.requests.length;
      const report = await t.app.get(ReconciliationService).run(new Date(), 2);
      expect(report.paymentsApplied).toBe(5);
      for (const id of sessions) expect(await status(id)).toBe('PAID');
      const pages = fake.requests.slice(before).filter((r) => r.method === 'GET' && r.path === '/v1/checkout/sessions');
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(pages[0]!.params.starting_after).toBeUndefined();
      expect(pages[1]!.params.starting_after).toMatch(/^cs_test_/);
    });

    it('applies a checkout that expired at Stripe while its webhook was lost', async () => {
      const sessionId = await pendingSessionId();
      fake.clockOffsetSeconds = 25 * 3600; // past the checkout's expires_at: Stripe lapses it (event not delivered)
      try {
        const report = await t.app.get(ReconciliationService).run();
        expect(report.expiriesApplied).toBeGreaterThanOrEqual(1);
      } finally {
        fake.clockOffsetSeconds = 0;
      }
      expect(await status(sessionId)).toBe('EXPIRED');
    });
  });

  describe('checkout expiry', () => {
    it('expires an old pending session: asks Stripe to expire the checkout, then the session', async () => {
      const sessionId = await pendingSessionId();
      const { stripeCheckoutSessionId } = await findSession(t, sessionId);
      await sql.query(`UPDATE legal_sessions SET checkout_expires_at = now() - interval '1 minute' WHERE id = $1`, [sessionId]);
      await t.app.get(JobsService).send(CHECKOUT_EXPIRY_SWEEP_QUEUE, {});
      await eventually(
        () => status(sessionId),
        (s) => s === 'EXPIRED',
        15_000,
      );
      const expire = fake.sent(`/v1/checkout/sessions/${stripeCheckoutSessionId}/expire`, 'POST');
      expect(expire).toHaveLength(1);
      expect(expire[0]!.headers['idempotency-key']).toBe(`checkout-expire-${stripeCheckoutSessionId}`);
      expect((await fake.objects('checkout.session')).find((c) => c.id === stripeCheckoutSessionId)).toMatchObject({
        status: 'expired',
        url: null,
      });
      const events = await sql.query(
        `SELECT action, actor_id AS actor, payload->>'reason' AS reason FROM session_events WHERE session_id = $1 ORDER BY id`,
        [sessionId],
      );
      expect(events.at(-1)).toEqual({ action: 'expire', actor: null, reason: 'checkout_expired' });
    });

    it('applies the payment instead when Stripe says the overdue checkout was paid', async () => {
      const sessionId = await pendingSessionId();
      await fake.api.completeCheckout((await findSession(t, sessionId)).stripeCheckoutSessionId!, 'paid'); // webhook lost
      await sql.query(`UPDATE legal_sessions SET checkout_expires_at = now() - interval '1 minute' WHERE id = $1`, [sessionId]);
      expect(await t.app.get(CheckoutExpiryService).expireOverdue(sessionId)).toBe(false);
      expect(await status(sessionId)).toBe('PAID');
      expect(await countPayments(sessionId)).toBe(1);
    });

    it('expires locally when Stripe is unreachable (a late payment would still unlock it)', async () => {
      const sessionId = await pendingSessionId();
      await sql.query(`UPDATE legal_sessions SET checkout_expires_at = now() - interval '1 minute' WHERE id = $1`, [sessionId]);
      fake.fail('POST', /\/expire$/, { status: 503, times: 3 });
      expect(await t.app.get(CheckoutExpiryService).expireOverdue(sessionId)).toBe(true);
      expect(await status(sessionId)).toBe('EXPIRED');
    });

    it('abandonCheckout (client cancelled before paying) expires the checkout at Stripe through a job', async () => {
      const sessionId = await pendingSessionId();
      const { stripeCheckoutSessionId, clientId } = await findSession(t, sessionId);
      const lifecycle = t.app.get(SessionLifecycle);
      await sql.transaction(async (m) => {
        const locked = await lifecycle.lock(m, sessionId);
        await lifecycle.transition(
          m,
          locked,
          'cancel',
          { id: clientId, role: 'CLIENT' },
          { cancelledAt: new Date(), cancelledBy: clientId },
        );
        await t.app.get(PaymentsService).abandonCheckout(m, sessionId);
      });
      await eventually(
        async () => (await fake.objects('checkout.session')).find((c) => c.id === stripeCheckoutSessionId)?.status,
        (s) => s === 'expired',
        15_000,
      );
      expect(await status(sessionId)).toBe('CANCELLED');
    });
  });

  describe('refunds', () => {
    const refundRow = (id: string) =>
      sql
        .query(
          `SELECT r.status, r.amount_minor::int AS amount, r.stripe_refund_id AS "stripeRefundId", r.failure_reason AS "failureReason",
                p.refunded_minor::int AS "refundedMinor",
                (SELECT count(*)::int FROM ledger_transactions l WHERE l.refund_id = r.id) AS reversals
           FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.id = $1`,
          [id],
        )
        .then((rows) => rows[0]);

    it('the refund job refunds at Stripe, marks SUCCEEDED and posts the reversal; a retry changes nothing', async () => {
      const { sessionId, paymentIntentId } = await paidSession();
      const refund = (await sql.transaction((m) =>
        t.app
          .get(PaymentsService)
          .requestRefund(m, { sessionId, amountMinor: 6_000, reason: 'Partial goodwill refund', requestedBy: null }),
      ))!;
      expect(refund).toMatchObject({ amountMinor: 6_000, currency: 'EUR', status: 'PENDING', reason: 'Partial goodwill refund' });
      expect(
        await sql.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'refundId' = $2`, [
          REFUND_QUEUE,
          refund.id,
        ]),
      ).toEqual([{ n: 1 }]);

      await eventually(
        () => refundRow(refund.id),
        (r) => r.status === 'SUCCEEDED',
        15_000,
      );
      expect(await refundRow(refund.id)).toEqual({
        status: 'SUCCEEDED',
        amount: 6_000,
        stripeRefundId: expect.stringMatching(/^re_/),
        failureReason: null,
        refundedMinor: 6_000,
        reversals: 1,
      });
      const creates = fake
        .sent('/v1/refunds', 'POST')
        .filter((r) => (r.params.metadata as Record<string, string>)?.refundId === refund.id);
      expect(creates.length).toBeGreaterThanOrEqual(1);
      expect(creates[0]!.headers['idempotency-key']).toBe(`refund-${refund.id}`);
      expect(creates[0]!.params).toMatchObject({
        payment_intent: paymentIntentId,
        amount: '6000',
        metadata: { refundId: refund.id, sessionId },
      });

      // A redelivered job (pg-boss at-least-once) finds it SUCCEEDED and does nothing.
      await t.app.get(RefundsService).process(refund.id);
      expect(await refundRow(refund.id)).toMatchObject({ status: 'SUCCEEDED', refundedMinor: 6_000, reversals: 1 });
      expect((await fake.objects('refund')).filter((r) => r.payment_intent === paymentIntentId)).toHaveLength(1);
      // So does Stripe's own webhook for the same refund.
      const created = fake.events.find(
        (e) => e.type === 'refund.created' && (e.data.object.metadata as Record<string, string>).refundId === refund.id,
      )!;
      await deliverEvent(t, created).expect(200);
      expect(await refundRow(refund.id)).toMatchObject({ status: 'SUCCEEDED', refundedMinor: 6_000, reversals: 1 });
    });

    it('a lost answer is retried with the same Idempotency-Key and Stripe refunds once', async () => {
      const { sessionId, paymentIntentId } = await paidSession();
      // Stripe executes the refund, but the answer never reaches us (three times: the SDK's own retries too).
      fake.fail('POST', /^\/v1\/refunds$/, { status: 500, times: 3, when: 'after' });
      const refund = (await sql.transaction((m) =>
        t.app
          .get(PaymentsService)
          .requestRefund(m, { sessionId, amountMinor: 15_000, reason: 'Cancelled by the lawyer', requestedBy: null }),
      ))!;
      await eventually(
        () => refundRow(refund.id),
        (r) => r.status === 'SUCCEEDED',
        30_000,
      );
      const attempts = fake
        .sent('/v1/refunds', 'POST')
        .filter((r) => (r.params.metadata as Record<string, string>)?.refundId === refund.id);
      expect(attempts.length).toBeGreaterThanOrEqual(4);
      expect(new Set(attempts.map((a) => a.headers['idempotency-key']))).toEqual(new Set([`refund-${refund.id}`]));
      expect((await fake.objects('refund')).filter((r) => r.payment_intent === paymentIntentId)).toHaveLength(1);
      expect(await refundRow(refund.id)).toMatchObject({ status: 'SUCCEEDED', refundedMinor: 15_000, reversals: 1 });
    });

    it('a refusal by Stripe marks the refund FAILED with the reason (audited), nothing posted', async () => {
      const { sessionId, paymentIntentId } = await paidSession();
      // Someone refunded everything in the dashboard first (its webhook not delivered yet).
      const res = await fake.api.handle({
        method: 'POST',
        path: '/v1/refunds',
        query: '',
        headers: { authorization: `Bearer ${fake.apiKey}` },
        body: `payment_intent=${paymentIntentId}`,
      });
      expect(res.status).toBe(200);
      const refund = (await sql.transaction((m) =>
        t.app.get(PaymentsService).requestRefund(m, { sessionId, amountMinor: 1_000, reason: 'Goodwill', requestedBy: null }),
      ))!;
      await eventually(
        () => refundRow(refund.id),
        (r) => r.status === 'FAILED',
        15_000,
      );
      expect(await refundRow(refund.id)).toMatchObject({
        status: 'FAILED',
        failureReason: expect.stringContaining('charge_already_refunded'),
        refundedMinor: 0,
        reversals: 0,
      });
      expect(
        await sql.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'refund.failed' AND subject_id = $1`, [
          refund.id,
        ]),
      ).toEqual([{ n: 1 }]);
    });

    it('never refunds more than paid minus refunded and pending; 0 requests nothing', async () => {
      const { sessionId } = await paidSession();
      const request = (amountMinor: number) =>
        sql.transaction((m) =>
          t.app.get(PaymentsService).requestRefund(m, { sessionId, amountMinor, reason: 'Test', requestedBy: null }),
        );
      expect(await request(0)).toBeNull();
      expect(await request(10_000)).toMatchObject({ amountMinor: 10_000 });
      expect(await request(10_000)).toMatchObject({ amountMinor: 5_000 }); // capped at what is left
      expect(await request(1)).toBeNull();
      const money = await t.app.get(PaymentsService).findForSession(sessionId);
      expect(money.payment).toMatchObject({ amountMinor: 15_000, currency: 'EUR' });
      expect(money.refunds.map((r) => r.amountMinor)).toEqual([10_000, 5_000]);
    });

    it('refuses a refund for a session without payment with NOTHING_TO_REFUND', async () => {
      const sessionId = await pendingSessionId();
      await expect(
        sql.transaction((m) =>
          t.app.get(PaymentsService).requestRefund(m, { sessionId, amountMinor: 100, reason: 'x', requestedBy: null }),
        ),
      ).rejects.toMatchObject({ code: 'NOTHING_TO_REFUND', status: 409 });
    });
  });
});

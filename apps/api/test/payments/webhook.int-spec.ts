import { DataSource } from 'typeorm';
import type { LegalSession } from '../../src/modules/consultations-core/legal-session';
import { SessionLifecycle } from '../../src/modules/consultations-core/session-lifecycle.service';
import {
  checkoutObject,
  countRows,
  createSellableOffering,
  deliverEvent,
  findSession,
  payAtStripe,
  signPayload,
  startCheckout,
  stripeEvent,
  stripeFakeEnv,
  type SellableOffering,
} from '../factories/payments';
import { createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { startStripeFake, type StripeFake } from './stripe-fake-server';

/** Done-when 2: the webhook is verified, idempotent and order-independent. */
describe('POST /api/webhooks/stripe', () => {
  let fake: StripeFake;
  let t: TestApp;
  let sql: DataSource;
  let offering: SellableOffering;

  beforeAll(async () => {
    fake = await startStripeFake();
    t = await createTestApp(stripeFakeEnv(fake));
    sql = t.app.get(DataSource);
    offering = await createSellableOffering(t, { priceMinor: 20_000, currency: 'USD' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  /** A session in PENDING_PAYMENT with a real Checkout Session at the fake. */
  const pendingSession = async (): Promise<LegalSession> => {
    const client = await createUser(t, { role: 'CLIENT' });
    const { sessionId } = await startCheckout(t, (await login(t, client)).accessToken, offering.offeringId);
    return findSession(t, sessionId);
  };

  const facts = async (sessionId: string) => {
    const [row] = await sql.query(
      `SELECT s.status,
              (SELECT count(*)::int FROM payments p WHERE p.session_id = s.id) AS payments,
              (SELECT count(*)::int FROM session_events e WHERE e.session_id = s.id AND e.action = 'pay') AS "payTransitions",
              (SELECT count(*)::int FROM ledger_transactions l WHERE l.session_id = s.id AND l.kind = 'PAYMENT') AS "ledgerPayments",
              (SELECT count(*)::int FROM ledger_entries e JOIN ledger_transactions l ON l.id = e.transaction_id WHERE l.session_id = s.id) AS "ledgerEntries",
              (SELECT count(*)::int FROM audit_events a WHERE a.action = 'session.paid' AND a.subject_id = s.id::text) AS "paidAudits"
         FROM legal_sessions s WHERE s.id = $1`,
      [sessionId],
    );
    return row as {
      status: string;
      payments: number;
      payTransitions: number;
      ledgerPayments: number;
      ledgerEntries: number;
      paidAudits: number;
    };
  };

  it('50 concurrent deliveries of one signed event: one payment, one PAID transition, one set of ledger entries', async () => {
    const session = await pendingSession();
    const event = stripeEvent('checkout.session.completed', checkoutObject(session));
    const payload = JSON.stringify(event, null, 2);
    const signature = signPayload(payload);
    const responses = await Promise.all(Array.from({ length: 50 }, () => deliverEvent(t, event, { payload, signature })));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(await facts(session.id)).toEqual({
      status: 'PAID',
      payments: 1,
      payTransitions: 1,
      ledgerPayments: 1,
      ledgerEntries: 3,
      paidAudits: 1,
    });
    expect(await sql.query(`SELECT source, type FROM stripe_events WHERE id = $1`, [event.id])).toEqual([
      { source: 'webhook', type: 'checkout.session.completed' },
    ]);
    const [payment] = await sql.query(
      `SELECT amount_minor::int AS amount, currency, stripe_checkout_session_id AS checkout, source_event_id AS "eventId" FROM payments WHERE session_id = $1`,
      [session.id],
    );
    expect(payment).toEqual({ amount: 20_000, currency: 'USD', checkout: session.stripeCheckoutSessionId, eventId: event.id });
    const [sums] = await sql.query(
      `SELECT sum(e.amount_minor)::int AS total, count(*) FILTER (WHERE e.account = 'stripe_clearing' AND e.amount_minor = 20000)::int AS clearing
         FROM ledger_entries e JOIN ledger_transactions l ON l.id = e.transaction_id WHERE l.session_id = $1`,
      [session.id],
    );
    expect(sums).toEqual({ total: 0, clearing: 1 });
    expect((await findSession(t, session.id)).paidAt).toBeInstanceOf(Date);
  });

  it('every change of a session row appends a session_events row, attaching its checkout included', async () => {
    const session = await pendingSession();
    const attached = await sql.query(`SELECT action, from_status, to_status, payload FROM session_events WHERE session_id = $1 AND action = 'checkout_attached'`, [
      session.id,
    ]);
    expect(attached).toEqual([
      {
        action: 'checkout_attached',
        from_status: 'PENDING_PAYMENT',
        to_status: 'PENDING_PAYMENT',
        payload: { stripeCheckoutSessionId: session.stripeCheckoutSessionId },
      },
    ]);
    await deliverEvent(t, stripeEvent('checkout.session.completed', checkoutObject(session))).expect(200);
    // `version` starts at 1 with the `create` event and grows by one with every change of the row.
    const drift = await sql.query(
      `SELECT s.id, s.version, (SELECT count(*)::int FROM session_events e WHERE e.session_id = s.id) AS events
         FROM legal_sessions s
        WHERE s.version <> (SELECT count(*) FROM session_events e WHERE e.session_id = s.id)`,
    );
    expect(drift).toEqual([]);
    expect((await findSession(t, session.id)).version).toBe(3); // created, checkout attached, paid
  });

  it('completed(paid) and async_payment_succeeded(paid), replayed concurrently in any order: exactly one unlock', async () => {
    const session = await pendingSession();
    const completed = stripeEvent('checkout.session.completed', checkoutObject(session));
    const asyncPaid = stripeEvent('checkout.session.async_payment_succeeded', checkoutObject(session));
    const deliveries = Array.from({ length: 20 }, (_, i) => deliverEvent(t, i % 2 ? completed : asyncPaid));
    expect((await Promise.all(deliveries)).map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await facts(session.id)).toMatchObject({ status: 'PAID', payments: 1, payTransitions: 1, ledgerPayments: 1 });
  });

  it('async_payment_succeeded before completed(unpaid): exactly one unlock', async () => {
    const session = await pendingSession();
    await deliverEvent(t, stripeEvent('checkout.session.async_payment_succeeded', checkoutObject(session))).expect(200);
    expect(await facts(session.id)).toMatchObject({ status: 'PAID', payments: 1, payTransitions: 1 });
    await deliverEvent(
      t,
      stripeEvent('checkout.session.completed', checkoutObject(session, { payment_status: 'unpaid' })),
    ).expect(200);
    expect(await facts(session.id)).toMatchObject({ status: 'PAID', payments: 1, payTransitions: 1, ledgerPayments: 1 });
  });

  it('completed(unpaid) unlocks nothing; the async_payment_succeeded after it unlocks once', async () => {
    const session = await pendingSession();
    const unpaid = stripeEvent('checkout.session.completed', checkoutObject(session, { payment_status: 'unpaid' }));
    await deliverEvent(t, unpaid).expect(200);
    expect(await facts(session.id)).toEqual({
      status: 'PENDING_PAYMENT',
      payments: 0,
      payTransitions: 0,
      ledgerPayments: 0,
      ledgerEntries: 0,
      paidAudits: 0,
    });
    expect(await sql.query('SELECT count(*)::int AS n FROM stripe_events WHERE id = $1', [unpaid.id])).toEqual([{ n: 1 }]);
    await deliverEvent(t, stripeEvent('checkout.session.async_payment_succeeded', checkoutObject(session))).expect(200);
    expect(await facts(session.id)).toMatchObject({ status: 'PAID', payments: 1, payTransitions: 1, ledgerPayments: 1 });
  });

  it('refuses a bad signature, a stale timestamp, a wrong secret, an altered body or no signature with 400, writing nothing', async () => {
    const session = await pendingSession();
    const event = stripeEvent('checkout.session.completed', checkoutObject(session));
    const payload = JSON.stringify(event, null, 2);
    const before = await countRows(t);
    const attempts = {
      'bad signature': deliverEvent(t, event, { payload, signature: `t=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}` }),
      'stale timestamp': deliverEvent(t, event, { payload, timestamp: Math.floor(Date.now() / 1000) - 301 }),
      'wrong secret': deliverEvent(t, event, { payload, secret: 'whsec_someone_elses_secret_0123456789' }),
      'altered body': deliverEvent(t, event, {
        payload: payload.replace('"amount_total": 20000', '"amount_total": 1'),
        signature: signPayload(payload),
      }),
      'no signature': deliverEvent(t, event, { payload, signature: '' }),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      const res = await attempt;
      expect({ name, status: res.status, code: res.body.code }).toEqual({ name, status: 400, code: 'STRIPE_SIGNATURE_INVALID' });
    }
    expect(await countRows(t)).toEqual(before);
    expect((await findSession(t, session.id)).status).toBe('PENDING_PAYMENT');
    // The same event, correctly signed, is accepted: the refusals were about the signature alone.
    await deliverEvent(t, event, { payload }).expect(200);
    expect((await findSession(t, session.id)).status).toBe('PAID');
  });

  it('stores an unknown event type and ignores it (200)', async () => {
    const before = await countRows(t);
    const event = stripeEvent('customer.subscription.created', { id: 'sub_123', object: 'subscription' });
    await deliverEvent(t, event).expect(200, { received: true });
    await deliverEvent(t, event).expect(200, { received: true });
    const after = await countRows(t);
    expect(after).toEqual({ ...before, stripe_events: before.stripe_events! + 1 });
  });

  it('checkout.session.expired expires the session; a payment arriving afterwards still unlocks it', async () => {
    const session = await pendingSession();
    await deliverEvent(
      t,
      stripeEvent(
        'checkout.session.expired',
        checkoutObject(session, { status: 'expired', payment_status: 'unpaid', payment_intent: null }),
      ),
    ).expect(200);
    expect(await facts(session.id)).toMatchObject({ status: 'EXPIRED', payments: 0 });
    await deliverEvent(t, stripeEvent('checkout.session.completed', checkoutObject(session))).expect(200);
    expect(await facts(session.id)).toMatchObject({ status: 'PAID', payments: 1, payTransitions: 1 });
  });

  it('async_payment_failed expires the session with the reason', async () => {
    const session = await pendingSession();
    await deliverEvent(
      t,
      stripeEvent('checkout.session.async_payment_failed', checkoutObject(session, { payment_status: 'unpaid' })),
    ).expect(200);
    const events = await sql.query(
      `SELECT action, payload->>'reason' AS reason FROM session_events WHERE session_id = $1 ORDER BY id`,
      [session.id],
    );
    expect(events).toEqual([
      { action: 'create', reason: null },
      { action: 'checkout_attached', reason: null },
      { action: 'expire', reason: 'payment_failed' },
    ]);
  });

  it('a payment for a CANCELLED session is recorded and refunded in full automatically', async () => {
    const session = await pendingSession();
    const lifecycle = t.app.get(SessionLifecycle);
    await sql.transaction(async (m) => {
      const locked = await lifecycle.lock(m, session.id);
      await lifecycle.transition(
        m,
        locked,
        'cancel',
        { id: session.clientId, role: 'CLIENT' },
        { cancelledAt: new Date(), cancelledBy: session.clientId },
      );
    });
    const { paymentIntentId } = await payAtStripe(t, fake, session.id);
    expect(await facts(session.id)).toMatchObject({ status: 'CANCELLED', payments: 1, payTransitions: 0, ledgerPayments: 1 });
    const refund = await eventually(
      () =>
        sql.query(
          `SELECT status, amount_minor::int AS amount, reason, stripe_refund_id AS "stripeRefundId" FROM refunds WHERE session_id = $1`,
          [session.id],
        ),
      (rows: { status: string }[]) => rows[0]?.status === 'SUCCEEDED',
    );
    expect(refund).toEqual([
      {
        status: 'SUCCEEDED',
        amount: 20_000,
        reason: expect.stringContaining('cancelled'),
        stripeRefundId: expect.stringMatching(/^re_/),
      },
    ]);
    const stripeRefunds = (await fake.objects('refund')).filter((r) => r.payment_intent === paymentIntentId);
    expect(stripeRefunds).toHaveLength(1);
    // The reversal restores every balance of this payment to zero.
    const balances = await sql.query(
      `SELECT e.account, sum(e.amount_minor)::int AS balance FROM ledger_entries e JOIN ledger_transactions l ON l.id = e.transaction_id
        WHERE l.session_id = $1 GROUP BY e.account HAVING sum(e.amount_minor) <> 0`,
      [session.id],
    );
    expect(balances).toEqual([]);
  });

  describe('refunds made in the Stripe dashboard', () => {
    /** A refund created at Stripe directly (no metadata of ours), returning the events Stripe emitted. */
    const dashboardRefund = async (paymentIntentId: string, amount: number) => {
      const first = fake.events.length;
      const res = await fake.api.handle({
        method: 'POST',
        path: '/v1/refunds',
        query: '',
        headers: { authorization: `Bearer ${fake.apiKey}` },
        body: `payment_intent=${paymentIntentId}&amount=${amount}`,
      });
      expect(res.status).toBe(200);
      await eventually(
        () => fake.events.length,
        (n) => n >= first + 2,
      );
      const emitted = fake.events.slice(first);
      return {
        refundCreated: emitted.find((e) => e.type === 'refund.created')!,
        chargeRefunded: emitted.find((e) => e.type === 'charge.refunded')!,
      };
    };
    const refundRows = (sessionId: string) =>
      sql.query(
        `SELECT r.status, r.amount_minor::int AS amount, r.reason, r.requested_by AS "requestedBy", p.refunded_minor::int AS "refundedMinor",
                (SELECT count(*)::int FROM ledger_transactions l WHERE l.refund_id = r.id AND l.kind = 'REFUND') AS reversals
           FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.session_id = $1`,
        [sessionId],
      );

    it('refund.created records the refund and its ledger reversal once; charge.refunded after it changes nothing', async () => {
      const session = await pendingSession();
      const { paymentIntentId } = await payAtStripe(t, fake, session.id);
      const { refundCreated, chargeRefunded } = await dashboardRefund(paymentIntentId, 5_000);
      await deliverEvent(t, refundCreated).expect(200);
      await deliverEvent(t, chargeRefunded).expect(200);
      await deliverEvent(t, refundCreated).expect(200);
      expect(await refundRows(session.id)).toEqual([
        {
          status: 'SUCCEEDED',
          amount: 5_000,
          reason: 'Refunded in Stripe',
          requestedBy: null,
          refundedMinor: 5_000,
          reversals: 1,
        },
      ]);
    });

    it('charge.refunded alone is enough: the refunds are listed from Stripe', async () => {
      const session = await pendingSession();
      const { paymentIntentId } = await payAtStripe(t, fake, session.id);
      const { chargeRefunded } = await dashboardRefund(paymentIntentId, 20_000);
      await deliverEvent(t, chargeRefunded).expect(200);
      expect(await refundRows(session.id)).toEqual([
        {
          status: 'SUCCEEDED',
          amount: 20_000,
          reason: 'Refunded in Stripe',
          requestedBy: null,
          refundedMinor: 20_000,
          reversals: 1,
        },
      ]);
    });

    it('a refund event whose payment webhook never came applies the payment first, then the refund', async () => {
      const session = await pendingSession();
      const { session: cs } = await fake.api.completeCheckout(session.stripeCheckoutSessionId!, 'paid'); // its event is never delivered
      const { refundCreated } = await dashboardRefund(cs.payment_intent as string, 7_500);
      await deliverEvent(t, refundCreated).expect(200);
      expect(await facts(session.id)).toMatchObject({ status: 'PAID', payments: 1, payTransitions: 1, ledgerPayments: 1 });
      expect(await refundRows(session.id)).toEqual([
        {
          status: 'SUCCEEDED',
          amount: 7_500,
          reason: 'Refunded in Stripe',
          requestedBy: null,
          refundedMinor: 7_500,
          reversals: 1,
        },
      ]);
    });
  });
});

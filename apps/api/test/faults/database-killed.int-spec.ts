import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  checkoutObject,
  createSellableOffering,
  deliverEvent,
  findSession,
  startCheckout,
  stripeEvent,
  stripeFakeEnv,
  type SellableOffering,
} from '../factories/payments';
import { completedViaApi, submitReview } from '../factories/reviews';
import { createBookableLawyer, createSession, signedIn, slotAfter, type BookableLawyer, type Caller } from '../factories/sessions';
import { bearer, createUser, login } from '../factories/users';
import { startStripeFake, type StripeFake } from '../payments/stripe-fake-server';
import { createTestApp, type TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { DatabaseKiller, plus, rowCounts, unbalancedLedgerTransactions } from './fault-support';

/** Every table the five flows below write (directly or through notifications, webhooks and jobs). */
const TABLES = [
  'legal_sessions',
  'session_events',
  'session_bookings',
  'stripe_events',
  'payments',
  'refunds',
  'ledger_transactions',
  'ledger_entries',
  'payee_balances',
  'audit_events',
  'reviews',
  'review_states',
  'payouts',
  'notifications',
  'email_outbox',
  'webhook_events',
  'pgboss.job',
] as const;

/** What scheduling a paid session writes: the transition, its audit entry, notices to both parties, and the reminder job. */
const SCHEDULED = { session_events: 1, audit_events: 1, notifications: 2, email_outbox: 2, 'pgboss.job': 3 };
/** What a review writes: the review, its visibility state, its audit entry and the lawyer's notice. */
const REVIEWED = { reviews: 1, review_states: 1, audit_events: 1, notifications: 1, email_outbox: 1, 'pgboss.job': 1 };

/**
 * Issue 18, faults: the app's database connection dies in the middle of a transaction
 * (pg_terminate_backend from another connection, while the app's transaction waits on the
 * audit chain lock after its other writes). The client gets 503 DATABASE_UNAVAILABLE (not a
 * 500), nothing of the transaction is left, the ledger stays balanced, and the same request
 * again (or Stripe's redelivery, or the job's retry) completes exactly once.
 */
describe('the database connection killed mid-transaction', () => {
  let fake: StripeFake;
  let t: TestApp;
  let sql: DataSource;
  let killer: DatabaseKiller;
  let offering: SellableOffering;

  beforeAll(async () => {
    fake = await startStripeFake();
    // One Stripe attempt per call (no SDK retries), so the refund job's retry below is pg-boss'.
    t = await createTestApp({ ...stripeFakeEnv(fake), STRIPE_MAX_NETWORK_RETRIES: '0' });
    sql = t.app.get(DataSource);
    killer = await DatabaseKiller.connect(t);
    offering = await createSellableOffering(t, { priceMinor: 20_000, currency: 'EUR' });
  });
  afterAll(async () => {
    await killer?.close();
    await t?.close();
    await fake?.close();
  });

  const counts = () => rowCounts(t, TABLES);
  const expectUnavailable = (res: request.Response) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(res.headers['retry-after']).toBe('5');
  };
  afterEach(async () => {
    expect(await unbalancedLedgerTransactions(t)).toEqual([]);
  });

  it('the Stripe payment webhook: 503, nothing recorded; Stripe’s redelivery pays the session once', async () => {
    const client = await createUser(t, { role: 'CLIENT' });
    const own = await createSellableOffering(t, { priceMinor: 20_000, currency: 'EUR' });
    const { sessionId } = await startCheckout(t, (await login(t, client)).accessToken, own.offeringId);
    const session = await findSession(t, sessionId);
    const event = stripeEvent('checkout.session.completed', checkoutObject(session));
    const before = await counts();

    expectUnavailable(await killer.killDuring(() => deliverEvent(t, event)));
    expect(await counts()).toEqual(before);
    expect((await findSession(t, sessionId)).status).toBe('PENDING_PAYMENT');

    // Stripe redelivers a non-2xx event; the second (and a third) delivery apply it exactly once.
    await deliverEvent(t, event).expect(200);
    await deliverEvent(t, event).expect(200);
    expect((await findSession(t, sessionId)).status).toBe('PAID');
    // One event, one payment, one balanced ledger posting (clearing, fee, the lawyer's share),
    // the pay transition, its audit entries, and the receipts to both parties (with their jobs).
    expect(await counts()).toEqual(
      plus(before, {
        stripe_events: 1,
        payments: 1,
        ledger_transactions: 1,
        ledger_entries: 3,
        payee_balances: 1,
        session_events: 1,
        audit_events: 3,
        notifications: 2,
        email_outbox: 2,
        'pgboss.job': 2,
      }),
    );
  });

  it('scheduling a session: 503, the slot stays free; the same request again books it once', async () => {
    const lawyer: BookableLawyer = await createBookableLawyer(t);
    const client: Caller = await signedIn(t);
    const session = await createSession(t, { clientId: client.id, lawyer });
    const startAt = slotAfter(3 * 24 * 60, 60, t.clock.now());
    const schedule = () =>
      request(t.server).post('/api/sessions/schedule').set(bearer(client.token)).send({ sessionId: session.id, startAt: startAt.toISOString() });
    const before = await counts();

    expectUnavailable(await killer.killDuring(() => schedule()));
    expect(await counts()).toEqual(before);
    expect((await findSession(t, session.id)).status).toBe('PAID');

    await schedule().expect(200);
    const booked = await findSession(t, session.id);
    expect({ status: booked.status, startAt: booked.startAt?.toISOString() }).toEqual({ status: 'SCHEDULED', startAt: startAt.toISOString() });
    const after = await counts();
    expect(after).toEqual(plus(before, SCHEDULED));
    // Once only: the same request a third time is refused, nothing more written.
    expect((await schedule()).status).toBe(409);
    expect(await counts()).toEqual(after);
  });

  it('submitting a review: 503, no review; the same request again stores exactly one', async () => {
    const lawyer = await createBookableLawyer(t);
    const client = await signedIn(t);
    const sessionId = await completedViaApi(t, client, lawyer);
    const before = await counts();

    expectUnavailable(await killer.killDuring(() => submitReview(t, client, sessionId, { rating: 5, comment: 'Clear advice' })));
    expect(await counts()).toEqual(before);

    await submitReview(t, client, sessionId, { rating: 5, comment: 'Clear advice' }).expect(201);
    const after = await counts();
    expect(after).toEqual(plus(before, REVIEWED));
    expect((await submitReview(t, client, sessionId, { rating: 5, comment: 'Clear advice' })).body.code).toBe('REVIEW_ALREADY_SUBMITTED');
    expect((await sql.query('SELECT count(*)::int AS n FROM reviews WHERE session_id = $1', [sessionId]))[0].n).toBe(1);
    expect(await counts()).toEqual(after);
  });

  it('creating a payout: 503, no payout and no ledger posting; the same Idempotency-Key again pays once', async () => {
    const lawyer = await createBookableLawyer(t);
    const client = await signedIn(t);
    await createSession(t, { clientId: client.id, lawyer });
    const admin = await signedIn(t, { role: 'ADMIN' });
    const paidAt = new Date(t.clock.nowMs() - 60_000).toISOString();
    const payout = () =>
      request(t.server)
        .post('/api/admin/payouts')
        .set(bearer(admin.token))
        .set('idempotency-key', `fault-payout-${lawyer.id}`)
        .send({
          payeeId: lawyer.id,
          currency: 'EUR',
          amountMinor: 1000,
          method: 'BANK_TRANSFER',
          reference: 'SEPA fault test',
          paidAt,
        });
    const before = await counts();

    expectUnavailable(await killer.killDuring(() => payout()));
    expect(await counts()).toEqual(before);

    const first = await payout();
    expect(first.status).toBe(201);
    const after = await counts();
    // One payout, its balanced ledger posting (payable down, cash out), its audit entry and the payee's notice.
    expect(after).toEqual(
      plus(before, { payouts: 1, ledger_transactions: 1, ledger_entries: 2, audit_events: 1, notifications: 1, email_outbox: 1, 'pgboss.job': 1 }),
    );
    // The same key again answers the same payout and writes nothing.
    const again = await payout();
    expect([200, 201]).toContain(again.status);
    expect(again.body.id).toBe(first.body.id);
    expect(await counts()).toEqual(after);
  });

  it('a refund: the cancel request killed → 503, no refund; the refund job killed → pg-boss retries, refunded once at Stripe and in the ledger', async () => {
    const checkoutClient = await createUser(t, { role: 'CLIENT' });
    const token = (await login(t, checkoutClient)).accessToken;
    const { sessionId } = await startCheckout(t, token, offering.offeringId);
    const { events } = await fake.api.completeCheckout((await findSession(t, sessionId)).stripeCheckoutSessionId!, 'paid');
    for (const e of events) await deliverEvent(t, e).expect(200);
    const cancel = () => request(t.server).post(`/api/sessions/${sessionId}/cancel`).set(bearer(token)).send({ reason: 'Plans changed' });
    const before = await counts();

    // 1. The request that asks for the refund.
    expectUnavailable(await killer.killDuring(() => cancel()));
    expect(await counts()).toEqual(before);
    expect((await findSession(t, sessionId)).status).toBe('PAID');

    // 2. The job that sends it to Stripe and confirms it: Stripe fails its first call (the job
    // retries later), and the confirming transaction of the retry is killed (it retries again).
    fake.fail('POST', /^\/v1\/refunds$/, { status: 500, times: 1 });
    const cancelled = await cancel();
    expect(cancelled.status).toBe(200);
    const refundId: string = cancelled.body.refund.id;
    await eventually(() => fake.sent('/v1/refunds', 'POST').length, (n) => n === 1, 20_000);
    await killer.killNextWriter();
    const status = async () => (await sql.query('SELECT status FROM refunds WHERE id = $1', [refundId]))[0].status as string;
    await eventually(status, (s) => s === 'SUCCEEDED', 60_000);

    // One refund, the cancel transition, one balanced reversal, audit entries (cancel, refund
    // requested, refund confirmed), notices to both parties and the client's refund receipt.
    expect(await counts()).toEqual(
      plus(before, {
        refunds: 1,
        session_events: 1,
        ledger_transactions: 1,
        ledger_entries: 3,
        audit_events: 3,
        notifications: 3,
        email_outbox: 3,
        'pgboss.job': 4,
      }),
    );
    // Three calls at Stripe: the failed one, the one whose confirming transaction was killed (so
    // the victim was the refund job, not another writer) and the retry; all with one idempotency
    // key, so one refund there.
    expect(fake.sent('/v1/refunds', 'POST')).toHaveLength(3);
    const keys = new Set(fake.sent('/v1/refunds', 'POST').map((r) => r.headers['idempotency-key']));
    expect(keys).toEqual(new Set([`refund-${refundId}`]));
    expect(await fake.objects('refund')).toHaveLength(1);
  });
});

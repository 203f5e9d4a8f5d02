import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { LegalSession } from '../../src/modules/consultations-core/legal-session';
import { SessionLifecycle } from '../../src/modules/consultations-core/session-lifecycle.service';
import { StripeEventsService } from '../../src/modules/payments/stripe-events.service';
import { STRIPE_API_VERSION } from '../../src/modules/payments/stripe/stripe-gateway';
import type { StripeFake } from '../payments/stripe-fake-server';
import type { TestApp } from '../setup/test-app';
import { bearer, createUser, type TestUser } from './users';

/** The webhook signing secret the payments specs configure (STRIPE_WEBHOOK_SECRET). */
export const TEST_WEBHOOK_SECRET = 'whsec_test_payments_0123456789abcdef0123';

/** Environment pointing the app's real Stripe SDK at a local fake (see test/payments/stripe-fake-server.ts). */
export function stripeFakeEnv(fake: StripeFake): Record<string, string> {
  return {
    STRIPE_SECRET_KEY: fake.apiKey,
    STRIPE_API_BASE: fake.url,
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    THROTTLE_LIMIT: '100000',
  };
}

export interface SellableOffering {
  lawyer: TestUser & { displayName: string };
  offeringId: string;
  title: string;
  durationMinutes: number;
  priceMinor: number;
  currency: string;
}

/** A VERIFIED, ACTIVE lawyer with one active offering (what getOfferingForSale sells), written to the tables directly. */
export async function createSellableOffering(
  t: TestApp,
  opts: {
    priceMinor?: number;
    currency?: string;
    title?: string;
    durationMinutes?: number;
    displayName?: string;
    lawyer?: TestUser & { displayName: string };
  } = {},
): Promise<SellableOffering> {
  const sql = t.app.get(DataSource);
  const displayName = opts.lawyer?.displayName ?? opts.displayName ?? `Lawyer ${randomBytes(3).toString('hex')}`;
  let lawyer = opts.lawyer;
  if (!lawyer) {
    const [admin, user] = await Promise.all([createUser(t, { role: 'ADMIN' }), createUser(t, { role: 'LAWYER', displayName })]);
    lawyer = { ...user, displayName };
    await sql.query(
      `INSERT INTO lawyer_profiles (user_id, bar_number, bar_jurisdiction, jurisdictions, practice_areas, languages, bio, status, verified_at, verified_by)
       VALUES ($1, 'BAR-1', 'Madrid, Spain', '{ES}', '{family}', '{en}', 'Test lawyer', 'VERIFIED', now(), $2)`,
      [lawyer.id, admin.id],
    );
  }
  const offering = {
    title: opts.title ?? 'Initial consultation',
    durationMinutes: opts.durationMinutes ?? 60,
    priceMinor: opts.priceMinor ?? 9000,
    currency: opts.currency ?? 'EUR',
  };
  const rows: { id: string }[] = await sql.query(
    'INSERT INTO offerings (lawyer_id, title, duration_minutes, price_minor, currency) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [lawyer.id, offering.title, offering.durationMinutes, offering.priceMinor, offering.currency],
  );
  return { lawyer, offeringId: rows[0]!.id, ...offering };
}

/** POST /api/checkout/create-session as the client; fails the test unless 201. */
export async function startCheckout(
  t: TestApp,
  accessToken: string,
  offeringId: string,
): Promise<{ sessionId: string; checkoutUrl: string }> {
  const res = await request(t.server).post('/api/checkout/create-session').set(bearer(accessToken)).send({ offeringId });
  if (res.status !== 201) throw new Error(`create-session failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function findSession(t: TestApp, sessionId: string): Promise<LegalSession> {
  return (await t.app.get(SessionLifecycle).find(sessionId))!;
}

export type TestEvent = {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

/** A Stripe-format event around `object`. */
export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  id = `evt_test_${randomBytes(12).toString('hex')}`,
): TestEvent {
  return {
    id,
    object: 'event',
    api_version: STRIPE_API_VERSION,
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** A Checkout Session object as Stripe sends it in events, for one of our sessions. */
export function checkoutObject(
  session: Pick<
    LegalSession,
    'id' | 'clientId' | 'lawyerId' | 'offeringId' | 'priceMinor' | 'currency' | 'stripeCheckoutSessionId'
  >,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const paid = (overrides.payment_status ?? 'paid') === 'paid';
  return {
    id: session.stripeCheckoutSessionId,
    object: 'checkout.session',
    amount_subtotal: session.priceMinor,
    amount_total: session.priceMinor,
    client_reference_id: session.id,
    created: Math.floor(Date.now() / 1000),
    currency: session.currency.toLowerCase(),
    customer: 'cus_test',
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    livemode: false,
    metadata: { sessionId: session.id, clientId: session.clientId, lawyerId: session.lawyerId, offeringId: session.offeringId },
    mode: 'payment',
    payment_intent: `pi_test_${session.id.replace(/-/g, '').slice(0, 20)}`,
    payment_status: paid ? 'paid' : 'unpaid',
    status: 'complete',
    url: null,
    ...overrides,
  };
}

/** A Stripe-Signature header for `payload`, made by the SDK's own helper. */
export function signPayload(payload: string, opts: { secret?: string; timestamp?: number } = {}): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: opts.secret ?? TEST_WEBHOOK_SECRET,
    timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
  });
}

/** POSTs an event to /api/webhooks/stripe as Stripe would (exact bytes, signed). */
export function deliverEvent(
  t: TestApp,
  event: object,
  opts: { secret?: string; timestamp?: number; payload?: string; signature?: string } = {},
) {
  const payload = opts.payload ?? JSON.stringify(event, null, 2);
  return request(t.server)
    .post('/api/webhooks/stripe')
    .set('content-type', 'application/json; charset=utf-8')
    .set('stripe-signature', opts.signature ?? signPayload(payload, opts))
    .send(payload);
}

/** The customer pays on (the fake) Stripe's page; the events Stripe emits are delivered, signed, to the webhook. */
export async function payAtStripe(t: TestApp, fake: StripeFake, sessionId: string): Promise<{ paymentIntentId: string }> {
  const session = await findSession(t, sessionId);
  const { session: cs, events } = await fake.api.completeCheckout(session.stripeCheckoutSessionId!, 'paid');
  for (const event of events) {
    const res = await deliverEvent(t, event);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { paymentIntentId: cs.payment_intent as string };
}

/**
 * A PAID session the way production pays one (for specs of other modules): the session is
 * created PENDING_PAYMENT with a checkout id, then a verified `checkout.session.completed` goes
 * through the payments module's event path, which records the payment, posts it to the ledger
 * and applies the `pay` transition. No Stripe server is involved; refunds of such a payment
 * need a Stripe (fake or sandbox) that knows its PaymentIntent.
 */
export async function createPaidSession(
  t: TestApp,
  input: {
    clientId: string;
    lawyerId: string;
    offering: { id: string; title: string; durationMinutes: number; priceMinor: number; currency: string };
  },
): Promise<LegalSession> {
  const lifecycle = t.app.get(SessionLifecycle);
  const checkoutId = `cs_test_${randomBytes(16).toString('hex')}`;
  const pending = await t.app.get(DataSource).transaction(async (m) => {
    const created = await lifecycle.createPending(
      m,
      {
        clientId: input.clientId,
        lawyerId: input.lawyerId,
        offering: input.offering,
        checkoutExpiresAt: new Date(Date.now() + 30 * 60_000),
        stripeCheckoutSessionId: checkoutId,
      },
      { id: input.clientId, role: 'CLIENT' },
    );
    return created;
  });
  const outcome = await t.app
    .get(StripeEventsService)
    .process(stripeEvent('checkout.session.completed', checkoutObject(pending)) as unknown as Stripe.Event, 'webhook');
  if (outcome !== 'applied') throw new Error(`payment not applied: ${outcome}`);
  return (await lifecycle.find(pending.id))!;
}

/** Row counts of the tables a payment writes (to prove that a refused request wrote nothing). */
export async function countRows(t: TestApp): Promise<Record<string, number>> {
  const tables = [
    'stripe_events',
    'payments',
    'refunds',
    'session_events',
    'ledger_transactions',
    'ledger_entries',
    'audit_events',
    'legal_sessions',
  ];
  const sql = t.app.get(DataSource);
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = (await sql.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return counts;
}

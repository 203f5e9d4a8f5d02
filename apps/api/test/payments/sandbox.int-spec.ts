import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Stripe from 'stripe';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { PaymentsService } from '../../src/modules/payments/payments.service';
import { BaseUrlHttpClient } from '../../src/modules/payments/stripe/base-url-http-client';
import { STRIPE_API_VERSION, StripeGateway } from '../../src/modules/payments/stripe/stripe-gateway';
import { createSellableOffering, findSession, type SellableOffering } from '../factories/payments';
import { bearer, createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';

/**
 * The embedded default: no STRIPE_SECRET_KEY, so the app's Stripe SDK talks over HTTP to the
 * sandbox this same process serves, and the sandbox's "Pay" POSTs a signed event to this
 * process's own webhook. The app listens on a real port, as with `npm start`.
 */
describe('local Stripe sandbox (STRIPE_SECRET_KEY unset)', () => {
  let t: TestApp;
  let base: string;
  let offering: SellableOffering;
  let client: { id: string; token: string };
  let sql: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', PUBLIC_URL: 'http://localhost:5173' });
    base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    sql = t.app.get(DataSource);
    offering = await createSellableOffering(t, {
      priceMinor: 12_050,
      currency: 'EUR',
      title: 'Contract review',
      displayName: 'Ana García',
    });
    const user = await createUser(t, { role: 'CLIENT' });
    client = { id: user.id, token: (await login(t, user)).accessToken };
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The app's checkout over real HTTP. */
  const checkout = async () => {
    const res = await fetch(`${base}/api/checkout/create-session`, {
      method: 'POST',
      headers: { ...bearer(client.token), 'content-type': 'application/json' },
      body: JSON.stringify({ offeringId: offering.offeringId }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { sessionId: string; checkoutUrl: string };
  };
  /** A Stripe SDK client of our own, pointed at the sandbox's API. */
  const sdk = (key = t.app.get(StripeGateway).apiKey) =>
    new Stripe(key, {
      apiVersion: STRIPE_API_VERSION,
      maxNetworkRetries: 0,
      httpClient: new BaseUrlHttpClient(() => new URL('/api/sandbox/stripe', base)),
    });

  it('signs with a webhook secret generated once into DATA_DIR (mode 0600)', () => {
    const file = join(t.config.dataDir, 'stripe-webhook-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secret = readFileSync(file, 'utf8').trim();
    expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(t.app.get(StripeGateway).webhookSecret).toBe(secret);
    expect(t.app.get(StripeGateway).mode).toBe('sandbox');
  });

  it('checkout → hosted page → Pay → signed event to our own webhook → PAID → back to the app', async () => {
    const { sessionId, checkoutUrl } = await checkout();
    expect(checkoutUrl).toMatch(/^http:\/\/localhost:5173\/api\/sandbox\/checkout\/cs_test_/);
    const pagePath = new URL(checkoutUrl).pathname;

    const page = await fetch(`${base}${pagePath}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' http://localhost:5173");
    const html = await page.text();
    expect(html).toContain('€120.50');
    expect(html).toContain('Contract review');
    expect(html).toContain('Ana García');
    expect(html).toMatch(/<button[^>]*>Pay €120\.50<\/button>/);
    expect(html).toMatch(/<button[^>]*>Cancel<\/button>/);

    const pay = await fetch(`${base}${pagePath}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(pay.status).toBe(303);
    expect(pay.headers.get('location')).toBe(`http://localhost:5173/sessions/${sessionId}?checkout=success`);

    // The webhook was delivered (and verified) before the redirect.
    const session = await findSession(t, sessionId);
    expect(session.status).toBe('PAID');
    const events = await sql.query(`SELECT id, type, source FROM stripe_events WHERE payload->'data'->'object'->>'id' = $1`, [
      session.stripeCheckoutSessionId,
    ]);
    expect(events).toEqual([{ id: expect.stringMatching(/^evt_/), type: 'checkout.session.completed', source: 'webhook' }]);
    expect(
      await sql.query('SELECT amount_minor::int AS amount, currency FROM payments WHERE session_id = $1', [sessionId]),
    ).toEqual([{ amount: 12_050, currency: 'EUR' }]);

    const again = await (await fetch(`${base}${pagePath}`)).text();
    expect(again).toContain('already paid');
    // A second Pay does not charge again.
    await fetch(`${base}${pagePath}/pay`, { method: 'POST', redirect: 'manual' });
    expect(await sql.query('SELECT count(*)::int AS n FROM payments WHERE session_id = $1', [sessionId])).toEqual([{ n: 1 }]);
  });

  it('Cancel returns to cancel_url and charges nothing', async () => {
    const { sessionId, checkoutUrl } = await checkout();
    const res = await fetch(`${base}${new URL(checkoutUrl).pathname}/cancel`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`http://localhost:5173/sessions/${sessionId}?checkout=cancelled`);
    expect((await findSession(t, sessionId)).status).toBe('PENDING_PAYMENT');
  });

  it('a refund goes through the sandbox API and its signed events; the ledger reversal is posted once', async () => {
    const { sessionId, checkoutUrl } = await checkout();
    await fetch(`${base}${new URL(checkoutUrl).pathname}/pay`, { method: 'POST', redirect: 'manual' });
    const refund = (await sql.transaction((m) =>
      t.app
        .get(PaymentsService)
        .requestRefund(m, { sessionId, amountMinor: 12_050, reason: 'Cancelled by the lawyer', requestedBy: null }),
    ))!;
    await eventually(
      () => sql.query(`SELECT status FROM refunds WHERE id = $1`, [refund.id]),
      (rows: { status: string }[]) => rows[0]?.status === 'SUCCEEDED',
      15_000,
    );
    // The sandbox also sent refund.created and charge.refunded to the webhook: accepted, nothing doubled.
    await eventually(
      () =>
        sql.query(
          `SELECT type FROM stripe_events WHERE type IN ('refund.created', 'charge.refunded') AND payload::text LIKE $1`,
          [`%${refund.id}%`],
        ),
      (rows: unknown[]) => rows.length >= 1,
    );
    expect(
      await sql.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE kind = 'REFUND' AND session_id = $1`, [
        sessionId,
      ]),
    ).toEqual([{ n: 1 }]);
    expect(await sql.query('SELECT refunded_minor::int AS r FROM payments WHERE session_id = $1', [sessionId])).toEqual([
      { r: 12_050 },
    ]);
  });

  it('speaks Stripe: its own key only, idempotent replays, 400 for a key reused with other parameters, Stripe errors', async () => {
    await expect(sdk('sk_test_not_the_sandbox_key').customers.create({ email: 'x@example.com' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    const stripe = sdk();
    const first = await stripe.customers.create(
      { email: 'a@example.com', metadata: { n: '1' } },
      { idempotencyKey: 'spec-key-1' },
    );
    const replay = await stripe.customers.create(
      { metadata: { n: '1' }, email: 'a@example.com' },
      { idempotencyKey: 'spec-key-1' },
    );
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    await expect(stripe.customers.create({ email: 'b@example.com' }, { idempotencyKey: 'spec-key-1' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
    const missing = await stripe.checkout.sessions.retrieve('cs_test_a1doesnotexist').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    // Through the route-access matrix's eyes: anonymous and JSON bodies get Stripe's 401, never a 5xx.
    const anonymous = await request(t.server).post('/api/sandbox/stripe/v1/customers').send({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.type).toBe('invalid_request_error');
  });

  it('keeps its objects in the database: another process (a restart) sees the same checkout', async () => {
    const { sessionId } = await checkout();
    const { stripeCheckoutSessionId } = await findSession(t, sessionId);
    let other: NestFastifyApplication | undefined;
    try {
      other = await createApp(t.config, t.db.url);
      await other.listen(0, '127.0.0.1');
      const otherBase = `http://127.0.0.1:${(other.getHttpServer().address() as AddressInfo).port}`;
      const stripe = new Stripe(other.get(StripeGateway).apiKey, {
        apiVersion: STRIPE_API_VERSION,
        httpClient: new BaseUrlHttpClient(() => new URL('/api/sandbox/stripe', otherBase)),
      });
      const cs = await stripe.checkout.sessions.retrieve(stripeCheckoutSessionId!);
      expect(cs).toMatchObject({
        id: stripeCheckoutSessionId,
        status: 'open',
        amount_total: 12_050,
        currency: 'eur',
        metadata: { sessionId },
      });
    } finally {
      await other?.close();
    }
  });
});

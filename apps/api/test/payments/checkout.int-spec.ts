import request from 'supertest';
import { DataSource } from 'typeorm';
import { SessionLifecycle } from '../../src/modules/consultations-core/session-lifecycle.service';
import { createSellableOffering, findSession, startCheckout, stripeFakeEnv, type SellableOffering } from '../factories/payments';
import { bearer, createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { startStripeFake, type StripeFake } from './stripe-fake-server';

/**
 * Done-when 1: the real `stripe` SDK, over real HTTP, against a local fake of Stripe's API that
 * records every request exactly as the SDK sent it.
 */
describe('POST /api/checkout/create-session (real Stripe SDK → recording fake)', () => {
  let fake: StripeFake;
  let t: TestApp;
  let sql: DataSource;
  let offering: SellableOffering;

  beforeAll(async () => {
    fake = await startStripeFake();
    t = await createTestApp({ ...stripeFakeEnv(fake), CHECKOUT_EXPIRY_MINUTES: '45', PUBLIC_URL: 'https://lexmarket.example' });
    sql = t.app.get(DataSource);
    offering = await createSellableOffering(t, {
      priceMinor: 12_000,
      currency: 'EUR',
      title: 'Divorce strategy call',
      displayName: 'Ana García',
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const newClient = async () => {
    const user = await createUser(t, { role: 'CLIENT', displayName: 'Carla Client' });
    return { ...user, token: (await login(t, user)).accessToken };
  };

  it('creates a PENDING_PAYMENT session with frozen terms and a Checkout Session carrying our ids', async () => {
    const client = await newClient();
    const before = fake.requests.length;
    const started = Date.now();
    const { sessionId, checkoutUrl } = await startCheckout(t, client.token, offering.offeringId);

    const session = await findSession(t, sessionId);
    expect(session).toMatchObject({
      status: 'PENDING_PAYMENT',
      clientId: client.id,
      lawyerId: offering.lawyer.id,
      offeringId: offering.offeringId,
      offeringTitle: 'Divorce strategy call',
      priceMinor: 12_000,
      currency: 'EUR',
      durationMinutes: 60,
    });
    // checkout_expires_at = now + CHECKOUT_EXPIRY_MINUTES
    expect(session.checkoutExpiresAt.getTime()).toBeGreaterThanOrEqual(started + 45 * 60_000 - 1000);
    expect(session.checkoutExpiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 45 * 60_000 + 1000);

    const created = fake.requests.slice(before).filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
    expect(created).toHaveLength(1);
    const params = created[0]!.params;
    expect(params).toMatchObject({
      mode: 'payment',
      client_reference_id: sessionId,
      metadata: { sessionId, clientId: client.id, lawyerId: offering.lawyer.id, offeringId: offering.offeringId },
      line_items: [
        { quantity: '1', price_data: { currency: 'eur', unit_amount: '12000', product_data: { name: 'Divorce strategy call' } } },
      ],
      success_url: `https://lexmarket.example/sessions/${sessionId}?checkout=success`,
      cancel_url: `https://lexmarket.example/sessions/${sessionId}?checkout=cancelled`,
    });
    expect(
      (params.line_items as { price_data: { product_data: { description: string } } }[])[0]!.price_data.product_data.description,
    ).toContain('Ana García');
    expect(created[0]!.headers['idempotency-key']).toBe(`checkout-session-${sessionId}`);
    expect(created[0]!.headers['stripe-version']).toBe('2026-10-28.endive');
    // Stripe's deadline: ours plus a minute of grace, within Stripe's 30 min..24 h.
    const expiresAt = Number(params.expires_at);
    expect(expiresAt * 1000).toBeGreaterThanOrEqual(session.checkoutExpiresAt.getTime());
    expect(expiresAt * 1000).toBeLessThanOrEqual(session.checkoutExpiresAt.getTime() + 61_000);

    const [stripeCheckout] = (await fake.objects('checkout.session')).filter((c) => c.id === session.stripeCheckoutSessionId);
    expect(stripeCheckout).toMatchObject({ url: checkoutUrl, status: 'open', amount_total: 12_000, currency: 'eur' });
    const customer = await sql.query('SELECT stripe_customer_id AS id FROM users WHERE id = $1', [client.id]);
    expect(params.customer).toBe(customer[0].id);
  });

  /** Another offering of the same lawyer (one pending checkout per client and offering). */
  const otherOffering = async (title: string) => (await createSellableOffering(t, { lawyer: offering.lawyer, title })).offeringId;

  it('creates exactly one Stripe Customer per client across several checkouts', async () => {
    const client = await newClient();
    const sessions: { sessionId: string }[] = [];
    const offerings = [offering.offeringId, await otherOffering('Second call'), await otherOffering('Third call')];
    for (const id of offerings) sessions.push(await startCheckout(t, client.token, id));
    const customers = (await fake.objects('customer')).filter((c) => (c.metadata as Record<string, string>).userId === client.id);
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({ email: client.email, name: 'Carla Client' });
    const customerCreates = fake
      .sent('/v1/customers', 'POST')
      .filter((r) => (r.params.metadata as Record<string, string>).userId === client.id);
    expect(customerCreates).toHaveLength(1);
    expect(customerCreates[0]!.headers['idempotency-key']).toBe(`customer-${client.id}`);
    const checkouts = (await fake.objects('checkout.session')).filter((c) =>
      sessions.some((s) => (c.metadata as Record<string, string>).sessionId === s.sessionId),
    );
    expect(checkouts.map((c) => c.customer)).toEqual([customers[0]!.id, customers[0]!.id, customers[0]!.id]);
  });

  it('creates exactly one Stripe Customer even for concurrent first checkouts of one client', async () => {
    const client = await newClient();
    const offerings = [offering.offeringId, ...(await Promise.all(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((x) => otherOffering(`Call ${x}`))))];
    const results = await Promise.all(
      offerings.map((offeringId) => request(t.server).post('/api/checkout/create-session').set(bearer(client.token)).send({ offeringId })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const customers = (await fake.objects('customer')).filter((c) => (c.metadata as Record<string, string>).userId === client.id);
    expect(customers).toHaveLength(1);
    expect(await sql.query('SELECT stripe_customer_id AS id FROM users WHERE id = $1', [client.id])).toEqual([
      { id: customers[0]!.id },
    ]);
    const checkouts = (await fake.objects('checkout.session')).filter((c) =>
      results.some((r) => (c.metadata as Record<string, string>).sessionId === r.body.sessionId),
    );
    expect(checkouts).toHaveLength(8);
    expect(new Set(checkouts.map((c) => c.customer))).toEqual(new Set([customers[0]!.id]));
  });

  it('refuses an unknown offering with 404 before anything happens at Stripe', async () => {
    const client = await newClient();
    const before = fake.requests.length;
    const res = await request(t.server)
      .post('/api/checkout/create-session')
      .set(bearer(client.token))
      .send({ offeringId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
    expect(res.body.code).toBe('OFFERING_NOT_FOUND');
    expect(fake.requests.length).toBe(before);
  });

  it('a Stripe outage answers 503 with a stable code and leaves an expired session, no checkout and no payment', async () => {
    const client = await newClient();
    await startCheckout(t, client.token, await otherOffering('Warm-up call')); // the customer exists already
    // Three 500s: the first attempt and the SDK's two retries (all with the same Idempotency-Key).
    fake.fail('POST', /^\/v1\/checkout\/sessions$/, { status: 500, times: 3 });
    const before = fake.requests.length;
    const res = await request(t.server)
      .post('/api/checkout/create-session')
      .set(bearer(client.token))
      .send({ offeringId: offering.offeringId });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'PAYMENT_PROVIDER_UNAVAILABLE' });
    // POSTs only: the reconciliation job may list checkouts (GET) meanwhile.
    const attempts = fake.requests.slice(before).filter((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers['idempotency-key'])).size).toBe(1);

    const rows = await sql.query(
      `SELECT s.id, s.status, s.stripe_checkout_session_id AS "checkoutId", e.payload->>'reason' AS reason,
              (SELECT count(*)::int FROM payments p WHERE p.session_id = s.id) AS payments
         FROM legal_sessions s JOIN session_events e ON e.session_id = s.id AND e.action = 'expire'
        WHERE s.client_id = $1`,
      [client.id],
    );
    expect(rows).toEqual([
      { id: expect.any(String), status: 'EXPIRED', checkoutId: null, reason: 'checkout_unavailable', payments: 0 },
    ]);
    // Stripe back: the next checkout works.
    await startCheckout(t, client.token, offering.offeringId);
  });

  it('a refusal by Stripe (4xx) answers 502 PAYMENT_PROVIDER_ERROR', async () => {
    const client = await newClient();
    await startCheckout(t, client.token, await otherOffering('Warm-up call'));
    fake.fail('POST', /^\/v1\/checkout\/sessions$/, { status: 400, times: 1 });
    const res = await request(t.server)
      .post('/api/checkout/create-session')
      .set(bearer(client.token))
      .send({ offeringId: offering.offeringId });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 502, code: 'PAYMENT_PROVIDER_ERROR' });
  });

  it('gives the client back the URL of a checkout they left, only while it is open and only to them', async () => {
    const client = await newClient();
    const { sessionId, checkoutUrl } = await startCheckout(t, client.token, offering.offeringId);
    const resume = (token: string, id = sessionId) => request(t.server).post(`/api/checkout/sessions/${id}/resume`).set(bearer(token));

    const again = await resume(client.token).expect(200);
    expect(again.body).toEqual({ sessionId, checkoutUrl, resumed: true });

    const stranger = await newClient();
    expect((await resume(stranger.token).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
    expect((await resume(client.token, 'not-a-uuid').expect(400)).body.code).toBe('VALIDATION_FAILED');

    // Once the session is no longer waiting for payment there is nothing to resume.
    await sql.transaction(async (m) => {
      const lifecycle = t.app.get(SessionLifecycle);
      await lifecycle.transition(m, await lifecycle.lock(m, sessionId), 'expire', null, {}, { reason: 'test' });
    });
    expect((await resume(client.token).expect(409)).body.code).toBe('CHECKOUT_NOT_OPEN');
  });

  it('sent an Idempotency-Key on every POST (checked over every request of this spec)', () => {
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(20);
    expect(
      posts
        .filter((r) => typeof r.headers['idempotency-key'] !== 'string' || r.headers['idempotency-key'] === '')
        .map((r) => r.path),
    ).toEqual([]);
    // Ours, derived from our ids (not the SDK's random default keys).
    for (const r of posts) expect(r.headers['idempotency-key']).toMatch(/^(customer|checkout-session)-[0-9a-f-]{36}$/);
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import { createSellableOffering, stripeFakeEnv, type SellableOffering } from '../factories/payments';
import { bearer, createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { startStripeFake, type StripeFake } from './stripe-fake-server';

/** Issue 11: "Book & pay" again resumes the open checkout; booking needs a verified email. */
describe('one pending checkout per client and offering; verified email first', () => {
  let fake: StripeFake;
  let t: TestApp;
  let sql: DataSource;
  let offering: SellableOffering;

  beforeAll(async () => {
    fake = await startStripeFake();
    t = await createTestApp({ ...stripeFakeEnv(fake), CHECKOUT_EXPIRY_MINUTES: '30', PUBLIC_URL: 'https://lexmarket.example' });
    sql = t.app.get(DataSource);
    offering = await createSellableOffering(t, { title: 'Tenancy call' });
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const newClient = async (emailVerified = true) => {
    const user = await createUser(t, { role: 'CLIENT', emailVerified });
    return { ...user, token: (await login(t, user)).accessToken };
  };
  const bookAndPay = (token: string, offeringId = offering.offeringId) =>
    request(t.server).post('/api/checkout/create-session').set(bearer(token)).send({ offeringId });
  const sessionsOf = (clientId: string): Promise<{ id: string; status: string }[]> =>
    sql.query('SELECT id, status FROM legal_sessions WHERE client_id = $1 ORDER BY created_at', [clientId]);

  it('three concurrent clicks create one PENDING_PAYMENT session and one Stripe checkout; all get its URL', async () => {
    const client = await newClient();
    const results = await Promise.all([1, 2, 3].map(() => bookAndPay(client.token)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const sessions = await sessionsOf(client.id);
    expect(sessions).toEqual([{ id: expect.any(String), status: 'PENDING_PAYMENT' }]);
    expect(new Set(results.map((r) => r.body.sessionId))).toEqual(new Set([sessions[0]!.id]));
    expect(new Set(results.map((r) => r.body.checkoutUrl)).size).toBe(1);
    expect(results.map((r) => r.body.resumed).sort()).toEqual([false, true, true]);
    const checkouts = (await fake.objects('checkout.session')).filter((c) => (c.metadata as Record<string, string>).sessionId === sessions[0]!.id);
    expect(checkouts).toHaveLength(1);
  });

  it('a later click resumes the open checkout; another offering or another client gets its own', async () => {
    const client = await newClient();
    const first = await bookAndPay(client.token).expect(201);
    const again = await bookAndPay(client.token).expect(201);
    expect(again.body).toEqual({ sessionId: first.body.sessionId, checkoutUrl: first.body.checkoutUrl, resumed: true });

    const other = await createSellableOffering(t, { lawyer: offering.lawyer, title: 'Lease review' });
    const second = await bookAndPay(client.token, other.offeringId).expect(201);
    expect(second.body.sessionId).not.toBe(first.body.sessionId);
    const someoneElse = await newClient();
    expect((await bookAndPay(someoneElse.token).expect(201)).body.sessionId).not.toBe(first.body.sessionId);
    expect(await sessionsOf(client.id)).toHaveLength(2);
  });

  it('once the checkout deadline passed, or Stripe closed the checkout, a click starts a new one', async () => {
    const client = await newClient();
    const first = await bookAndPay(client.token).expect(201);
    t.clock.advance(31 * 60_000);
    const afterDeadline = await bookAndPay(client.token).expect(201);
    expect(afterDeadline.body).toMatchObject({ resumed: false });
    expect(afterDeadline.body.sessionId).not.toBe(first.body.sessionId);

    // Stripe expired the checkout on its side (our deadline not yet reached): ours expires too.
    const [{ checkoutId }] = await sql.query('SELECT stripe_checkout_session_id AS "checkoutId" FROM legal_sessions WHERE id = $1', [afterDeadline.body.sessionId]);
    const expired = await fetch(`${fake.url}/v1/checkout/sessions/${checkoutId}/expire`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}` },
    });
    expect(expired.status).toBe(200);
    const third = await bookAndPay(client.token).expect(201);
    expect(third.body).toMatchObject({ resumed: false });
    expect(third.body.sessionId).not.toBe(afterDeadline.body.sessionId);
    const [{ status }] = await sql.query('SELECT status FROM legal_sessions WHERE id = $1', [afterDeadline.body.sessionId]);
    expect(status).toBe('EXPIRED');
  });

  it('refuses an unverified client with 403 EMAIL_NOT_VERIFIED and writes nothing (no session, no Stripe call)', async () => {
    const client = await newClient(false);
    const before = fake.requests.length;
    const res = await bookAndPay(client.token).expect(403);
    expect(res.body.code).toBe('EMAIL_NOT_VERIFIED');
    expect(await sessionsOf(client.id)).toEqual([]);
    expect(fake.requests.length).toBe(before);
    const [{ n }] = await sql.query(`SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1 AND (action LIKE 'session.%' OR action LIKE 'payment.%')`, [client.id]);
    expect(n).toBe(0);

    await sql.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [client.id]);
    await bookAndPay(client.token).expect(201);
  });
});

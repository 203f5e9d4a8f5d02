import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { createSellableOffering, type SellableOffering } from '../factories/payments';
import { bearer, createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';

/**
 * Found by `npm run bench:flow`: concurrent checkouts of different clients, as many as the
 * API's database pool has connections, stalled the whole process. Each held its per-client lock's
 * pooled connection while waiting for a second one (its own transactions), and the local Stripe
 * sandbox, which the app calls over HTTP while holding that lock, queued for the same pool. Now a
 * checkout runs on its lock's connection alone and the sandbox has a pool of its own, so a tiny
 * pool (2 connections) serves three times as many simultaneous checkouts.
 */
describe('checkout under concurrency with a small database pool', () => {
  let t: TestApp;
  let base: string;
  let offering: SellableOffering;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', DB_POOL_SIZE: '2' });
    base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    offering = await createSellableOffering(t, { priceMinor: 4_000, currency: 'EUR', title: 'Quick question', displayName: 'Eva Pool' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('six clients checking out at once all get their own open checkout', async () => {
    const clients = [];
    for (let i = 0; i < 6; i++) {
      const user = await createUser(t, { role: 'CLIENT' });
      clients.push({ id: user.id, token: (await login(t, user)).accessToken });
    }

    const answers = await Promise.all(
      clients.map(async (c) => {
        const res = await fetch(`${base}/api/checkout/create-session`, {
          method: 'POST',
          headers: { ...bearer(c.token), 'content-type': 'application/json' },
          body: JSON.stringify({ offeringId: offering.offeringId }),
        });
        return { status: res.status, body: (await res.json()) as { sessionId: string; checkoutUrl: string } };
      }),
    );

    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const rows: { client_id: string; status: string; stripe_checkout_session_id: string | null }[] = await t.app
      .get(DataSource)
      .query('SELECT client_id, status, stripe_checkout_session_id FROM legal_sessions WHERE id = ANY($1::uuid[])', [answers.map((a) => a.body.sessionId)]);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.client_id))).toEqual(new Set(clients.map((c) => c.id)));
    for (const row of rows) {
      expect(row.status).toBe('PENDING_PAYMENT');
      expect(row.stripe_checkout_session_id).toMatch(/^cs_test_/);
    }
  }, 60_000);
});

import request from 'supertest';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { WEBHOOK_BODY_LIMIT } from '../../src/modules/payments/stripe-webhook.controller';
import { createTestApp, TestApp } from '../setup/test-app';

/**
 * Issue 10, finding 6: the Stripe webhook, the sandbox's Stripe API routes and health skipped
 * rate limiting, and the webhook accepted 1 MB bodies.
 */
describe('rate and size limits on the webhook, the sandbox API and health', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A small limit makes the throttle observable; JOBS_ENABLED=false keeps background queries out of the count below.
    t = await createTestApp({ THROTTLE_LIMIT: '5', JOBS_ENABLED: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const junk = () =>
    request(t.server)
      .post('/api/webhooks/stripe')
      .set('content-type', 'application/json')
      .set('stripe-signature', 't=1,v1=00')
      .send('{"id":"evt_junk"}');

  it('a flood of unsigned webhook junk is throttled (429 RATE_LIMITED) without a query of the API (only the limit count)', async () => {
    // The limits are counted in PostgreSQL on their own pool (shared by replicas); the webhook's
    // own work (signature first) reaches the API's connections never.
    const queries = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await junk()).status);
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
      expect(queries).not.toHaveBeenCalled();
      // The spy does see queries (a directory text search from another address: planned per
      // query on the API's pool; the unfiltered directory runs prepared on a pool of its own).
      await t.app
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'GET', url: '/api/lawyers?q=family', remoteAddress: '10.1.1.1' });
      expect(queries).toHaveBeenCalled();
    } finally {
      queries.mockRestore();
    }
    const limited = await junk();
    expect({ status: limited.status, code: limited.body.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a webhook body over 128 KB is refused before parsing (413 PAYLOAD_TOO_LARGE)', async () => {
    const fresh = await createTestApp({ THROTTLE_LIMIT: '1000' });
    try {
      const big = JSON.stringify({ id: 'evt_big', pad: 'x'.repeat(WEBHOOK_BODY_LIMIT) });
      const res = await request(fresh.server)
        .post('/api/webhooks/stripe')
        .set('content-type', 'application/json')
        .set('stripe-signature', 't=1,v1=00')
        .send(big);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      // Other routes keep the global 1 MB limit.
      const ok = await request(fresh.server)
        .post('/api/auth/login')
        .send({ email: 'a@example.com', password: 'y'.repeat(1000), pad: 'x'.repeat(WEBHOOK_BODY_LIMIT) });
      expect(ok.status).toBe(400);
      expect(ok.body.code).toBe('VALIDATION_FAILED');
    } finally {
      await fresh.close();
    }
  });

  it('health and the sandbox’s Stripe API routes are throttled too', async () => {
    const statuses = async (path: string) => {
      const out: number[] = [];
      for (let i = 0; i < 6; i++) out.push((await request(t.server).get(path)).status);
      return out;
    };
    expect((await statuses('/api/health')).slice(-1)).toEqual([429]);
    expect((await statuses('/api/sandbox/stripe/v1/customers/cus_x')).slice(-1)).toEqual([429]);
  });
});

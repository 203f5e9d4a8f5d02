import request from 'supertest';
import { DataSource } from 'typeorm';
import { WebhookDeliveryService } from '../../src/modules/webhooks/webhook-delivery.service';
import { WebhookEvents } from '../../src/modules/webhooks/webhook-events.service';
import { signedIn, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { sessionPaidData } from './event-schema';
import { Receiver } from './receiver';

const MINUTE = 60_000;

/** Limits that keep one endpoint (or one owner) from taking more than its share. */
describe('outbound webhooks: limits and fairness', () => {
  let t: TestApp;
  let sql: DataSource;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestApp({
      THROTTLE_LIMIT: '100000',
      JOBS_ENABLED: 'false',
      WEBHOOK_CONNECT_TIMEOUT_MS: '300',
      WEBHOOK_TIMEOUT_MS: '500',
    });
    sql = t.app.get(DataSource);
    receiver = await new Receiver().start();
  });
  afterEach(() => {
    receiver.mode = 'ok';
    receiver.received.splice(0);
  });
  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  const post = (c: Caller, path: string, body: object = {}) => request(t.server).post(path).set(bearer(c.token)).send(body);
  const register = async (c: Caller, url: string): Promise<string> =>
    (await post(c, '/api/webhooks/endpoints', { url, eventTypes: ['session.paid'] }).expect(201)).body.id;
  const sweep = () => t.app.get(WebhookDeliveryService).sweepDue();

  it('allows 10 test events and replays per endpoint per minute (counted in the database), then 429 RATE_LIMITED with Retry-After', async () => {
    const owner = await signedIn(t);
    const hook = await register(owner, receiver.url('/limited'));
    const other = await register(owner, receiver.url('/other'));
    const tests = [];
    for (let n = 0; n < 6; n++) tests.push((await post(owner, `/api/webhooks/endpoints/${hook}/test`).expect(202)).body);
    t.clock.advance(20_000);
    for (let n = 0; n < 4; n++) await post(owner, `/api/webhooks/deliveries/${tests[0].deliveryId}/replay`).expect(200);
    // The 11th in the minute: a test event or a replay alike.
    const refused = await post(owner, `/api/webhooks/endpoints/${hook}/test`).expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    // The first six leave the window 40 s from now.
    expect(refused.headers['retry-after']).toBe('40');
    expect((await post(owner, `/api/webhooks/deliveries/${tests[0].deliveryId}/replay`).expect(429)).body.code).toBe('RATE_LIMITED');
    // Nothing was queued or sent for the refused ones.
    const [{ n: queued }] = await sql.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [hook]);
    expect(queued).toBe(6);
    // Another endpoint has its own budget.
    await post(owner, `/api/webhooks/endpoints/${other}/test`).expect(202);
    // The count is what the database holds: a row written by another API process counts the same.
    t.clock.advance(40_000);
    await post(owner, `/api/webhooks/endpoints/${hook}/test`).expect(202);
    await sql.query(
      `INSERT INTO webhook_manual_sends (endpoint_id, kind, at) SELECT $1, 'test', $2 FROM generate_series(1, 5)`,
      [hook, t.clock.now()],
    );
    expect((await post(owner, `/api/webhooks/endpoints/${hook}/test`).expect(429)).headers['retry-after']).toBe('20');
    t.clock.advance(MINUTE);
    await post(owner, `/api/webhooks/endpoints/${hook}/test`).expect(202);
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  CIRCUIT_OPEN_MS,
  PER_ENDPOINT_IN_FLIGHT,
  WebhookDeliveryService,
} from '../../src/modules/webhooks/webhook-delivery.service';
import { WebhookEvents } from '../../src/modules/webhooks/webhook-events.service';
import { WebhookRetentionService } from '../../src/modules/webhooks/webhook-retention.service';
import { signedIn, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { sessionPaidData, sessionPaidNumber } from './event-schema';
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
  /**
   * Sends a request expected to be refused (429) and checks its Retry-After exactly against the
   * sends in the database, whatever real time passed meanwhile (the test clock runs on with it):
   * the request was answered at a business time between `before` and `after`, so Retry-After is
   * the seconds from then until the send whose leaving frees a place (the window is a minute).
   */
  const refusedWithin = async (send: () => request.Test, endpointId: string | null, ownerId?: string) => {
    const before = t.clock.now().getTime();
    const response = await send().expect(429);
    const after = t.clock.now().getTime();
    const [{ frees }] = await sql.query(
      `SELECT (array_agg(at ORDER BY at))[greatest(count(*)::int - $3 + 1, 1)] AS frees FROM webhook_manual_sends
        WHERE (endpoint_id = $1 OR $1 IS NULL) AND (owner_id = $2 OR $2 IS NULL) AND at > $4`,
      [endpointId, ownerId ?? null, endpointId ? 10 : 30, new Date(before - MINUTE)],
    );
    const freesAt = new Date(frees).getTime() + MINUTE;
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(Math.max(1, Math.ceil((freesAt - after) / 1000)));
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil((freesAt - before) / 1000));
    return { body: response.body as { code: string; message: string }, retryAfter };
  };

  it('allows 10 test events and replays per endpoint per minute (counted in the database), then 429 RATE_LIMITED with Retry-After', async () => {
    const owner = await signedIn(t);
    const hook = await register(owner, receiver.url('/limited'));
    const other = await register(owner, receiver.url('/other'));
    const tests = [];
    for (let n = 0; n < 6; n++) tests.push((await post(owner, `/api/webhooks/endpoints/${hook}/test`).expect(202)).body);
    t.clock.advance(20_000);
    for (let n = 0; n < 4; n++) await post(owner, `/api/webhooks/deliveries/${tests[0].deliveryId}/replay`).expect(200);
    // The 11th in the minute: a test event or a replay alike.
    const refused = await refusedWithin(() => post(owner, `/api/webhooks/endpoints/${hook}/test`), hook);
    expect(refused.body.code).toBe('RATE_LIMITED');
    // The first six leave the window about 40 s from now (exactly: see refusedWithin).
    expect(refused.retryAfter).toBeLessThanOrEqual(40);
    expect((await post(owner, `/api/webhooks/deliveries/${tests[0].deliveryId}/replay`).expect(429)).body.code).toBe(
      'RATE_LIMITED',
    );
    // Nothing was queued or sent for the refused ones.
    const [{ n: queued }] = await sql.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [hook]);
    expect(queued).toBe(6);
    // Another endpoint has its own budget.
    await post(owner, `/api/webhooks/endpoints/${other}/test`).expect(202);
    // The count is what the database holds: a row written by another API process counts the same.
    t.clock.advance(40_000);
    await post(owner, `/api/webhooks/endpoints/${hook}/test`).expect(202);
    await sql.query(
      `INSERT INTO webhook_manual_sends (endpoint_id, owner_id, kind, at) SELECT $1, $2, 'test', $3 FROM generate_series(1, 5)`,
      [hook, owner.id, t.clock.now()],
    );
    // The four replays (20 s after the first six) are the oldest in the window now: about 20 s.
    const again = await refusedWithin(() => post(owner, `/api/webhooks/endpoints/${hook}/test`), hook);
    expect(again.retryAfter).toBeLessThanOrEqual(20);
    t.clock.advance(MINUTE);
    await post(owner, `/api/webhooks/endpoints/${hook}/test`).expect(202);
  });

  it('one endpoint with 200 due deliveries to a receiver that never answers does not starve another: both are served in the first sweep, then its circuit opens', async () => {
    const hanging = await new Receiver().start();
    hanging.mode = 'hang';
    try {
      const slowOwner = await signedIn(t);
      const owner = await signedIn(t);
      const slow = await register(slowOwner, hanging.url('/slow'));
      const fine = await register(owner, receiver.url('/fine'));
      const emit = (userId: string, count: number) =>
        sql.transaction(async (m) => {
          for (let n = 0; n < count; n++)
            await t.app.get(WebhookEvents).emit(m, {
              type: 'session.paid',
              occurredAt: t.clock.now(),
              recipients: [{ userId, data: sessionPaidData(n) }],
            });
        });
      // The slow endpoint's backlog is older: due first.
      await emit(slowOwner.id, 200);
      t.clock.advance(1_000);
      await emit(owner.id, 1);

      await sweep();
      expect(receiver.at('/fine')).toHaveLength(1);
      const [fineDelivery] = await sql.query(`SELECT status FROM webhook_deliveries WHERE endpoint_id = $1`, [fine]);
      expect(fineDelivery.status).toBe('DELIVERED');
      // A handful of attempts timed out, then the circuit opened: the rest were not each tried.
      const firstRound = hanging.at('/slow').length;
      expect(firstRound).toBeGreaterThan(0);
      expect(firstRound).toBeLessThan(20);
      const [endpoint] = await sql.query(
        `SELECT consecutive_failures AS failures, circuit_open_until AS "openUntil" FROM webhook_endpoints WHERE id = $1`,
        [slow],
      );
      expect(endpoint.failures).toBe(firstRound);
      const openFor = new Date(endpoint.openUntil).getTime() - t.clock.now().getTime();
      expect(openFor).toBeGreaterThan(CIRCUIT_OPEN_MS - 30_000);
      expect(openFor).toBeLessThanOrEqual(CIRCUIT_OPEN_MS);

      // While it is open, sweeps send it nothing.
      await sweep();
      expect(hanging.at('/slow')).toHaveLength(firstRound);

      // Once it has passed, a few are tried again (at most one lane's share); they fail, so it opens again.
      t.clock.advance(CIRCUIT_OPEN_MS + 1_000);
      await sweep();
      const probes = hanging.at('/slow').length - firstRound;
      expect(probes).toBeGreaterThan(0);
      expect(probes).toBeLessThanOrEqual(PER_ENDPOINT_IN_FLIGHT);
      const [{ pending, attempted }] = await sql.query(
        `SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(*) FILTER (WHERE attempts > 0)::int AS attempted
           FROM webhook_deliveries WHERE endpoint_id = $1`,
        [slow],
      );
      expect(pending).toBe(200);
      expect(attempted).toBe(firstRound + probes);

      // A success (the receiver recovered; its owner replays one) closes the circuit: the backlog flows again.
      hanging.mode = 'ok';
      const [one] = await sql.query(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND attempts > 0 LIMIT 1`, [slow]);
      await post(slowOwner, `/api/webhooks/deliveries/${one.id}/replay`).expect(200);
      t.clock.advance(CIRCUIT_OPEN_MS + 1_000);
      await sweep();
      const [{ delivered }] = await sql.query(
        `SELECT count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered FROM webhook_deliveries WHERE endpoint_id = $1`,
        [slow],
      );
      expect(delivered).toBeGreaterThan(10);
    } finally {
      await hanging.stop();
    }
  });

  it('prunes finished deliveries and their events after 30 days (business clock), never a pending one', async () => {
    const owner = await signedIn(t);
    const hook = await register(owner, receiver.url('/retained'));
    const emit = (n: number) =>
      sql.transaction((m) =>
        t.app.get(WebhookEvents).emit(m, {
          type: 'session.paid',
          occurredAt: t.clock.now(),
          recipients: [{ userId: owner.id, data: sessionPaidData(n) }],
        }),
      );
    const deliveries = async () =>
      (await sql.query(
        `SELECT d.status, ev.body FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
          WHERE d.endpoint_id = $1 ORDER BY d.created_at`,
        [hook],
      )) as { status: string; body: string }[];
    const events = async () =>
      (await sql.query(`SELECT count(*)::int AS n FROM webhook_events WHERE user_id = $1`, [owner.id]))[0].n as number;

    await emit(1);
    await sweep(); // delivered
    receiver.mode = 'fail';
    await emit(2);
    await sweep(); // failing: pending, retried later
    receiver.mode = 'ok';
    const { deliveryId: testDelivery } = (await post(owner, `/api/webhooks/endpoints/${hook}/test`).expect(202)).body;
    expect(await t.app.get(WebhookDeliveryService).attempt(testDelivery)).toBe('delivered');
    t.clock.advance(29 * 24 * 3_600_000);
    await emit(3);
    // Sent alone (a sweep would also retry the pending one, which is meant to stay pending here).
    const [latest] = await sql.query(
      `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [hook],
    );
    expect(await t.app.get(WebhookDeliveryService).attempt(latest.id)).toBe('delivered');

    const retention = t.app.get(WebhookRetentionService);
    // Day 29: nothing of the webhook data is old enough yet; the record of the test event (kept a day) is.
    expect(await retention.prune()).toMatchObject({ deliveries: 0, events: 0 });
    const [{ n: sends }] = await sql.query(`SELECT count(*)::int AS n FROM webhook_manual_sends WHERE endpoint_id = $1`, [hook]);
    expect(sends).toBe(0);
    expect((await deliveries()).length).toBe(4);
    expect(await events()).toBe(4);

    // Day 31: the first month's finished deliveries and their events go; the pending one stays (with its event); the recent one stays.
    t.clock.advance(2 * 24 * 3_600_000);
    const pruned = await retention.prune();
    expect(pruned.deliveries).toBeGreaterThanOrEqual(2);
    const left = await deliveries();
    expect(left.map((d) => [d.status, sessionPaidNumber(d.body)])).toEqual([
      ['PENDING', 2],
      ['DELIVERED', 3],
    ]);
    expect(await events()).toBe(2);
  });

  it('limits test events and replays per owner too (30 a minute over all endpoints): deleting and re-creating an endpoint does not reset it', async () => {
    const owner = await signedIn(t);
    const del = (id: string) => request(t.server).delete(`/api/webhooks/endpoints/${id}`).set(bearer(owner.token)).expect(204);
    // 10 to one endpoint (its own limit), which is then deleted and registered again at the same URL.
    const first = await register(owner, receiver.url('/owner-cap'));
    const { deliveryId } = (await post(owner, `/api/webhooks/endpoints/${first}/test`).expect(202)).body;
    for (let n = 0; n < 9; n++) await post(owner, `/api/webhooks/deliveries/${deliveryId}/replay`).expect(200);
    expect((await post(owner, `/api/webhooks/endpoints/${first}/test`).expect(429)).body.code).toBe('RATE_LIMITED');
    await del(first);
    // The deleted endpoint's sends still count for its owner (kept, no longer tied to it).
    const [{ n: kept }] = await sql.query(
      `SELECT count(*)::int AS n FROM webhook_manual_sends WHERE owner_id = $1 AND endpoint_id IS NULL`,
      [owner.id],
    );
    expect(kept).toBe(10);
    t.clock.advance(1_000);
    const recreated = await register(owner, receiver.url('/owner-cap'));
    for (let n = 0; n < 10; n++) await post(owner, `/api/webhooks/endpoints/${recreated}/test`).expect(202);
    // Many endpoints: the owner's 30th goes out, the 31st is refused on a fresh endpoint.
    t.clock.advance(1_000);
    const more = [await register(owner, receiver.url('/owner-cap-2')), await register(owner, receiver.url('/owner-cap-3'))];
    for (let n = 0; n < 10; n++) await post(owner, `/api/webhooks/endpoints/${more[n % 2]}/test`).expect(202);
    const fresh = await register(owner, receiver.url('/owner-cap-4'));
    const refused = await refusedWithin(() => post(owner, `/api/webhooks/endpoints/${fresh}/test`), null, owner.id);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(refused.body.message).toMatch(/your webhook endpoints/);
    // The first ten (2 s before now) leave the window in about 58 s.
    expect(refused.retryAfter).toBeLessThanOrEqual(58);
    // Another owner is not affected.
    const other = await signedIn(t);
    await post(other, `/api/webhooks/endpoints/${await register(other, receiver.url('/owner-cap-other'))}/test`).expect(202);
    // A minute later (business clock) the budget is back, and the retention job still prunes the rows after a day.
    t.clock.advance(MINUTE);
    await post(owner, `/api/webhooks/endpoints/${fresh}/test`).expect(202);
    t.clock.advance(25 * 3_600_000);
    await t.app.get(WebhookRetentionService).prune();
    const [{ n: left }] = await sql.query(`SELECT count(*)::int AS n FROM webhook_manual_sends WHERE owner_id = $1`, [owner.id]);
    expect(left).toBe(0);
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { WebhookResolver, type ResolvedAddress } from '../../src/modules/webhooks/ssrf-guard';
import { WebhookDeliveryService } from '../../src/modules/webhooks/webhook-delivery.service';
import { WebhookEvents } from '../../src/modules/webhooks/webhook-events.service';
import { signedIn, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { sessionPaidData } from './event-schema';

/**
 * The SSRF guard with the production rule (WEBHOOKS_ALLOW_PRIVATE_URLS=false) and a stubbed
 * resolver: no DNS query and no connection leaves this machine.
 */
describe('webhooks SSRF guard (production rule, stubbed DNS)', () => {
  let t: TestApp;
  let owner: Caller;
  const dns = new Map<string, ResolvedAddress[]>();
  const resolved: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false', WEBHOOKS_ALLOW_PRIVATE_URLS: 'false' });
    jest.spyOn(t.app.get(WebhookResolver), 'resolve').mockImplementation(async (host: string) => {
      resolved.push(host);
      const answer = dns.get(host);
      if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return answer;
    });
    owner = await signedIn(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const register = (url: string) =>
    request(t.server)
      .post('/api/webhooks/endpoints')
      .set(bearer(owner.token))
      .send({ url, eventTypes: ['session.paid'] });

  it('is the default everywhere but tests and the embedded mode outside production', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).webhooksAllowPrivateUrls).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).webhooksAllowPrivateUrls).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).webhooksAllowPrivateUrls).toBe(true);
    // A staging or preview server on a real database refuses, whatever its NODE_ENV.
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db.internal/lexmarket' }).webhooksAllowPrivateUrls).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://app@db.internal/lexmarket' }).webhooksAllowPrivateUrls,
    ).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' }).webhooksAllowPrivateUrls).toBe(true);
  });

  it.each([
    'http://127.0.0.1/hook',
    'http://10.0.0.5/hook',
    'https://169.254.169.254/latest/meta-data',
    'http://[::1]:8080/hook',
    'http://[::ffff:10.0.0.1]/hook',
    'http://0.0.0.0/hook',
    'http://100.64.1.1/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
    'http://2130706433/hook', // 127.0.0.1 in decimal: the URL parser normalises it
    'http://168.63.129.16/machine', // Azure's wireserver
    'http://[::a00:1]/hook', // IPv4-compatible IPv6 (10.0.0.1)
  ])('refuses %s at registration (400 WEBHOOK_URL_FORBIDDEN)', async (url) => {
    expect((await register(url).expect(400)).body.code).toBe('WEBHOOK_URL_FORBIDDEN');
  });

  it('refuses a host name resolving to a private address (even one of several), and an unresolvable one', async () => {
    dns.set('intranet.example.test', [{ address: '192.168.1.10', family: 4 }]);
    dns.set('mixed.example.test', [
      { address: '93.184.216.34', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ]);
    dns.set('localhost6.example.test', [{ address: '::1', family: 6 }]);
    for (const host of ['intranet.example.test', 'mixed.example.test', 'localhost6.example.test']) {
      expect((await register(`https://${host}/hook`).expect(400)).body.code).toBe('WEBHOOK_URL_FORBIDDEN');
    }
    expect((await register('https://nowhere.example.test/hook').expect(400)).body.code).toBe('WEBHOOK_URL_UNRESOLVABLE');
    expect(
      await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE owner_id = $1`, [owner.id]),
    ).toEqual([{ n: 0 }]);
  });

  it('checks again at delivery: a name that resolved publicly at registration but privately now (DNS rebinding) is refused and logged', async () => {
    dns.set('rebind.example.test', [{ address: '93.184.216.34', family: 4 }]);
    const created = await register('https://rebind.example.test/hook').expect(201);
    dns.set('rebind.example.test', [{ address: '10.0.0.7', family: 4 }]);
    await t.app.get(DataSource).transaction((m) =>
      t.app.get(WebhookEvents).emit(m, {
        type: 'session.paid',
        occurredAt: t.clock.now(),
        recipients: [{ userId: owner.id, data: sessionPaidData(0) }],
      }),
    );
    resolved.length = 0;
    expect(await t.app.get(WebhookDeliveryService).sweepDue()).toBe(1);
    expect(resolved).toEqual(['rebind.example.test']);
    const log = await request(t.server)
      .get(`/api/webhooks/endpoints/${created.body.id}/deliveries`)
      .set(bearer(owner.token))
      .expect(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      lastStatusCode: null,
      lastError: 'WEBHOOK_URL_FORBIDDEN',
      lastDurationMs: 0,
    });
  });
});

/** https only in production (WEBHOOKS_REQUIRE_HTTPS forces the production rule here), stubbed DNS. */
describe('webhooks: https only in production', () => {
  let t: TestApp;
  let owner: Caller;
  const resolved: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      THROTTLE_LIMIT: '100000',
      JOBS_ENABLED: 'false',
      WEBHOOKS_ALLOW_PRIVATE_URLS: 'false',
      WEBHOOKS_REQUIRE_HTTPS: 'true',
    });
    jest.spyOn(t.app.get(WebhookResolver), 'resolve').mockImplementation(async (host: string) => {
      resolved.push(host);
      return [{ address: '93.184.216.34', family: 4 }];
    });
    owner = await signedIn(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const register = (url: string) =>
    request(t.server)
      .post('/api/webhooks/endpoints')
      .set(bearer(owner.token))
      .send({ url, eventTypes: ['session.paid'] });

  it('is on in production unless forced off (the e2e rig), on request elsewhere', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).webhooksRequireHttps).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db.internal/lexmarket' }).webhooksRequireHttps).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', WEBHOOKS_REQUIRE_HTTPS: 'false' }).webhooksRequireHttps).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).webhooksRequireHttps).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).webhooksRequireHttps).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', WEBHOOKS_REQUIRE_HTTPS: 'true' }).webhooksRequireHttps).toBe(true);
  });

  it('refuses an http:// URL at registration (400 WEBHOOK_URL_HTTPS_REQUIRED) before any lookup, on creation and on change', async () => {
    resolved.length = 0;
    expect((await register('http://hooks.example.test/in').expect(400)).body.code).toBe('WEBHOOK_URL_HTTPS_REQUIRED');
    expect(resolved).toEqual([]);
    const created = await register('https://hooks.example.test/in').expect(201);
    const changed = await request(t.server)
      .patch(`/api/webhooks/endpoints/${created.body.id}`)
      .set(bearer(owner.token))
      .send({ url: 'http://hooks.example.test/in' })
      .expect(400);
    expect(changed.body.code).toBe('WEBHOOK_URL_HTTPS_REQUIRED');
  });

  it('refuses to deliver to an http:// endpoint registered before (no lookup, no connection; logged)', async () => {
    const sql = t.app.get(DataSource);
    // Its own owner: nothing else is due in this sweep (no delivery may leave the machine).
    const legacyOwner = await signedIn(t);
    const [{ id }] = await sql.query(
      `INSERT INTO webhook_endpoints (owner_id, url, event_types, secret, created_at, updated_at)
       VALUES ($1, 'http://legacy.example.test/in', '{session.paid}', 'whsec_legacylegacylegacy', now(), now()) RETURNING id`,
      [legacyOwner.id],
    );
    await sql.transaction((m) =>
      t.app.get(WebhookEvents).emit(m, {
        type: 'session.paid',
        occurredAt: t.clock.now(),
        recipients: [{ userId: legacyOwner.id, data: sessionPaidData(0) }],
      }),
    );
    resolved.length = 0;
    expect(await t.app.get(WebhookDeliveryService).sweepDue()).toBe(1);
    expect(resolved).not.toContain('legacy.example.test');
    const [delivery] = await sql.query(
      `SELECT status, attempts, last_error AS "lastError", last_status_code AS "lastStatusCode" FROM webhook_deliveries WHERE endpoint_id = $1`,
      [id],
    );
    expect(delivery).toEqual({ status: 'PENDING', attempts: 1, lastError: 'WEBHOOK_URL_HTTPS_REQUIRED', lastStatusCode: null });
  });
});

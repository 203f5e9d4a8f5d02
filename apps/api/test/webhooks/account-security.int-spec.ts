import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordResetService } from '../../src/modules/identity/password-reset.service';
import { WebhookDeliveryService } from '../../src/modules/webhooks/webhook-delivery.service';
import { lastEmailedToken, outbox } from '../factories/emails';
import { bearer, createUser, login, strongPassword, type TestUser } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { Receiver } from './receiver';

/** Credentials of integrations (API keys, webhook endpoints) and the account's own security. */
describe('integrations and account security', () => {
  let t: TestApp;
  let sql: DataSource;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false' });
    sql = t.app.get(DataSource);
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  /** An access token whose password sign-in was 20 minutes ago, kept alive by a refresh. */
  const staleSession = async (user: TestUser): Promise<string> => {
    const session = await login(t, user);
    await sql.query(`UPDATE refresh_tokens SET created_at = now() - interval '20 minutes' WHERE user_id = $1`, [user.id]);
    const refreshed = await request(t.server).post('/api/auth/refresh').set('cookie', session.refreshCookie).expect(200);
    return refreshed.body.accessToken as string;
  };
  const createKey = (token: string, scopes: string[]) =>
    request(t.server).post('/api/api-keys').set(bearer(token)).send({ name: 'CRM sync', scopes });
  const createEndpoint = (token: string, url = receiver.url('/hook?token=s3cret')) =>
    request(t.server)
      .post('/api/webhooks/endpoints')
      .set(bearer(token))
      .send({ url, eventTypes: ['session.paid'] });

  it.each(['CLIENT', 'LAWYER', 'PARTNER', 'ADMIN'] as const)(
    'a %s creates API keys and webhook endpoints from a session only within 15 minutes of a password sign-in',
    async (role) => {
      const user = await createUser(t, { role });
      const stale = await staleSession(user);
      expect((await createKey(stale, ['webhooks:manage'])).body).toMatchObject({
        statusCode: 403,
        code: 'RECENT_SIGN_IN_REQUIRED',
      });
      expect((await createEndpoint(stale)).body).toMatchObject({ statusCode: 403, code: 'RECENT_SIGN_IN_REQUIRED' });
      const fresh = (await login(t, user)).accessToken;
      await createKey(fresh, ['webhooks:manage']).expect(201);
      const endpoint = (await createEndpoint(fresh).expect(201)).body.id as string;
      // Pointing it elsewhere needs the same fresh sign-in; everything else works with the older session.
      const patch = (body: object) =>
        request(t.server).patch(`/api/webhooks/endpoints/${endpoint}`).set(bearer(stale)).send(body);
      expect((await patch({ url: receiver.url('/elsewhere') })).body).toMatchObject({ code: 'RECENT_SIGN_IN_REQUIRED' });
      await patch({ description: 'CRM', enabled: false }).expect(200);
      await request(t.server).get('/api/webhooks/endpoints').set(bearer(stale)).expect(200);
    },
  );

  it('an integration with a webhooks:manage key registers endpoints but never creates keys; the owner is told of each new key and endpoint', async () => {
    const user = await createUser(t);
    const { accessToken } = await login(t, user);
    const created = await createKey(accessToken, ['webhooks:manage']).expect(201);
    const key = created.body.key as string;
    const viaKey = await createEndpoint(key, receiver.url('/crm?auth=abc')).expect(201);
    expect((await createKey(key, ['webhooks:manage'])).body).toMatchObject({ statusCode: 403, code: 'API_KEY_NOT_ALLOWED' });

    const [keyNotice] = await outbox(t, user.email, 'security.api_key_created');
    expect(keyNotice!.subject).toBe('A new API key was created on your account');
    expect(keyNotice!.bodyText).toContain(`"CRM sync" (${created.body.prefix}…)`);
    expect(keyNotice!.bodyText).toContain('webhooks:manage');
    expect(keyNotice!.bodyText).not.toContain(key);
    const [endpointNotice] = await outbox(t, user.email, 'webhook.endpoint_created');
    expect(endpointNotice!.bodyText).toContain('with one of your API keys');
    // The URL as recorded: no query string (a receiver's token may be in it).
    expect(endpointNotice!.bodyText).toContain(`http://127.0.0.1:${receiver.port}/crm`);
    expect(endpointNotice!.bodyText).not.toContain('auth=abc');
    const [audit] = await sql.query(
      `SELECT payload FROM audit_events WHERE action = 'webhook_endpoint.created' AND subject_id = $1`,
      [viaKey.body.id],
    );
    expect(audit.payload.url).toBe(`http://127.0.0.1:${receiver.port}/crm`);
  });

  it('a password reset revokes the account’s API keys and disables its webhook endpoints, and the email says so; a password change keeps them', async () => {
    const user = await createUser(t);
    const { accessToken } = await login(t, user);
    const keys = [];
    for (let n = 0; n < 2; n++)
      keys.push((await createKey(accessToken, ['profile:read', 'webhooks:manage']).expect(201)).body.key as string);
    const endpoints = [];
    for (const path of ['/a', '/b'])
      endpoints.push((await createEndpoint(accessToken, receiver.url(path)).expect(201)).body.id as string);
    await request(t.server)
      .patch(`/api/webhooks/endpoints/${endpoints[1]}`)
      .set(bearer(accessToken))
      .send({ enabled: false })
      .expect(200);
    const bystander = await createUser(t);
    const bystanderKey = (await createKey((await login(t, bystander)).accessToken, ['profile:read']).expect(201)).body
      .key as string;

    // A normal change of password (the owner knows the current one) keeps the integrations.
    const newPassword = strongPassword();
    await request(t.server)
      .post('/api/auth/password')
      .set(bearer(accessToken))
      .send({ currentPassword: user.password, newPassword })
      .expect(204);
    await request(t.server).get('/api/webhooks/endpoints').set(bearer(keys[0]!)).expect(200);

    await t.app.get(PasswordResetService).request(user.email);
    const token = await lastEmailedToken(t, user.email, 'password-reset');
    await request(t.server).post('/api/auth/password-reset/confirm').send({ token, newPassword: strongPassword() }).expect(204);

    for (const key of keys) expect((await request(t.server).get('/api/webhooks/endpoints').set(bearer(key))).status).toBe(401);
    const rows = await sql.query(
      `SELECT id, status, disabled_reason FROM webhook_endpoints WHERE owner_id = $1 ORDER BY created_at`,
      [user.id],
    );
    expect(rows).toEqual([
      { id: endpoints[0], status: 'DISABLED', disabled_reason: 'password_reset' },
      // Disabled by its owner before: left as it was.
      { id: endpoints[1], status: 'DISABLED', disabled_reason: 'owner' },
    ]);
    const [notice] = await outbox(t, user.email, 'security.password_reset');
    expect(notice!.subject).toBe('Your password was reset');
    expect(notice!.bodyText).toContain('revoked your API keys (2) and disabled your webhook endpoints (1)');
    const [{ payload }] = await sql.query(
      `SELECT payload FROM audit_events WHERE action = 'user.password_reset' AND subject_id = $1`,
      [user.id],
    );
    expect(payload).toMatchObject({ revokedKeyPrefixes: expect.any(Array), webhookEndpointsDisabled: 1 });
    expect(payload.revokedKeyPrefixes).toHaveLength(2);
    // Nobody else's keys are touched.
    await request(t.server).get('/api/auth/me').set(bearer(bystanderKey)).expect(200);
  });
  it('a disabled endpoint (by a password reset or by its owner) is refused replays with 409 WEBHOOK_ENDPOINT_DISABLED, like test events, and is sent nothing', async () => {
    const user = await createUser(t);
    let { accessToken } = await login(t, user);
    const post = (path: string) => request(t.server).post(path).set(bearer(accessToken));
    const deliveries: string[] = [];
    const endpoints: string[] = [];
    for (const path of ['/replay-reset', '/replay-owner']) {
      const id = (await createEndpoint(accessToken, receiver.url(path)).expect(201)).body.id as string;
      endpoints.push(id);
      const { deliveryId } = (await post(`/api/webhooks/endpoints/${id}/test`).expect(202)).body;
      expect(await t.app.get(WebhookDeliveryService).attempt(deliveryId)).toBe('delivered');
      deliveries.push(deliveryId);
    }
    // While active, a replay is sent.
    await post(`/api/webhooks/deliveries/${deliveries[1]}/replay`).expect(200);
    expect(receiver.at('/replay-owner')).toHaveLength(2);

    await request(t.server)
      .patch(`/api/webhooks/endpoints/${endpoints[1]}`)
      .set(bearer(accessToken))
      .send({ enabled: false })
      .expect(200);
    await t.app.get(PasswordResetService).request(user.email);
    const token = await lastEmailedToken(t, user.email, 'password-reset');
    const password = strongPassword();
    await request(t.server).post('/api/auth/password-reset/confirm').send({ token, newPassword: password }).expect(204);
    ({ accessToken } = await login(t, { email: user.email, password }));

    for (const [n, path] of (['/replay-reset', '/replay-owner'] as const).entries()) {
      const replay = await post(`/api/webhooks/deliveries/${deliveries[n]}/replay`).expect(409);
      expect(replay.body.code).toBe('WEBHOOK_ENDPOINT_DISABLED');
      expect((await post(`/api/webhooks/endpoints/${endpoints[n]}/test`).expect(409)).body.code).toBe(
        'WEBHOOK_ENDPOINT_DISABLED',
      );
      // Disabled between the request and the send (a race): the attempt itself refuses.
      await expect(t.app.get(WebhookDeliveryService).attempt(deliveries[n]!, { manual: true })).rejects.toMatchObject({
        code: 'WEBHOOK_ENDPOINT_DISABLED',
      });
      expect(receiver.at(path)).toHaveLength(n === 0 ? 1 : 2);
    }
    // Neither counted against the limit nor audited as replayed.
    const [{ sends }] = await sql.query(
      `SELECT count(*)::int AS sends FROM webhook_manual_sends WHERE endpoint_id = ANY($1::uuid[])`,
      [endpoints],
    );
    expect(sends).toBe(3);
    const [{ replays }] = await sql.query(
      `SELECT count(*)::int AS replays FROM audit_events WHERE action = 'webhook_delivery.replayed' AND subject_id = ANY($1::text[])`,
      [deliveries],
    );
    expect(replays).toBe(1);

    // Enabled again by its owner: replays go out.
    await request(t.server)
      .patch(`/api/webhooks/endpoints/${endpoints[0]}`)
      .set(bearer(accessToken))
      .send({ enabled: true })
      .expect(200);
    await post(`/api/webhooks/deliveries/${deliveries[0]}/replay`).expect(200);
    expect(receiver.at('/replay-reset')).toHaveLength(2);
  });
});

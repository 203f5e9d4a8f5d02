import request from 'supertest';
import { DataSource } from 'typeorm';
import { AccessTokens } from '../../src/modules/identity/access-tokens';
import { createTestApp, TestApp } from '../setup/test-app';
import { bearer, createUser, login, strongPassword, uniqueEmail } from '../factories/users';

/**
 * Issue 10, finding 2: an admin's API key created ADMIN accounts, and the new admin minted keys.
 * Creating an admin, suspending or reactivating one, and an admin minting keys now need a
 * password sign-in from the last 15 minutes; managing keys is never done with a key.
 */
describe('identity: API keys cannot escalate', () => {
  let t: TestApp;
  let admin: { id: string; email: string; password: string };
  let adminToken: string;
  let adminKey: string;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '10000' });
    admin = await createUser(t, { role: 'ADMIN' });
    adminToken = (await login(t, admin)).accessToken;
    adminKey = (await request(t.server).post('/api/api-keys').set(bearer(adminToken)).send({ name: 'integration', scopes: ['admin'] }).expect(201)).body.key;
  });
  afterAll(async () => {
    await t?.close();
  });

  const newAccount = (role: string) => ({ email: uniqueEmail(role.toLowerCase()), password: strongPassword(), displayName: `New ${role}`, role });

  it('an admin API key cannot create an ADMIN account (403 SESSION_REQUIRED); it can still create other accounts', async () => {
    const refused = await request(t.server).post('/api/admin/users').set(bearer(adminKey)).send(newAccount('ADMIN'));
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'SESSION_REQUIRED' });
    const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM users WHERE role = 'ADMIN'`);
    expect(n).toBe(1);
    await request(t.server).post('/api/admin/users').set(bearer(adminKey)).send(newAccount('CLIENT')).expect(201);
  });

  it('an admin API key cannot suspend or reactivate an admin, nor revoke keys; it can still suspend a client', async () => {
    const other = await createUser(t, { role: 'ADMIN' });
    const suspend = await request(t.server).post(`/api/admin/users/${other.id}/suspend`).set(bearer(adminKey));
    expect({ status: suspend.status, code: suspend.body.code }).toEqual({ status: 403, code: 'SESSION_REQUIRED' });
    const reactivate = await request(t.server).post(`/api/admin/users/${other.id}/reactivate`).set(bearer(adminKey));
    expect({ status: reactivate.status, code: reactivate.body.code }).toEqual({ status: 403, code: 'SESSION_REQUIRED' });
    const client = await createUser(t, { role: 'CLIENT' });
    await request(t.server).post(`/api/admin/users/${client.id}/suspend`).set(bearer(adminKey)).expect(200);

    // Managing keys is session only: even an admin key is refused before any service code runs.
    const keys = await request(t.server).get('/api/api-keys').set(bearer(adminToken)).expect(200);
    const revoke = await request(t.server).delete(`/api/api-keys/${keys.body[0].id}`).set(bearer(adminKey));
    expect({ status: revoke.status, code: revoke.body.code }).toEqual({ status: 403, code: 'API_KEY_NOT_ALLOWED' });
  });

  it('a fresh admin sign-in creates an admin, who (signed in) can mint keys', async () => {
    const body = newAccount('ADMIN');
    await request(t.server).post('/api/admin/users').set(bearer(adminToken)).send(body).expect(201);
    const { accessToken } = await login(t, body);
    await request(t.server).post('/api/api-keys').set(bearer(accessToken)).send({ name: 'ok', scopes: ['profile:read'] }).expect(201);
  });

  it('an admin sign-in older than 15 minutes (kept alive by refreshes) must sign in again first', async () => {
    const other = await createUser(t, { role: 'ADMIN' });
    const session = await login(t, admin);
    // The sign-in began 20 minutes ago; refreshing does not make it recent.
    await t.app.get(DataSource).query(`UPDATE refresh_tokens SET created_at = now() - interval '20 minutes' WHERE user_id = $1`, [admin.id]);
    const refreshed = await request(t.server).post('/api/auth/refresh').set('cookie', session.refreshCookie).expect(200);
    const stale = refreshed.body.accessToken as string;

    for (const [method, path, body] of [
      ['post', '/api/admin/users', newAccount('ADMIN')],
      ['post', `/api/admin/users/${other.id}/suspend`, {}],
      ['post', '/api/api-keys', { name: 'late', scopes: ['profile:read'] }],
    ] as const) {
      const res = await request(t.server)[method](path).set(bearer(stale)).send(body);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 403, code: 'RECENT_SIGN_IN_REQUIRED' });
    }
    // Everyday admin work is unaffected.
    await request(t.server).get('/api/admin/users').set(bearer(stale)).expect(200);
    // A token without auth_time (issued before this rule) counts as stale too.
    const [{ family_id: sid }] = await t.app.get(DataSource).query(`SELECT family_id FROM refresh_tokens WHERE user_id = $1 LIMIT 1`, [admin.id]);
    const legacy = await t.app.get(AccessTokens).sign({ sub: admin.id, sid, role: 'ADMIN' });
    const res = await request(t.server).post('/api/api-keys').set(bearer(legacy)).send({ name: 'legacy', scopes: ['profile:read'] });
    expect(res.body.code).toBe('RECENT_SIGN_IN_REQUIRED');
  });
});

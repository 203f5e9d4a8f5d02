import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../setup/test-app';
import { bearer, createUser, login } from '../factories/users';

describe('identity: API keys', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '10000' });
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function createKey(accessToken: string, name = 'CRM integration') {
    return request(t.server).post('/api/api-keys').set(bearer(accessToken)).send({ name }).expect(201);
  }

  it('creates a key shown once, stores only its hash, lists it without the secret, and accepts it as a bearer', async () => {
    const lawyer = await createUser(t, { role: 'LAWYER' });
    const { accessToken } = await login(t, lawyer);
    const created = await createKey(accessToken);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'CRM integration',
      prefix: expect.stringMatching(/^lmk_[0-9a-f]{8}$/),
      key: expect.stringMatching(/^lmk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
    });
    const { key, prefix } = created.body;
    expect(key.startsWith(`${prefix}_`)).toBe(true);
    expect(JSON.stringify(await ds.query('SELECT * FROM api_keys'))).not.toContain(key.slice(prefix.length + 1));

    const list = await request(t.server).get('/api/api-keys').set(bearer(accessToken)).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ id: created.body.id, prefix })]);
    expect(JSON.stringify(list.body)).not.toContain(key);

    // Acts as its owner, with the owner's role.
    const me = await request(t.server).get('/api/auth/me').set(bearer(key)).expect(200);
    expect(me.body).toMatchObject({ id: lawyer.id, role: 'LAWYER' });
    await request(t.server).get('/api/admin/users').set(bearer(key)).expect(403);
    const [{ last_used_at }] = await ds.query('SELECT last_used_at FROM api_keys WHERE id = $1', [created.body.id]);
    expect(last_used_at).not.toBeNull();
  });

  it('a key cannot create keys or change the password', async () => {
    const user = await createUser(t);
    const { accessToken } = await login(t, user);
    const { key } = (await createKey(accessToken)).body;
    expect((await request(t.server).post('/api/api-keys').set(bearer(key)).send({ name: 'more' }).expect(403)).body.code).toBe('SESSION_REQUIRED');
    await request(t.server)
      .post('/api/auth/password')
      .set(bearer(key))
      .send({ currentPassword: user.password, newPassword: 'lantern thistle ocean drum' })
      .expect(403);
  });

  it('a revoked key stops working at once; revoking is idempotent', async () => {
    const user = await createUser(t, { role: 'PARTNER' });
    const { accessToken } = await login(t, user);
    const { id, key } = (await createKey(accessToken)).body;
    await request(t.server).get('/api/auth/me').set(bearer(key)).expect(200);
    await request(t.server).delete(`/api/api-keys/${id}`).set(bearer(accessToken)).expect(204);
    expect((await request(t.server).get('/api/auth/me').set(bearer(key)).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
    await request(t.server).delete(`/api/api-keys/${id}`).set(bearer(accessToken)).expect(204);
    const list = await request(t.server).get('/api/api-keys').set(bearer(accessToken)).expect(200);
    expect(list.body[0].revokedAt).toEqual(expect.any(String));
  });

  it("someone else's key id is a 404, and the key keeps working", async () => {
    const owner = await createUser(t);
    const other = await createUser(t);
    const ownerSession = await login(t, owner);
    const otherSession = await login(t, other);
    const { id, key } = (await createKey(ownerSession.accessToken)).body;
    const res = await request(t.server).delete(`/api/api-keys/${id}`).set(bearer(otherSession.accessToken)).expect(404);
    expect(res.body.code).toBe('API_KEY_NOT_FOUND');
    expect((await request(t.server).get('/api/api-keys').set(bearer(otherSession.accessToken)).expect(200)).body).toEqual([]);
    await request(t.server).get('/api/auth/me').set(bearer(key)).expect(200);
    await request(t.server).delete('/api/api-keys/not-a-uuid').set(bearer(ownerSession.accessToken)).expect(400);
  });

  it("suspending the owner disables their keys on the next request", async () => {
    const admin = await createUser(t, { role: 'ADMIN' });
    const adminSession = await login(t, admin);
    const user = await createUser(t);
    const { key } = (await createKey((await login(t, user)).accessToken)).body;
    await request(t.server).get('/api/auth/me').set(bearer(key)).expect(200);
    await request(t.server).post(`/api/admin/users/${user.id}/suspend`).set(bearer(adminSession.accessToken)).expect(200);
    await request(t.server).get('/api/auth/me').set(bearer(key)).expect(401);
  });

  it('malformed and unknown keys → 401', async () => {
    for (const key of ['lmk_', 'lmk_deadbeef_short', `lmk_deadbeef_${'A'.repeat(43)}`]) {
      expect((await request(t.server).get('/api/auth/me').set(bearer(key)).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
    }
  });
});

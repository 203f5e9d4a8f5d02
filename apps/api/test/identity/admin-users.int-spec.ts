import request from 'supertest';
import { createTestApp, TestApp } from '../setup/test-app';
import { bearer, createUser, login, strongPassword, uniqueEmail } from '../factories/users';

describe('identity: admin user management', () => {
  let t: TestApp;
  let adminToken: string;
  let adminId: string;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '10000' });
    const admin = await createUser(t, { role: 'ADMIN' });
    adminId = admin.id;
    adminToken = (await login(t, admin)).accessToken;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates another admin, who can sign in and act as admin', async () => {
    const email = uniqueEmail('second-admin');
    const password = strongPassword();
    const res = await request(t.server)
      .post('/api/admin/users')
      .set(bearer(adminToken))
      .send({ email, password, displayName: 'Second Admin', role: 'ADMIN' })
      .expect(201);
    expect(res.body).toMatchObject({ email, role: 'ADMIN', status: 'ACTIVE' });
    const { accessToken } = await login(t, { email, password });
    await request(t.server).get('/api/admin/users').set(bearer(accessToken)).expect(200);
    const dup = await request(t.server).post('/api/admin/users').set(bearer(adminToken)).send({ email, password, displayName: 'Again', role: 'CLIENT' }).expect(409);
    expect(dup.body.code).toBe('EMAIL_TAKEN');
  });

  it('searches by email or name, filters by role and status, and pages with a total', async () => {
    const tag = `zeta${Date.now().toString(36)}`;
    const lawyers = [];
    for (let i = 0; i < 3; i++) lawyers.push(await createUser(t, { role: 'LAWYER', displayName: `Lawyer ${tag} ${i}` }));
    await createUser(t, { role: 'CLIENT', email: uniqueEmail(tag) });
    await request(t.server).post(`/api/admin/users/${lawyers[0]!.id}/suspend`).set(bearer(adminToken)).expect(200);

    const all = await request(t.server).get('/api/admin/users').query({ q: tag }).set(bearer(adminToken)).expect(200);
    expect(all.body.total).toBe(4);
    const page = await request(t.server).get('/api/admin/users').query({ q: tag.toUpperCase(), role: 'LAWYER', pageSize: 2, page: 1 }).set(bearer(adminToken)).expect(200);
    expect(page.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items.every((u: { role: string }) => u.role === 'LAWYER')).toBe(true);
    const second = await request(t.server).get('/api/admin/users').query({ q: tag, role: 'LAWYER', pageSize: 2, page: 2 }).set(bearer(adminToken)).expect(200);
    expect(second.body.items).toHaveLength(1);
    const suspended = await request(t.server).get('/api/admin/users').query({ q: tag, status: 'SUSPENDED' }).set(bearer(adminToken)).expect(200);
    expect(suspended.body.items.map((u: { id: string }) => u.id)).toEqual([lawyers[0]!.id]);
    expect(JSON.stringify(all.body)).not.toMatch(/argon2|passwordHash/);
    // LIKE wildcards in the search are literal.
    expect((await request(t.server).get('/api/admin/users').query({ q: '%' }).set(bearer(adminToken)).expect(200)).body.total).toBe(0);
    await request(t.server).get('/api/admin/users').query({ role: 'KING' }).set(bearer(adminToken)).expect(400);
  });

  it('suspend/reactivate: unknown id → 404, own account → 409, malformed id → 400', async () => {
    expect((await request(t.server).post('/api/admin/users/00000000-0000-4000-8000-000000000000/suspend').set(bearer(adminToken)).expect(404)).body.code).toBe('USER_NOT_FOUND');
    expect((await request(t.server).post(`/api/admin/users/${adminId}/suspend`).set(bearer(adminToken)).expect(409)).body.code).toBe('CANNOT_SUSPEND_SELF');
    await request(t.server).post('/api/admin/users/123/suspend').set(bearer(adminToken)).expect(400);
  });
});

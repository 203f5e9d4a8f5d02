import request from 'supertest';
import { DataSource } from 'typeorm';
import { LOGIN_LIMITS } from '../../src/modules/identity/login-throttle';
import { createTestApp, TestApp } from '../setup/test-app';
import { createUser } from '../factories/users';
import { lastEmailedToken } from '../factories/emails';

/**
 * Issue 10, finding 4: five wrong passwords from one address made the correct password from
 * every other address get 429 for 15 minutes — a lockout button against anyone, admins
 * included. Failures now count per account *and* address (and per address), a network that
 * signed in before keeps its own budget, and wrong passwords are slowed progressively.
 */
describe('identity: failed sign-ins cannot lock the owner out', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const attempt = async (from: string, email: string, password: string) => {
    const started = performance.now();
    const res = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: from });
    return { status: res.statusCode, code: (JSON.parse(res.body) as { code?: string }).code, ms: performance.now() - started };
  };

  it('an attacker’s five wrong passwords lock only the attacker’s address, not the admin signing in elsewhere', async () => {
    const admin = await createUser(t, { role: 'ADMIN' });
    for (let i = 0; i < LOGIN_LIMITS.ACCOUNT; i++) expect((await attempt('198.51.100.7', admin.email, `guess ${i} nope`)).status).toBe(401);
    expect(await attempt('198.51.100.7', admin.email, admin.password)).toMatchObject({ status: 429, code: 'TOO_MANY_LOGIN_ATTEMPTS' });
    // The admin, from another address (never used before), signs in.
    expect((await attempt('203.0.113.20', admin.email, admin.password)).status).toBe(200);
  });

  it('a distributed guess hits the per-account limit for unknown networks, but the owner’s known network keeps its budget', async () => {
    const owner = await createUser(t);
    expect((await attempt('192.0.2.10', owner.email, owner.password)).status).toBe(200); // the owner's usual network
    for (let i = 0; i < LOGIN_LIMITS.ACCOUNT_UNKNOWN_NETWORKS; i++) {
      expect((await attempt(`10.7.${Math.floor(i / 200)}.${i % 200}`, owner.email, `guess ${i} nope`)).status).toBe(401);
    }
    expect((await attempt('10.9.9.9', owner.email, owner.password)).code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect((await attempt('192.0.2.10', owner.email, owner.password)).status).toBe(200);
  }, 120_000);

  it('wrong passwords are answered progressively slower from the third one on', async () => {
    const user = await createUser(t);
    const times: number[] = [];
    for (let i = 0; i < 4; i++) times.push((await attempt('198.51.100.99', user.email, `guess ${i} nope`)).ms);
    expect(times[2]).toBeGreaterThanOrEqual(500);
    expect(times[3]).toBeGreaterThanOrEqual(1000);
  });

  it('a password reset clears the failures counted against the account from every address', async () => {
    const user = await createUser(t);
    for (const from of ['198.51.100.30', '198.51.100.31']) {
      for (let i = 0; i < LOGIN_LIMITS.ACCOUNT; i++) await attempt(from, user.email, `guess ${i} nope`);
      expect((await attempt(from, user.email, user.password)).code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    }
    await request(t.server).post('/api/auth/password-reset/request').send({ email: user.email }).expect(202);
    const token = await lastEmailedToken(t, user.email, 'password-reset');
    const newPassword = `lantern thistle ${Date.now()} drum`;
    await request(t.server).post('/api/auth/password-reset/confirm').send({ token, newPassword }).expect(204);
    expect((await attempt('198.51.100.30', user.email, newPassword)).status).toBe(200);
    expect((await attempt('198.51.100.31', user.email, newPassword)).status).toBe(200);
    const [{ n }] = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM login_throttles WHERE failures > 0 AND account_hash = sha256(convert_to('account:' || $1, 'UTF8'))`, [user.email]);
    expect(n).toBe(0);
  });
});

import request from 'supertest';
import { DataSource } from 'typeorm';
import { LOGIN_LIMITS } from '../../src/modules/identity/login-throttle';
import { createTestApp, TestApp } from '../setup/test-app';
import { createUser, login, uniqueEmail } from '../factories/users';

/**
 * Password guessing is limited in the database (shared by every replica): 5 failures per
 * account and 20 per client address per 15 minutes, then 429 with Retry-After. Each test
 * starts from empty counters (all requests come from 127.0.0.1).
 */
describe('identity: failed sign-in limits', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '10000' });
    ds = t.app.get(DataSource);
  });
  beforeEach(async () => {
    await ds.query('DELETE FROM login_throttles');
  });
  afterEach(() => t.clock.reset());

  afterAll(async () => {
    await t?.close();
  });

  const attempt = (email: string, password: string) => request(t.server).post('/api/auth/login').send({ email, password });

  it('per account: the 6th attempt within 15 minutes is refused, even with the right password', async () => {
    const user = await createUser(t);
    for (let i = 0; i < LOGIN_LIMITS.ACCOUNT; i++) {
      expect((await attempt(user.email, `wrong password ${i}`)).status).toBe(401);
    }
    const blocked = await attempt(user.email, user.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_LOGIN_ATTEMPTS' });
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Other accounts from the same address are unaffected.
    const other = await createUser(t);
    await login(t, other);
    // When the window has passed, the account can sign in again.
    t.clock.advance(16 * 60_000);
    await login(t, user);
  });

  it('per account: the email case does not give extra guesses; unknown emails are limited the same way', async () => {
    const user = await createUser(t);
    for (let i = 0; i < LOGIN_LIMITS.ACCOUNT; i++) {
      const email = i % 2 ? user.email.toUpperCase() : user.email;
      expect((await attempt(email, `wrong password ${i}`)).status).toBe(401);
    }
    expect((await attempt(user.email, 'another guess!!')).status).toBe(429);
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < LOGIN_LIMITS.ACCOUNT; i++) expect((await attempt(ghost, `guess ${i}`)).status).toBe(401);
    expect((await attempt(ghost, 'guess again')).body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
  });

  it('a successful sign-in clears the account counter', async () => {
    const user = await createUser(t);
    for (let i = 0; i < LOGIN_LIMITS.ACCOUNT - 1; i++) await attempt(user.email, `wrong password ${i}`).expect(401);
    await login(t, user);
    for (let i = 0; i < LOGIN_LIMITS.ACCOUNT; i++) await attempt(user.email, `wrong password ${i}`).expect(401);
    await attempt(user.email, 'one more guess').expect(429);
  });

  it('per address: after 20 failures spread over many accounts, even a correct sign-in is refused', async () => {
    const victim = await createUser(t);
    for (let i = 0; i < LOGIN_LIMITS.IP; i++) {
      expect((await attempt(uniqueEmail(`spray${i}`), 'Winter2026!!')).status).toBe(401);
    }
    const blocked = await attempt(victim.email, victim.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('parallel guesses cannot exceed the limit: exactly 5 passwords are checked', async () => {
    const user = await createUser(t);
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => attempt(user.email, `parallel guess ${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMITS.ACCOUNT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15 - LOGIN_LIMITS.ACCOUNT);
  });

  it('stores only digests of the emails and addresses it counts', async () => {
    const email = uniqueEmail('private');
    await attempt(email, 'my real password maybe').expect(401);
    const dump = JSON.stringify(await ds.query(`SELECT scope, encode(subject_hash, 'escape') AS s FROM login_throttles`));
    expect(dump).not.toContain(email);
    expect(dump).not.toContain('127.0.0.1');
  });
});

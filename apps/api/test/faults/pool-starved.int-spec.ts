import { TERMS_VERSION } from '@lm/domain';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource, type QueryRunner } from 'typeorm';
import { strongPassword } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';

/**
 * Every pooled connection is held (a starved pool): a request waits DB_POOL_ACQUIRE_TIMEOUT_MS
 * for one, then is answered 503 DATABASE_UNAVAILABLE instead of hanging; once connections are
 * free again the same app serves requests.
 */
describe('a starved database pool', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      THROTTLE_LIMIT: '100000',
      JOBS_ENABLED: 'false',
      DB_POOL_SIZE: '2',
      DB_POOL_ACQUIRE_TIMEOUT_MS: '300',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const register = (email: string) =>
    request(t.server)
      .post('/api/auth/register')
      .send({ email, password: strongPassword(), displayName: 'Petra Pool', role: 'CLIENT', acceptedTermsVersion: TERMS_VERSION });
  const email = () => `pool-${randomBytes(4).toString('hex')}@example.test`;

  it('answers 503 DATABASE_UNAVAILABLE after the acquire timeout while no connection is free, then recovers', async () => {
    const sql = t.app.get(DataSource);
    const held: QueryRunner[] = [];
    try {
      for (let n = 0; n < 2; n++) {
        const runner = sql.createQueryRunner();
        await runner.connect();
        held.push(runner);
      }
      const starved = email();
      const refused = await register(starved).expect(503);
      expect(refused.body.code).toBe('DATABASE_UNAVAILABLE');
      expect(refused.body.message).toMatch(/may not have been completed/);
      for (const runner of held.splice(0)) await runner.release();
      const [{ n }] = await sql.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [starved]);
      expect(n).toBe(0);
    } finally {
      for (const runner of held) await runner.release();
    }
    await register(email()).expect(201);
  });
});

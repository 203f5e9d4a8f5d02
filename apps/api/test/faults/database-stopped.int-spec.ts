import { TERMS_VERSION } from '@lm/domain';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres, freePort } from '../../src/database/embedded-postgres';
import { strongPassword } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { migrateDatabase } from '../setup/test-database';
import { eventually } from '../support/eventually';
import { rowCounts } from './fault-support';

const TABLES = ['users', 'email_outbox', 'audit_events', 'pgboss.job'] as const;

/**
 * Issue 18, faults: the PostgreSQL server stops under the running app (its own embedded server,
 * on its own port, so the other specs' server is untouched) and starts again. While it is down
 * GET /api/health answers 503 with the database (and the jobs) down and requests that need it
 * answer 503 DATABASE_UNAVAILABLE; once it is back the same process is healthy again, serves
 * requests and runs jobs, without a restart.
 */
describe('the database server stopped under the app', () => {
  let home: string;
  let pg: EmbeddedPostgres;
  let t: TestApp;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'lm-fault-pg-'));
    pg = new EmbeddedPostgres({ dataDir: join(home, 'pg'), port: await freePort(), logger: { log: () => undefined, warn: () => undefined, error: () => undefined } });
    await pg.start();
    const admin = new Client({ connectionString: pg.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE lm_fault');
    await admin.end();
    await migrateDatabase(pg.url('lm_fault'));
    t = await createTestApp({ THROTTLE_LIMIT: '100000' }, [], {
      database: { name: 'lm_fault', url: pg.url('lm_fault'), drop: async () => undefined },
    });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const health = () => request(t.server).get('/api/health');
  const register = (email: string) =>
    request(t.server)
      .post('/api/auth/register')
      .send({ email, password: strongPassword(), displayName: 'Dana Down', role: 'CLIENT', acceptedTermsVersion: TERMS_VERSION });
  const email = () => `down-${randomBytes(4).toString('hex')}@example.test`;
  const outboxStatus = async (to: string) =>
    ((await t.app.get(DataSource).query('SELECT status FROM email_outbox WHERE to_address = $1', [to])) as { status: string }[]).map((r) => r.status);

  it('health says the database is down (503) while it is, refused writes leave nothing, and the app recovers on its own', async () => {
    const ok = await health().expect(200);
    expect(ok.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, storage: { status: 'up' }, jobs: { status: 'up' } } });
    const before = await rowCounts(t, TABLES);

    await pg.stop();

    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'error', details: { database: { status: 'down' }, storage: { status: 'up' } } });
    const refusedEmail = email();
    const refused = await register(refusedEmail);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    const read = await request(t.server).get('/api/lawyers');
    expect({ status: read.status, code: read.body.code }).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });

    await pg.start();

    // The same process, no restart: the pools reconnect on their own.
    await eventually(async () => (await health()).status, (s) => s === 200, 30_000);
    expect((await health()).body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, jobs: { status: 'up' } } });
    // Nothing of the refused registration was stored.
    expect(await rowCounts(t, TABLES)).toEqual(before);
    expect(await outboxStatus(refusedEmail)).toEqual([]);

    // A normal request works, and pg-boss runs the job it enqueued (the welcome email is sent).
    const to = email();
    await register(to).expect(201);
    expect(await rowCounts(t, TABLES)).toEqual({
      ...before,
      users: before.users + 1,
      email_outbox: before.email_outbox + 1,
      audit_events: before.audit_events + 1,
      'pgboss.job': before['pgboss.job'] + 1,
    });
    expect(await eventually(() => outboxStatus(to), (s) => s.length === 1 && s[0] !== 'PENDING', 30_000)).toEqual(['CAPTURED']);
    await request(t.server).get('/api/lawyers').expect(200);
  });
});

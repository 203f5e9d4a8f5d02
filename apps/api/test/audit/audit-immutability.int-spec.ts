import { Client } from 'pg';
import { AuditCheckpointsService } from '../../src/modules/audit/audit-checkpoints.service';
import { createTestApp, TestApp } from '../setup/test-app';
import { rawClient, resetAudit, seedChain } from './audit-test-support';

/** ARCHITECTURE §6: the database itself refuses to change history, whoever connects. */
describe('audit tables are append-only at the database level (raw SQL connection)', () => {
  let t: TestApp;
  let sql: Client;

  beforeAll(async () => {
    // No pg-boss workers or cron: the 15-minute checkpoint job would sign this spec's chain at
    // random moments (a checkpoint changes what verification reports). Jobs are still enqueued.
    t = await createTestApp({ JOBS_ENABLED: 'false' });
    sql = await rawClient(t);
  });
  afterAll(async () => {
    await sql?.end();
    await t?.close();
  });
  beforeEach(async () => {
    await resetAudit(t);
    await seedChain(t, 3);
    await t.app.get(AuditCheckpointsService).create();
  });

  const rejected = async (statement: string) => {
    const error = await sql.query(statement).then(
      () => undefined,
      (e: { code?: string; message: string }) => e,
    );
    expect(error).toBeDefined();
    expect(error!.code).toBe('23001');
    expect(error!.message).toMatch(/is not allowed: it is append-only/);
  };

  it.each([
    ['UPDATE one row', "UPDATE audit_events SET action = 'forged' WHERE seq = 2"],
    ['UPDATE every row', "UPDATE audit_events SET payload = '{}'"],
    ['UPDATE matching no row', 'UPDATE audit_events SET action = action WHERE seq = -1'],
    ['DELETE one row', 'DELETE FROM audit_events WHERE seq = 3'],
    ['DELETE every row', 'DELETE FROM audit_events'],
    ['TRUNCATE', 'TRUNCATE audit_events'],
    ['TRUNCATE … CASCADE', 'TRUNCATE audit_events CASCADE'],
  ])('audit_events: %s is refused', async (_name, statement) => {
    await rejected(statement);
    const rows = await sql.query<{ n: number; actions: string[] }>(
      'SELECT count(*)::int AS n, array_agg(action ORDER BY seq) AS actions FROM audit_events',
    );
    expect(rows.rows[0]!.n).toBe(3);
    expect(rows.rows[0]!.actions).not.toContain('forged');
  });

  it.each([
    ['UPDATE', 'UPDATE audit_checkpoints SET head_seq = 0'],
    ['DELETE', 'DELETE FROM audit_checkpoints'],
    ['TRUNCATE', 'TRUNCATE audit_checkpoints'],
  ])('audit_checkpoints: %s is refused', async (_name, statement) => {
    await rejected(statement);
    const rows = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_checkpoints WHERE head_seq = 3');
    expect(rows.rows[0]!.n).toBe(1);
  });

  it('refuses inside an explicit transaction too, and INSERT (appending) still works', async () => {
    await sql.query('BEGIN');
    await expect(sql.query('DELETE FROM audit_events WHERE seq = 1')).rejects.toThrow(/append-only/);
    await sql.query('ROLLBACK');
    // Appending is allowed by the database (the app's record() is what keeps the chain valid).
    await sql.query(
      `INSERT INTO audit_events (seq, occurred_at, action, subject_type, payload, prev_hash, hash)
       VALUES (4, now(), 'raw.insert', 'test', '{}', repeat('0', 64), repeat('1', 64))`,
    );
    expect((await sql.query('SELECT count(*)::int AS n FROM audit_events')).rows[0]).toEqual({ n: 4 });
  });

  it('the trigger function is generic: one statement makes another table append-only', async () => {
    await sql.query('CREATE TABLE spec_append_only (id int PRIMARY KEY)');
    await sql.query(
      'CREATE TRIGGER spec_append_only_guard BEFORE UPDATE OR DELETE OR TRUNCATE ON spec_append_only FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()',
    );
    await sql.query('INSERT INTO spec_append_only VALUES (1)');
    await expect(sql.query('DELETE FROM spec_append_only')).rejects.toThrow(
      'DELETE on table "spec_append_only" is not allowed: it is append-only',
    );
    await sql.query('DROP TABLE spec_append_only');
  });
});

import { DataSource, QueryRunner } from 'typeorm';
import { AuditService } from '../../src/modules/audit/audit.service';
import { createTestApp, TestApp } from '../setup/test-app';
import { bypassTriggers, resetAudit, seedChain } from './audit-test-support';

/**
 * Issue 9, item 6: the audit specs' tamper helpers must not wait on the app. They used
 * `ALTER TABLE … DISABLE TRIGGER` and TRUNCATE, whose table locks queued behind any open app
 * transaction that had read the chain (the checkpoint job's or a verification's REPEATABLE READ
 * scan, slow on a busy machine) with no time limit, and meanwhile blocked the app's own reads
 * and appends: audit-tamper timed out at 60 s under load.
 */
describe('audit spec helpers run beside a busy app', () => {
  let t: TestApp;
  let ds: DataSource;
  let reader: QueryRunner | undefined;

  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'false' });
    ds = t.app.get(DataSource);
  });
  afterEach(async () => {
    if (reader?.isTransactionActive) await reader.rollbackTransaction();
    await reader?.release();
    reader = undefined;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** 'done', or how long it has been waiting when `ms` ran out. */
  const settlesWithin = (ms: number, work: Promise<unknown>) =>
    Promise.race([work.then(() => 'done'), new Promise((r) => setTimeout(() => r(`still waiting after ${ms} ms`), ms))]);

  /** An app transaction that has read the chain and stays open, like a checkpoint job mid-scan. */
  const openReader = async () => {
    reader = ds.createQueryRunner();
    await reader.connect();
    await reader.startTransaction('REPEATABLE READ');
    await reader.query('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  };

  it('reset and tampering do not wait for an open app reader, and the app keeps appending meanwhile', async () => {
    await resetAudit(t);
    await seedChain(t, 3);
    await openReader();
    expect(await settlesWithin(3000, resetAudit(t))).toBe('done');
    expect(await settlesWithin(3000, seedChain(t, 2))).toBe('done');
    expect(await settlesWithin(3000, bypassTriggers(t, "UPDATE audit_events SET action = 'forged' WHERE seq = 1"))).toBe('done');
    await reader!.commitTransaction();
    // The bypass really bypassed the append-only trigger, and only for its own transaction.
    expect(await ds.query('SELECT seq::int, action FROM audit_events ORDER BY seq')).toEqual([
      { seq: 1, action: 'forged' },
      { seq: 2, action: expect.any(String) },
    ]);
    await expect(ds.query("UPDATE audit_events SET action = 'again' WHERE seq = 1")).rejects.toThrow(/append-only/);
    expect((await t.app.get(AuditService).verify()).ok).toBe(false);
  });

  it('a statement that would have to wait fails after the lock timeout, naming who holds the lock', async () => {
    await resetAudit(t);
    await seedChain(t, 1);
    reader = ds.createQueryRunner();
    await reader.connect();
    await reader.startTransaction();
    await reader.query('SELECT seq FROM audit_events WHERE seq = 1 FOR UPDATE');
    const error = await bypassTriggers(t, 'DELETE FROM audit_events WHERE seq = 1').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/^bypassTriggers: canceling statement due to lock timeout after 5000 ms; held by: pid \d+ \(lm-api, idle in transaction\)/);
  });
});

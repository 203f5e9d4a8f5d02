import { DataSource } from 'typeorm';
import { chainHash, GENESIS_HASH, REDACTED } from '../../src/modules/audit/audit-chain';
import { AuditRepository } from '../../src/modules/audit/audit.repository';
import { AuditService } from '../../src/modules/audit/audit.service';
import { createTestApp, TestApp } from '../setup/test-app';
import { rawClient, resetAudit } from './audit-test-support';

/** AuditService.record: in the caller's transaction, serialised, gap-free (Done-when 5). */
describe('AuditService.record', () => {
  let t: TestApp;
  let ds: DataSource;
  let audit: AuditService;

  beforeAll(async () => {
    // Pool of 20 so many appends really are in flight at once, queued on the advisory lock.
    t = await createTestApp({ DB_POOL_SIZE: '20', JOBS_ENABLED: 'false' }); // no background job appends or signs
    ds = t.app.get(DataSource);
    audit = t.app.get(AuditService);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetAudit(t);
  });

  const seqs = async () =>
    (await ds.query('SELECT seq FROM audit_events ORDER BY seq')).map((r: { seq: string }) => Number(r.seq));
  const entry = (i: number) => ({
    actorId: null,
    action: 'spec.concurrent',
    subjectType: 'spec',
    subjectId: String(i),
    payload: { i },
  });

  it('100 concurrent audited transactions produce seq 1..100 without gaps, and the chain verifies', async () => {
    // 120 transactions in parallel; every sixth one rolls back after recording.
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) =>
        ds.transaction(async (m) => {
          await m.query('SELECT pg_sleep(0.001)'); // some business work first
          const recorded = await audit.record(m, entry(i));
          if (i % 6 === 5) throw new Error('business rule failed after auditing');
          return recorded;
        }),
      ),
    );
    const committed = results
      .filter((r) => r.status === 'fulfilled')
      .map((r) => (r as PromiseFulfilledResult<{ seq: number }>).value.seq);
    expect(committed).toHaveLength(100);
    expect([...committed].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await seqs()).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // No entry of a rolled-back transaction survived.
    const subjects: { subject_id: string }[] = await ds.query('SELECT subject_id FROM audit_events');
    expect(subjects.map((s) => Number(s.subject_id) % 6).filter((r) => r === 5)).toEqual([]);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 100, headSeq: 100 });
  });

  it('a rolled-back transaction leaves no entry and no gap', async () => {
    await ds.transaction((m) => audit.record(m, entry(1)));
    await expect(
      ds.transaction(async (m) => {
        expect(await audit.record(m, entry(2))).toMatchObject({ seq: 2 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await seqs()).toEqual([1]);
    expect(await ds.transaction((m) => audit.record(m, entry(3)))).toMatchObject({ seq: 2 });
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 2 });
  });

  it('stores exactly the hashed fields: genesis link, microsecond UTC time, canonical hash', async () => {
    const actorId = '0A1B2C3D-0000-4000-8000-00000000ABCD';
    const { seq, hash } = await ds.transaction((m) =>
      audit.record(m, {
        actorId,
        actorRole: 'ADMIN',
        action: 'user.suspended',
        subjectType: 'user',
        subjectId: 'u-1',
        payload: { reason: 'spam', at: new Date('2025-01-02T03:04:05.678Z'), skipped: undefined, z: 1, a: [2, 'x'] },
        requestId: 'req-abcdef12',
      }),
    );
    const [row] = await t.app.get(AuditRepository).chainBatch(ds.manager, 0, 10);
    expect(row).toMatchObject({
      seq,
      hash,
      prevHash: GENESIS_HASH,
      actorId: actorId.toLowerCase(),
      payload: { reason: 'spam', at: '2025-01-02T03:04:05.678Z', z: 1, a: [2, 'x'] },
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
    expect(chainHash(GENESIS_HASH, row!)).toBe(hash);
    // The stored timestamptz is the instant that was hashed.
    const sql = await rawClient(t);
    try {
      const { rows } = await sql.query(`SELECT occurred_at = $1::timestamptz AS same FROM audit_events WHERE seq = 1`, [
        row!.occurredAt,
      ]);
      expect(rows[0].same).toBe(true);
    } finally {
      await sql.end();
    }
  });

  it('redacts secret-looking payload keys at any depth', async () => {
    await ds.transaction((m) =>
      audit.record(m, {
        actorId: null,
        action: 'user.password_changed',
        subjectType: 'user',
        subjectId: 'u-2',
        payload: { password: 'hunter2', nested: { refreshToken: 'abc', apiKey: 'k', kept: 'yes' } },
      }),
    );
    const [stored] = await ds.query('SELECT payload FROM audit_events');
    expect(stored.payload).toEqual({ password: REDACTED, nested: { refreshToken: REDACTED, apiKey: REDACTED, kept: 'yes' } });
    expect(JSON.stringify(stored.payload)).not.toMatch(/hunter2|abc/);
  });

  it('refuses to record outside a transaction and rejects malformed entries before writing', async () => {
    await expect(audit.record(ds.manager, entry(1))).rejects.toThrow(/not inside a transaction/);
    await expect(ds.transaction((m) => audit.record(m, { ...entry(1), actorId: 'not-a-uuid' }))).rejects.toThrow(/actorId/);
    await expect(ds.transaction((m) => audit.record(m, { ...entry(1), action: '' }))).rejects.toThrow(/action/);
    expect(await seqs()).toEqual([]);
  });
});

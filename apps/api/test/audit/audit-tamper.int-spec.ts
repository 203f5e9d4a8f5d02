import request from 'supertest';
import { DataSource } from 'typeorm';
import { chainHash } from '../../src/modules/audit/audit-chain';
import { AuditRepository } from '../../src/modules/audit/audit.repository';
import { createTestApp, TestApp } from '../setup/test-app';
import { bypassTriggers, resetAudit, seedChain, signInEveryRole, Tokens } from './audit-test-support';

const ENTRIES = 9;
const MIDDLE = 5;
const FORGED_HASH = "encode(digest('forged', 'sha256'), 'hex')";

/**
 * Done-when 4: changing any single stored field of one audit row, with the triggers bypassed as
 * the table owner or a superuser could, makes /api/admin/audit/verify name exactly that seq.
 */
describe('GET /api/admin/audit/verify detects tampering', () => {
  let t: TestApp;
  let tokens: Tokens;

  beforeAll(async () => {
    // No pg-boss workers or cron: the 15-minute checkpoint job would sign this spec's chain at
    // random moments (a checkpoint changes what verification reports). Jobs are still enqueued.
    t = await createTestApp({ THROTTLE_LIMIT: '10000', JOBS_ENABLED: 'false' });
    tokens = await signInEveryRole(t);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetAudit(t);
    await seedChain(t, ENTRIES);
  });

  const verify = async () =>
    (await request(t.server).get('/api/admin/audit/verify').set('authorization', `Bearer ${tokens.admin}`).expect(200)).body;

  it('an untampered chain verifies: every entry checked, head reported', async () => {
    const body = await verify();
    expect(body).toEqual({ ok: true, checked: ENTRIES, headSeq: ENTRIES, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('an empty chain verifies with the genesis head', async () => {
    await resetAudit(t);
    expect(await verify()).toEqual({ ok: true, checked: 0, headSeq: 0, headHash: '0'.repeat(64) });
  });

  it.each([
    ['occurred_at (+1 microsecond)', "occurred_at = occurred_at + interval '1 microsecond'", 'HASH_MISMATCH'],
    ['actor_id', 'actor_id = gen_random_uuid()', 'HASH_MISMATCH'],
    ['actor_id (to null)', 'actor_id = NULL', 'HASH_MISMATCH'],
    ['actor_role', "actor_role = 'SOMEONE_ELSE'", 'HASH_MISMATCH'],
    ['action', "action = 'payment.refunded'", 'HASH_MISMATCH'],
    ['subject_type', "subject_type = 'contract'", 'HASH_MISMATCH'],
    ['subject_id', "subject_id = 'subject-999'", 'HASH_MISMATCH'],
    ['subject_id (to null)', 'subject_id = NULL', 'HASH_MISMATCH'],
    ['payload (one nested value)', "payload = jsonb_set(payload, '{nested,flags,0}', '6')", 'HASH_MISMATCH'],
    ['payload (added key)', 'payload = payload || \'{"refund": true}\'', 'HASH_MISMATCH'],
    ['request_id', "request_id = 'req-forged-0000'", 'HASH_MISMATCH'],
    ['prev_hash', `prev_hash = ${FORGED_HASH}`, 'PREV_HASH_MISMATCH'],
    ['hash', `hash = ${FORGED_HASH}`, 'HASH_MISMATCH'],
    ['seq (moved past the head)', 'seq = seq + 1000', 'SEQ_GAP'],
  ])('changing %s of entry 5 is reported at seq 5', async (_field, assignment, reason) => {
    await bypassTriggers(t, `UPDATE audit_events SET ${assignment} WHERE seq = ${MIDDLE}`);
    const body = await verify();
    expect(body).toMatchObject({ ok: false, firstBrokenSeq: MIDDLE, reason, checked: MIDDLE - 1 });
  });

  it('deleting a middle entry is reported as the missing seq', async () => {
    await bypassTriggers(t, `DELETE FROM audit_events WHERE seq = ${MIDDLE}`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: MIDDLE, reason: 'SEQ_GAP' });
  });

  it('a no-op rewrite (same values) is not reported: verification compares content, not history', async () => {
    await bypassTriggers(t, `UPDATE audit_events SET occurred_at = occurred_at, payload = payload WHERE seq = ${MIDDLE}`);
    expect(await verify()).toMatchObject({ ok: true, checked: ENTRIES });
  });

  it('a forger who rewrites an entry and recomputes its hash breaks the link of the next one', async () => {
    // Entry 5 is self-consistent again, but 6 still points at the old hash; fixing that means
    // rewriting the whole tail, which a signed checkpoint exposes (audit-checkpoints.int-spec.ts).
    const [row] = await t.app.get(AuditRepository).chainBatch(t.app.get(DataSource).manager, MIDDLE - 1, 1);
    const forged = { ...row!, action: 'payment.refunded' };
    const hash = chainHash(forged.prevHash, forged);
    await bypassTriggers(t, `UPDATE audit_events SET action = '${forged.action}', hash = '${hash}' WHERE seq = ${MIDDLE}`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: MIDDLE + 1, reason: 'PREV_HASH_MISMATCH' });
  });

  it('the reported head is the stored head even when the chain is broken', async () => {
    await bypassTriggers(t, `UPDATE audit_events SET action = 'x' WHERE seq = 2`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 2, checked: 1, headSeq: ENTRIES });
  });
});

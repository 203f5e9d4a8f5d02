import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AUDIT_CHECKPOINT_QUEUE } from '../../src/modules/audit/audit-checkpoints.service';
import { GENERATED_KEY_FILE } from '../../src/modules/audit/audit-signer';
import { JobsService } from '../../src/modules/jobs/jobs.service';
import { createTestApp, TestApp } from '../setup/test-app';
import { bypassTriggers, resetAudit, seedChain, signInEveryRole, Tokens } from './audit-test-support';

interface Exported {
  headSeq: number;
  headHash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

/** Signed checkpoints: export one, tamper with or truncate the chain, re-verify (Done-when 4). */
describe('audit checkpoints', () => {
  let t: TestApp;
  let tokens: Tokens;
  let registeredSchedules: unknown;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '10000' });
    // The worker stays (the job is tested below) but the cron goes: at :00/:15/:30/:45 it would
    // sign a checkpoint in the middle of a test. What start-up registered is checked below.
    const ds = t.app.get(DataSource);
    registeredSchedules = await ds.query('SELECT cron FROM pgboss.schedule WHERE name = $1', [AUDIT_CHECKPOINT_QUEUE]);
    await ds.query('DELETE FROM pgboss.schedule WHERE name = $1', [AUDIT_CHECKPOINT_QUEUE]);
    tokens = await signInEveryRole(t);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetAudit(t);
    await seedChain(t, 10);
  });

  const checkpointNow = async (): Promise<Exported> =>
    (await request(t.server).post('/api/admin/audit/checkpoints').set('authorization', `Bearer ${tokens.admin}`).expect(201))
      .body;
  const reverify = async (checkpoint: Exported) =>
    (await request(t.server).post('/api/audit/checkpoints/verify').send(checkpoint).expect(200)).body;
  const chainVerify = async () =>
    (await request(t.server).get('/api/admin/audit/verify').set('authorization', `Bearer ${tokens.admin}`).expect(200)).body;

  it('signs the head with Ed25519; anyone can check it with the public key and the documented message', async () => {
    const checkpoint = await checkpointNow();
    expect(checkpoint).toEqual({
      headSeq: 10,
      headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      signedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
      signature: expect.any(String),
    });
    expect(checkpoint.headHash).toBe((await chainVerify()).headHash);

    const key = (await request(t.server).get('/api/audit/public-key').expect(200)).body;
    expect(key).toEqual({
      keyId: checkpoint.keyId,
      algorithm: 'Ed25519',
      publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY'),
    });
    // Independent check, written from the documentation rather than the server's code.
    const message = `{"headHash":"${checkpoint.headHash}","headSeq":10,"keyId":"${checkpoint.keyId}","signedAt":"${checkpoint.signedAt}","type":"lexmarket.audit.checkpoint.v1"}`;
    expect(
      verifySignature(null, Buffer.from(message), createPublicKey(key.publicKeyPem), Buffer.from(checkpoint.signature, 'base64')),
    ).toBe(true);

    // Latest is public and identical to the export.
    expect((await request(t.server).get('/api/audit/checkpoints/latest').expect(200)).body).toEqual(checkpoint);
  });

  it('without AUDIT_SIGNING_KEY the key is generated once under DATA_DIR with mode 0600', () => {
    const file = join(t.config.dataDir, GENERATED_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('latest is 404 AUDIT_CHECKPOINT_NOT_FOUND before any checkpoint', async () => {
    const res = await request(t.server).get('/api/audit/checkpoints/latest').expect(404);
    expect(res.body.code).toBe('AUDIT_CHECKPOINT_NOT_FOUND');
  });

  it('an exported checkpoint re-verifies on an untampered chain, also after later appends', async () => {
    const checkpoint = await checkpointNow();
    expect(await reverify(checkpoint)).toEqual({ ok: true, signatureValid: true, checked: 10, headSeq: 10 });
    await seedChain(t, 3);
    expect(await reverify(checkpoint)).toEqual({ ok: true, signatureValid: true, checked: 10, headSeq: 13 });
  });

  it('deleting the tail after exporting a checkpoint is detected on re-verification (truncation)', async () => {
    const checkpoint = await checkpointNow();
    await seedChain(t, 5); // 11..15 written after the checkpoint
    await bypassTriggers(t, 'DELETE FROM audit_events WHERE seq >= 8');
    expect(await reverify(checkpoint)).toEqual({
      ok: false,
      signatureValid: true,
      checked: 7,
      headSeq: 7,
      firstBrokenSeq: 8,
      reason: 'CHECKPOINT_SEQ_MISSING',
    });
    // The chain alone looks fine, but the stored checkpoint betrays the truncation too.
    expect(await chainVerify()).toMatchObject({ ok: false, headSeq: 7, firstBrokenSeq: 8, reason: 'CHECKPOINT_SEQ_MISSING' });
    // And no new checkpoint will launder it.
    const refused = await request(t.server)
      .post('/api/admin/audit/checkpoints')
      .set('authorization', `Bearer ${tokens.admin}`)
      .expect(409);
    expect(refused.body.code).toBe('AUDIT_CHAIN_BROKEN');
  });

  it('a checkpoint vouches for entries up to its seq only: deleting later entries does not fail it', async () => {
    const checkpoint = await checkpointNow();
    await seedChain(t, 5);
    await bypassTriggers(t, 'DELETE FROM audit_events WHERE seq > 10');
    expect(await reverify(checkpoint)).toMatchObject({ ok: true, checked: 10, headSeq: 10 });
  });

  it('rewriting an entry before the checkpoint fails re-verification at that seq', async () => {
    const checkpoint = await checkpointNow();
    await bypassTriggers(t, `UPDATE audit_events SET payload = '{"amountMinor": 1}' WHERE seq = 4`);
    expect(await reverify(checkpoint)).toMatchObject({
      ok: false,
      signatureValid: true,
      firstBrokenSeq: 4,
      reason: 'HASH_MISMATCH',
    });
  });

  it('a consistently re-hashed (rewritten) chain no longer matches the signed head hash', async () => {
    const checkpoint = await checkpointNow();
    // Rewrite history wholesale: drop everything and append a different, internally valid chain.
    await resetAudit(t);
    await seedChain(t, 12, (i) => ({ subjectId: `rewritten-${i}` }));
    expect(await reverify(checkpoint)).toMatchObject({
      ok: false,
      signatureValid: true,
      firstBrokenSeq: 10,
      reason: 'CHECKPOINT_HASH_MISMATCH',
    });
  });

  it('a forged or altered checkpoint is refused before any chain work', async () => {
    const checkpoint = await checkpointNow();
    const signature = Buffer.from(checkpoint.signature, 'base64');
    signature[0]! ^= 0xff;
    expect(await reverify({ ...checkpoint, signature: signature.toString('base64') })).toMatchObject({
      ok: false,
      signatureValid: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(await reverify({ ...checkpoint, headSeq: 9 })).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(await reverify({ ...checkpoint, keyId: '0123456789abcdef' })).toMatchObject({ ok: false, reason: 'UNKNOWN_KEY' });
    const invalid = await request(t.server)
      .post('/api/audit/checkpoints/verify')
      .send({ ...checkpoint, headHash: 'nope' })
      .expect(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
  });

  it('the pg-boss job signs the head when it moved, and only then; the 15-minute schedule is registered', async () => {
    const ds = t.app.get(DataSource);
    const jobs = t.app.get(JobsService);
    const count = async () => (await ds.query('SELECT count(*)::int AS n FROM audit_checkpoints'))[0].n as number;
    const finished = async (id: string) => {
      for (let i = 0; i < 100; i++) {
        const [job] = await ds.query('SELECT state FROM pgboss.job WHERE id = $1', [id]);
        if (job?.state === 'completed') return;
        if (job?.state === 'failed') throw new Error('job failed');
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('job did not finish');
    };
    await finished((await jobs.send(AUDIT_CHECKPOINT_QUEUE, {}))!);
    expect(await count()).toBe(1);
    expect((await request(t.server).get('/api/audit/checkpoints/latest').expect(200)).body.headSeq).toBe(10);
    await finished((await jobs.send(AUDIT_CHECKPOINT_QUEUE, {}))!);
    expect(await count()).toBe(1); // head unchanged: nothing new to sign
    expect(registeredSchedules).toEqual([{ cron: '*/15 * * * *' }]);
  });
});

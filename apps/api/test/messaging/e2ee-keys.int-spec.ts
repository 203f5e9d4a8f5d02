import { createHash, randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { signedIn } from '../factories/sessions';
import { bearer, createUser, login } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { b64, ed25519, identityBody, newDevice, paidPair, registration, setUpKeys, signText, x25519 } from './messaging-support';

const fingerprint = (raw: string) => createHash('sha256').update(Buffer.from(raw, 'base64url')).digest('hex');

describe('E2EE keys: identity, backup, devices (the server verifies every certificate)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const audit = (userId: string) =>
    t.app
      .get(DataSource)
      .query(
        `SELECT action, payload FROM audit_events WHERE subject_type = 'user' AND subject_id = $1 AND action LIKE 'e2ee.%' ORDER BY seq`,
        [userId],
      ) as Promise<{ action: string; payload: Record<string, unknown> }[]>;

  it('sets up an identity with its first device; the backup comes back as stored; audited with fingerprints only', async () => {
    const me = await signedIn(t);
    expect((await request(t.server).get('/api/e2ee/keys/me').set(bearer(me.token)).expect(200)).body).toEqual({
      userId: me.id,
      identity: null,
      devices: [],
    });
    expect((await request(t.server).get('/api/e2ee/backup').set(bearer(me.token)).expect(404)).body.code).toBe(
      'E2EE_IDENTITY_NOT_FOUND',
    );

    const keys = { identity: ed25519(), backup: x25519(), device: newDevice() };
    const body = identityBody(me.id, keys);
    const res = await request(t.server).post('/api/e2ee/identity').set(bearer(me.token)).send(body).expect(201);
    expect(res.body.identity).toEqual({
      identityKey: keys.identity.raw,
      backupKey: keys.backup.raw,
      backupKeySignature: body.backupKeySignature,
      createdAt: expect.any(String),
    });
    expect(res.body.device).toMatchObject({
      deviceId: keys.device.deviceId,
      userId: me.id,
      identityKey: keys.identity.raw,
      x25519PublicKey: keys.device.agreement.raw,
      ed25519PublicKey: keys.device.signing.raw,
      label: 'Test browser',
      revokedAt: null,
    });

    const backup = await request(t.server).get('/api/e2ee/backup').set(bearer(me.token)).expect(200);
    expect(backup.body).toEqual({ identityKey: keys.identity.raw, backup: body.backup });

    const entries = await audit(me.id);
    expect(entries.map((e) => e.action)).toEqual(['e2ee.identity_created', 'e2ee.device_added']);
    expect(entries[0]!.payload).toEqual({
      identityKeyFingerprint: fingerprint(keys.identity.raw),
      backupKeyFingerprint: fingerprint(keys.backup.raw),
      deviceId: keys.device.deviceId,
    });
    // No key material and no backup in the audit trail: fingerprints and ids only.
    const text = JSON.stringify(entries);
    for (const secret of [keys.identity.raw, keys.backup.raw, body.backup.ciphertext, keys.device.signing.raw])
      expect(text).not.toContain(secret);

    // Once set up: 409 unless reset.
    const again = await request(t.server)
      .post('/api/e2ee/identity')
      .set(bearer(me.token))
      .send(identityBody(me.id, { identity: ed25519(), backup: x25519(), device: newDevice() }));
    expect([again.status, again.body.code]).toEqual([409, 'E2EE_IDENTITY_EXISTS']);
  });

  it('refuses a backup key or a device not signed by the identity key (node:crypto verification)', async () => {
    const me = await signedIn(t);
    const keys = { identity: ed25519(), backup: x25519(), device: newDevice() };
    const post = (body: object) => request(t.server).post('/api/e2ee/identity').set(bearer(me.token)).send(body);

    // Signed by another key.
    const other = ed25519();
    const forgedBackup = {
      ...identityBody(me.id, keys),
      backupKeySignature: signText(other, `lm-e2ee/v1/backup-key/${me.id}/${keys.backup.raw}`),
    };
    expect((await post(forgedBackup).expect(400)).body.code).toBe('E2EE_SIGNATURE_INVALID');
    // Signed for another user.
    const elsewhere = {
      ...identityBody(me.id, keys),
      backupKeySignature: signText(keys.identity, `lm-e2ee/v1/backup-key/${randomUUID()}/${keys.backup.raw}`),
    };
    expect((await post(elsewhere).expect(400)).body.code).toBe('E2EE_SIGNATURE_INVALID');
    // A device certificate over other keys.
    const swapped = identityBody(me.id, keys);
    swapped.device = { ...swapped.device, ed25519PublicKey: ed25519().raw };
    expect((await post(swapped).expect(400)).body.code).toBe('E2EE_SIGNATURE_INVALID');
    // A flipped signature bit.
    const flipped = identityBody(me.id, keys);
    const sig = Buffer.from(flipped.device.certificate, 'base64url');
    sig[10]! ^= 1;
    flipped.device.certificate = b64(sig);
    expect((await post(flipped).expect(400)).body.code).toBe('E2EE_SIGNATURE_INVALID');

    // Nothing was stored.
    expect((await request(t.server).get('/api/e2ee/keys/me').set(bearer(me.token)).expect(200)).body.identity).toBeNull();
  });

  it('refuses malformed keys with VALIDATION_FAILED naming the field (bad base64, padding, wrong sizes, KDF bounds, upper-case ids)', async () => {
    const me = await signedIn(t);
    const keys = { identity: ed25519(), backup: x25519(), device: newDevice() };
    const base = identityBody(me.id, keys);
    const cases: [string, object][] = [
      ['identityKey', { ...base, identityKey: keys.identity.raw.slice(0, -1) + '+' }],
      ['identityKey', { ...base, identityKey: `${keys.identity.raw}=` }],
      ['backupKey', { ...base, backupKey: b64(randomBytes(31)) }],
      ['backupKeySignature', { ...base, backupKeySignature: b64(randomBytes(65)) }],
      ['backup.kdf.memoryKiB', { ...base, backup: { ...base.backup, kdf: { ...base.backup.kdf, memoryKiB: 1024 } } }],
      ['backup.kdf.salt', { ...base, backup: { ...base.backup, kdf: { ...base.backup.kdf, salt: b64(randomBytes(8)) } } }],
      ['backup.nonce', { ...base, backup: { ...base.backup, nonce: b64(randomBytes(16)) } }],
      ['backup.ciphertext', { ...base, backup: { ...base.backup, ciphertext: b64(randomBytes(8)) } }],
      ['backup.ciphertext', { ...base, backup: { ...base.backup, ciphertext: b64(randomBytes(4097)) } }],
      ['device.deviceId', { ...base, device: { ...base.device, deviceId: base.device.deviceId.toUpperCase() } }],
      ['device.label', { ...base, device: { ...base.device, label: ' ' } }],
      ['device.label', { ...base, device: { ...base.device, label: 'x'.repeat(81) } }],
    ];
    for (const [field, body] of cases) {
      const res = await request(t.server).post('/api/e2ee/identity').set(bearer(me.token)).send(body);
      expect({
        field,
        status: res.status,
        code: res.body.code,
        fields: (res.body.fields as { field: string }[]).map((f) => f.field),
      }).toEqual({
        field,
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: [field],
      });
    }
  });

  it('adds devices certified by the current identity, refuses used ids, revokes only the caller’s active devices', async () => {
    const me = await setUpKeys(t, await signedIn(t));
    const stranger = await setUpKeys(t, await signedIn(t));
    const second = newDevice();
    const added = await request(t.server)
      .post('/api/e2ee/devices')
      .set(bearer(me.token))
      .send(registration(me.id, me.identity, second, 'Phone'))
      .expect(201);
    expect(added.body).toMatchObject({
      deviceId: second.deviceId,
      label: 'Phone',
      identityKey: me.identity.raw,
      revokedAt: null,
    });

    // Certified by another identity, or a device id already used (by anyone).
    const forged = await request(t.server)
      .post('/api/e2ee/devices')
      .set(bearer(me.token))
      .send(registration(me.id, ed25519(), newDevice()));
    expect([forged.status, forged.body.code]).toEqual([400, 'E2EE_SIGNATURE_INVALID']);
    const reused = await request(t.server)
      .post('/api/e2ee/devices')
      .set(bearer(me.token))
      .send(registration(me.id, me.identity, stranger.device));
    expect([reused.status, reused.body.code]).toEqual([409, 'E2EE_DEVICE_EXISTS']);
    // Without an identity there is nothing to certify with.
    const fresh = await signedIn(t);
    const none = await request(t.server)
      .post('/api/e2ee/devices')
      .set(bearer(fresh.token))
      .send(registration(fresh.id, ed25519(), newDevice()));
    expect([none.status, none.body.code]).toEqual([404, 'E2EE_IDENTITY_NOT_FOUND']);

    // Someone else's device, an unknown one: the same 404.
    for (const id of [stranger.device.deviceId, randomUUID()]) {
      const res = await request(t.server).delete(`/api/e2ee/devices/${id}`).set(bearer(me.token));
      expect([res.status, res.body.code]).toEqual([404, 'E2EE_DEVICE_NOT_FOUND']);
    }
    await request(t.server).delete(`/api/e2ee/devices/${second.deviceId}`).set(bearer(me.token)).expect(204);
    expect(
      (await request(t.server).delete(`/api/e2ee/devices/${second.deviceId}`).set(bearer(me.token)).expect(404)).body.code,
    ).toBe('E2EE_DEVICE_NOT_FOUND');

    const mine = await request(t.server).get('/api/e2ee/keys/me').set(bearer(me.token)).expect(200);
    expect(
      mine.body.devices.map((d: { deviceId: string; revokedAt: string | null }) => [d.deviceId, d.revokedAt !== null]),
    ).toEqual([
      [me.device.deviceId, false],
      [second.deviceId, true],
    ]);
    expect((await audit(me.id)).map((e) => e.action)).toEqual([
      'e2ee.identity_created',
      'e2ee.device_added',
      'e2ee.device_added',
      'e2ee.device_revoked',
    ]);
    // Revoked: the database refuses un-revoking or changing it.
    await expect(
      t.app.get(DataSource).query(`UPDATE e2ee_devices SET revoked_at = NULL WHERE id = $1`, [second.deviceId]),
    ).rejects.toThrow(/only ever revoked/);
  });

  it('reset: new identity, every old device revoked, audited as e2ee.identity_reset', async () => {
    const me = await setUpKeys(t, await signedIn(t));
    const fresh = { identity: ed25519(), backup: x25519(), device: newDevice() };
    const res = await request(t.server)
      .post('/api/e2ee/identity')
      .set(bearer(me.token))
      .send({ ...identityBody(me.id, fresh), reset: true })
      .expect(201);
    expect(res.body.identity.identityKey).toBe(fresh.identity.raw);
    const keys = await request(t.server).get('/api/e2ee/keys/me').set(bearer(me.token)).expect(200);
    expect(keys.body.identity.identityKey).toBe(fresh.identity.raw);
    const state = Object.fromEntries(
      keys.body.devices.map((d: { deviceId: string; revokedAt: string | null }) => [d.deviceId, d.revokedAt !== null]),
    );
    expect(state).toEqual({ [me.device.deviceId]: true, [fresh.device.deviceId]: false });
    const reset = (await audit(me.id)).find((e) => e.action === 'e2ee.identity_reset')!;
    expect(reset.payload).toMatchObject({
      previousIdentityKeyFingerprint: fingerprint(me.identity.raw),
      identityKeyFingerprint: fingerprint(fresh.identity.raw),
      revokedDeviceIds: [me.device.deviceId],
    });
  });

  it('a reset needs a sign-in from the last 15 minutes: a session kept alive by refreshes is refused and nothing changes', async () => {
    const user = await createUser(t, { role: 'CLIENT' });
    const session = await login(t, user);
    const me = await setUpKeys(t, { id: user.id, token: session.accessToken });
    // The sign-in began 20 minutes ago; a refreshed access token does not make it recent.
    await t.app
      .get(DataSource)
      .query(`UPDATE refresh_tokens SET created_at = now() - interval '20 minutes' WHERE user_id = $1`, [user.id]);
    const refreshed = await request(t.server).post('/api/auth/refresh').set('cookie', session.refreshCookie).expect(200);
    const fresh = { identity: ed25519(), backup: x25519(), device: newDevice() };
    const res = await request(t.server)
      .post('/api/e2ee/identity')
      .set(bearer(refreshed.body.accessToken as string))
      .send({ ...identityBody(me.id, fresh), reset: true });
    expect([res.status, res.body.code]).toEqual([403, 'RECENT_SIGN_IN_REQUIRED']);
    const keys = await request(t.server).get('/api/e2ee/keys/me').set(bearer(me.token)).expect(200);
    expect(keys.body.identity.identityKey).toBe(me.identity.raw);
    expect(keys.body.devices.map((d: { revokedAt: string | null }) => d.revokedAt)).toEqual([null]);
  });

  it('another user’s keys: only the caller’s own or a counterpart’s; anyone else is 404 E2EE_USER_NOT_FOUND', async () => {
    const pair = await paidPair(t);
    await setUpKeys(t, pair.lawyerCaller);
    const stranger = await signedIn(t);
    const ofLawyer = await request(t.server)
      .get(`/api/e2ee/users/${pair.lawyer.id}/keys`)
      .set(bearer(pair.client.token))
      .expect(200);
    expect(ofLawyer.body.devices).toHaveLength(1);
    expect(
      (await request(t.server).get(`/api/e2ee/users/${pair.client.id}/keys`).set(bearer(pair.client.token)).expect(200)).body
        .identity,
    ).toBeNull();
    for (const id of [pair.lawyer.id, pair.client.id, randomUUID()]) {
      const res = await request(t.server).get(`/api/e2ee/users/${id}/keys`).set(bearer(stranger.token));
      expect([res.status, res.body.code]).toEqual([404, 'E2EE_USER_NOT_FOUND']);
    }
  });
});

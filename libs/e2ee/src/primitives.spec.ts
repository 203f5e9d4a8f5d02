import { decryptAttachment, encryptAttachment } from './attachments';
import { ATTACHMENT_MAX_BYTES, NOTE_MAX_BUCKET, PADDING_BUCKETS } from './constants';
import { equalBytes, fromB64, randomBytes, toB64, utf8 } from './encoding';
import { buildEpoch, checkEpochShape, deviceRecipient, openEpochKey, sealEpochKey, verifyEpochSignature } from './epoch';
import { E2eeError, type E2eeErrorCode } from './errors';
import { exportPublicKey, generateAgreementKeyPair, generateDeviceKeys, importAesKey, importPublicKey } from './index';
import { padPlaintext, unpadPlaintext } from './padding';
import { decryptRecord, encryptRecord, recordAad } from './records';
import { generateRecoveryCode, normalizeRecoveryCode, unwrapBackup, wrapBackup } from './recovery';
import { safetyNumber } from './safety-number';

const FAST = { memoryKiB: 19456, iterations: 1 };

async function rejectsWith(p: Promise<unknown>, code: E2eeErrorCode): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(E2eeError);
  await expect(p).rejects.toMatchObject({ code });
}
function throwsWith(f: () => unknown, code: E2eeErrorCode): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(E2eeError);
  expect(caught).toMatchObject({ code });
}

describe('base64url', () => {
  it('round-trips without padding and refuses non-canonical or foreign input', () => {
    for (const n of [0, 1, 2, 3, 31, 32, 33]) {
      const b = randomBytes(n);
      const s = toB64(b);
      expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromB64(s)).toEqual(b);
    }
    throwsWith(() => fromB64('a+b/'), 'MALFORMED');
    throwsWith(() => fromB64('AAA='), 'MALFORMED');
    throwsWith(() => fromB64('AB'), 'MALFORMED'); // non-zero trailing bits: not canonical
    throwsWith(() => fromB64(toB64(randomBytes(31)), 32), 'MALFORMED');
  });
});

describe('padding', () => {
  it('pads to the smallest bucket that fits the 4-byte length and the text, and back', () => {
    const sizes: [number, number][] = [
      [0, 256],
      [252, 256],
      [253, 1024],
      [1020, 1024],
      [1021, 4096],
      [16380, 16384],
      [16381, 65536],
      [65532, 65536],
    ];
    for (const [n, bucket] of sizes) {
      const text = randomBytes(n);
      const padded = padPlaintext(text);
      expect(padded.length).toBe(bucket);
      expect(equalBytes(unpadPlaintext(padded), text)).toBe(true);
    }
    expect([...PADDING_BUCKETS]).toEqual([256, 1024, 4096, 16384, 65536]);
  });

  it('MESSAGE_TOO_LARGE past the largest bucket (16384 for notes)', () => {
    throwsWith(() => padPlaintext(new Uint8Array(65533)), 'MESSAGE_TOO_LARGE');
    throwsWith(() => padPlaintext(new Uint8Array(16381), NOTE_MAX_BUCKET), 'MESSAGE_TOO_LARGE');
  });

  it('refuses padding that is not a bucket, a length past the end, or non-zero padding', () => {
    throwsWith(() => unpadPlaintext(new Uint8Array(300)), 'MALFORMED');
    const long = padPlaintext(utf8('hi'));
    new DataView(long.buffer).setUint32(0, 253);
    throwsWith(() => unpadPlaintext(long), 'MALFORMED');
    const dirty = padPlaintext(utf8('hi'));
    dirty[200] = 1;
    throwsWith(() => unpadPlaintext(dirty), 'MALFORMED');
  });
});

describe('records', () => {
  const aad = recordAad({ kind: 'message', conversationId: 'c1', epoch: 3, senderDeviceId: 'd1', recordId: 'm1' });

  it('writes the AAD of the contract', () => {
    expect(aad).toBe('lm-e2ee/v1/message/c1/3/d1/m1');
  });

  it('encrypts to a bucket + 16-byte ciphertext, verifies the signature, then decrypts', async () => {
    const device = await generateDeviceKeys();
    const key = await importAesKey(randomBytes(32));
    const rec = await encryptRecord({ key, signingKey: device.signingKey.privateKey, aad, plaintext: utf8('hello') });
    expect(rec.ciphertext.length).toBe(256 + 16);
    expect(rec.nonce.length).toBe(12);
    expect(rec.signature.length).toBe(64);
    const verifyKey = device.signingKey.publicKey;
    expect(new TextDecoder().decode(await decryptRecord({ ...rec, key, verifyKey, aad }))).toBe('hello');

    const flipped = rec.ciphertext.slice();
    flipped[5]! ^= 1;
    await rejectsWith(decryptRecord({ ...rec, ciphertext: flipped, key, verifyKey, aad }), 'SIGNATURE_INVALID');
    await rejectsWith(decryptRecord({ ...rec, key, verifyKey, aad: aad.replace('/m1', '/m2') }), 'SIGNATURE_INVALID');
    await rejectsWith(decryptRecord({ ...rec, key: await importAesKey(randomBytes(32)), verifyKey, aad }), 'DECRYPT_FAILED');
    await rejectsWith(decryptRecord({ ...rec, ciphertext: rec.ciphertext.slice(1), key, verifyKey, aad }), 'MALFORMED');
  });
});

describe('HPKE epoch keys', () => {
  it('seals a content key to a device (enc 32 B, ciphertext 48 B) that opens it with a non-extractable key pair only', async () => {
    const device = await generateDeviceKeys();
    const other = await generateAgreementKeyPair(false);
    const contentKey = randomBytes(32);
    const recipient = deviceRecipient('d1');
    const sealed = await sealEpochKey({
      contentKey,
      recipientPublicKey: fromB64(device.x25519PublicKey),
      conversationId: 'c1',
      epoch: 1,
      recipient,
    });
    expect(fromB64(sealed.enc).length).toBe(32);
    expect(fromB64(sealed.ciphertext).length).toBe(48);
    expect(device.agreementKey.privateKey.extractable).toBe(false);

    const opened = await openEpochKey({ sealed, recipientKey: device.agreementKey, conversationId: 'c1', epoch: 1 });
    expect(opened.extractable).toBe(false);
    // The opened key decrypts what the raw key encrypted.
    const check = await encryptRecord({
      key: await importAesKey(contentKey),
      signingKey: device.signingKey.privateKey,
      aad: 'x',
      plaintext: utf8('k'),
    });
    await expect(decryptRecord({ ...check, key: opened, verifyKey: device.signingKey.publicKey, aad: 'x' })).resolves.toEqual(
      utf8('k'),
    );

    await rejectsWith(openEpochKey({ sealed, recipientKey: other, conversationId: 'c1', epoch: 1 }), 'DECRYPT_FAILED');
    await rejectsWith(
      openEpochKey({ sealed, recipientKey: device.agreementKey, conversationId: 'c1', epoch: 2 }),
      'DECRYPT_FAILED',
    );
    await rejectsWith(
      openEpochKey({ sealed, recipientKey: device.agreementKey, conversationId: 'c2', epoch: 1 }),
      'DECRYPT_FAILED',
    );
    await rejectsWith(
      openEpochKey({
        sealed: { ...sealed, recipient: 'device:d2' },
        recipientKey: device.agreementKey,
        conversationId: 'c1',
        epoch: 1,
      }),
      'DECRYPT_FAILED',
    );
  });

  it('builds a signed epoch with sorted recipients that verifies, and detects a changed sealed key', async () => {
    const creator = await generateDeviceKeys();
    const others = await Promise.all([generateDeviceKeys(), generateDeviceKeys()]);
    const { request, contentKey } = await buildEpoch({
      conversationId: 'c1',
      epoch: 1,
      creatorDeviceId: 'dz',
      signingKey: creator.signingKey.privateKey,
      recipients: [
        { recipient: 'device:dz', x25519PublicKey: creator.x25519PublicKey },
        { recipient: 'device:da', x25519PublicKey: others[0].x25519PublicKey },
        { recipient: 'backup:u1', x25519PublicKey: others[1].x25519PublicKey },
      ],
    });
    expect(contentKey.extractable).toBe(false);
    expect(request.recipients).toEqual(['backup:u1', 'device:da', 'device:dz']);
    expect(request.sealed.map((s) => s.recipient)).toEqual(request.recipients);
    const epoch = { ...request, createdAt: '2026-01-01T00:00:00.000Z' };
    checkEpochShape(epoch);
    expect(await verifyEpochSignature('c1', epoch, creator.ed25519PublicKey)).toBe(true);
    expect(await verifyEpochSignature('c2', epoch, creator.ed25519PublicKey)).toBe(false);
    const swapped = { ...epoch, sealed: epoch.sealed.map((s, i) => (i === 1 ? { ...s, enc: epoch.sealed[0]!.enc } : s)) };
    expect(await verifyEpochSignature('c1', swapped, creator.ed25519PublicKey)).toBe(false);
    const opened = await openEpochKey({
      sealed: epoch.sealed[1]!,
      recipientKey: others[0].agreementKey,
      conversationId: 'c1',
      epoch: 1,
    });
    expect(opened.algorithm.name).toBe('AES-GCM');
    throwsWith(() => checkEpochShape({ ...epoch, recipients: [...epoch.recipients].reverse() }), 'MALFORMED');
  });
});

describe('attachments', () => {
  it('round-trips; a changed byte, another conversation or a wrong SHA-256 is ATTACHMENT_CORRUPT', async () => {
    const bytes = randomBytes(100_000);
    const { ciphertext, ref } = await encryptAttachment({
      conversationId: 'c1',
      attachmentId: 'a1',
      name: 'brief.pdf',
      type: 'application/pdf',
      bytes,
    });
    expect(ciphertext.length).toBe(bytes.length + 16);
    expect(ref).toMatchObject({ id: 'a1', name: 'brief.pdf', type: 'application/pdf', size: 100_000 });
    expect(fromB64(ref.key).length).toBe(32);
    expect(ref.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(equalBytes(await decryptAttachment({ conversationId: 'c1', ref, ciphertext }), bytes)).toBe(true);

    const flipped = ciphertext.slice();
    flipped[0]! ^= 1;
    await rejectsWith(decryptAttachment({ conversationId: 'c1', ref, ciphertext: flipped }), 'ATTACHMENT_CORRUPT');
    await rejectsWith(decryptAttachment({ conversationId: 'c2', ref, ciphertext }), 'ATTACHMENT_CORRUPT');
    await rejectsWith(
      decryptAttachment({ conversationId: 'c1', ref: { ...ref, sha256: '0'.repeat(64) }, ciphertext }),
      'ATTACHMENT_CORRUPT',
    );
    await rejectsWith(decryptAttachment({ conversationId: 'c1', ref: { ...ref, size: 99 }, ciphertext }), 'ATTACHMENT_CORRUPT');
  });

  it('ATTACHMENT_TOO_LARGE past 25 MiB', async () => {
    await rejectsWith(
      encryptAttachment({
        conversationId: 'c1',
        attachmentId: 'a1',
        name: 'x',
        type: 'x',
        bytes: new Uint8Array(ATTACHMENT_MAX_BYTES + 1),
      }),
      'ATTACHMENT_TOO_LARGE',
    );
  });
});

describe('recovery code and key backup', () => {
  it('generates 24 Crockford characters in 6 groups of 4, each fresh', () => {
    const code = generateRecoveryCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
    expect(generateRecoveryCode()).not.toBe(code);
  });

  it('normalises case, spaces, dashes and look-alikes; refuses wrong length or characters', () => {
    expect(normalizeRecoveryCode(' abcd-efgh jkmn-pqrs-tvwx-yz01 ')).toBe('ABCDEFGHJKMNPQRSTVWXYZ01');
    expect(normalizeRecoveryCode('oOiI-lL00-0000-0000-0000-0000')).toBe('001111000000000000000000');
    throwsWith(() => normalizeRecoveryCode('ABCD-EFGH'), 'RECOVERY_CODE_MALFORMED');
    throwsWith(() => normalizeRecoveryCode('UBCD-EFGH-JKMN-PQRS-TVWX-YZ01'), 'RECOVERY_CODE_MALFORMED');
    throwsWith(() => normalizeRecoveryCode('ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2'), 'RECOVERY_CODE_MALFORMED');
  });

  const secrets = () => ({ identityPkcs8: randomBytes(48), backupPkcs8: randomBytes(48) });

  it('wraps with Argon2id at the defaults (64 MiB, 3 passes) and unwraps with the code typed differently', async () => {
    const code = generateRecoveryCode();
    const s = secrets();
    const backup = await wrapBackup({ userId: 'u1', recoveryCode: code, secrets: s });
    expect(backup.kdf).toMatchObject({ alg: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 });
    expect(fromB64(backup.kdf.salt).length).toBe(16);
    expect(fromB64(backup.nonce).length).toBe(12);
    const opened = await unwrapBackup({ userId: 'u1', recoveryCode: code.toLowerCase().replace(/-/g, ' '), backup });
    expect(opened.identityPkcs8).toEqual(s.identityPkcs8);
    expect(opened.backupPkcs8).toEqual(s.backupPkcs8);
  });

  it('WRONG_RECOVERY_CODE for another code or another user, RECOVERY_CODE_MALFORMED before any work', async () => {
    const code = generateRecoveryCode();
    const backup = await wrapBackup({ userId: 'u1', recoveryCode: code, secrets: secrets(), params: FAST });
    expect(backup.kdf.memoryKiB).toBe(19456);
    await rejectsWith(unwrapBackup({ userId: 'u1', recoveryCode: generateRecoveryCode(), backup }), 'WRONG_RECOVERY_CODE');
    await rejectsWith(unwrapBackup({ userId: 'u2', recoveryCode: code, backup }), 'WRONG_RECOVERY_CODE');
    await rejectsWith(unwrapBackup({ userId: 'u1', recoveryCode: 'not a code', backup }), 'RECOVERY_CODE_MALFORMED');
    await rejectsWith(
      unwrapBackup({ userId: 'u1', recoveryCode: code, backup: { ...backup, kdf: { ...backup.kdf, memoryKiB: 8 } } }),
      'MALFORMED',
    );
  });
});

describe('safety numbers', () => {
  const id = async () => toB64(await exportPublicKey((await generateDeviceKeys()).signingKey.publicKey));

  it('are 60 digits in 12 groups of 5, the same from both sides, and change when an identity key changes', async () => {
    const [ka, kb, kb2] = await Promise.all([id(), id(), id()]);
    const a = { userId: '0a1b', identityKey: ka };
    const b = { userId: 'ffee', identityKey: kb };
    const ab = await safetyNumber(a, b);
    const ba = await safetyNumber(b, a);
    expect(ab).toEqual(ba);
    expect(ab.digits).toMatch(/^\d{60}$/);
    expect(ab.groups).toHaveLength(12);
    expect(ab.groups.join('')).toBe(ab.digits);
    const changed = await safetyNumber(a, { ...b, identityKey: kb2 });
    expect(changed.digits).not.toBe(ab.digits);
    // The first half belongs to the smaller user id and does not change with the other's key.
    expect(changed.digits.slice(0, 30)).toBe(ab.digits.slice(0, 30));
  });

  it('follow the contract: SHA-256 of the label and key, 40-bit chunks mod 100000', async () => {
    // Computed independently with node:crypto from the contract's description.
    const { createHash } = await import('node:crypto');
    const key = new Uint8Array(32).fill(7);
    const party = (userId: string) => {
      const h = createHash('sha256').update(`lm-e2ee/v1/safety/${userId}/`).update(key).digest();
      let s = '';
      for (let i = 0; i < 6; i++) s += String(h.readUIntBE(i * 5, 5) % 100000).padStart(5, '0');
      return s;
    };
    const n = await safetyNumber({ userId: 'b', identityKey: toB64(key) }, { userId: 'a', identityKey: toB64(key) });
    expect(n.digits).toBe(party('a') + party('b'));
  });
});

describe('key import', () => {
  it('refuses a public key of the wrong size', async () => {
    await rejectsWith(importPublicKey('Ed25519', randomBytes(31)), 'MALFORMED');
  });
});

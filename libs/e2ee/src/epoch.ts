import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { importAesKey } from './aes-gcm';
import { HPKE_CIPHERTEXT_BYTES, HPKE_ENC_BYTES, KEY_BYTES, PUBLIC_KEY_BYTES } from './constants';
import { bytesView, fromB64, randomBytes, toB64, utf8 } from './encoding';
import { E2eeError } from './errors';
import { signString, verifyString } from './keys';
import type { CreateEpochRequest, Epoch, SealedKey } from './wire';

/**
 * Epoch content keys, sealed to each recipient with HPKE (RFC 9180) through @hpke/core:
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, base mode. info names the conversation
 * and epoch, aad the recipient, so a sealed key cannot be moved to another epoch or recipient.
 */
let suite: CipherSuite | undefined;
/** The one cipher suite of the contract (created on first use). */
export function hpkeSuite(): CipherSuite {
  suite ??= new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });
  return suite;
}

export const epochKeyInfo = (conversationId: string, epoch: number): string => `lm-e2ee/v1/epoch-key/${conversationId}/${epoch}`;

export const deviceRecipient = (deviceId: string): string => `device:${deviceId}`;
export const backupRecipient = (userId: string): string => `backup:${userId}`;

/** Seals a 32-byte content key to one recipient's X25519 public key (raw 32 bytes). */
export async function sealEpochKey(o: {
  contentKey: Uint8Array;
  recipientPublicKey: Uint8Array;
  conversationId: string;
  epoch: number;
  recipient: string;
}): Promise<SealedKey> {
  if (o.contentKey.length !== KEY_BYTES) throw new E2eeError('MALFORMED', 'A content key has 32 bytes');
  if (o.recipientPublicKey.length !== PUBLIC_KEY_BYTES) throw new E2eeError('MALFORMED', 'An X25519 public key has 32 bytes');
  const s = hpkeSuite();
  let recipientPublicKey: CryptoKey;
  try {
    recipientPublicKey = await s.kem.deserializePublicKey(bytesView(o.recipientPublicKey));
  } catch {
    throw new E2eeError('MALFORMED', 'An X25519 public key cannot be read');
  }
  const { enc, ct } = await s.seal(
    { recipientPublicKey, info: utf8(epochKeyInfo(o.conversationId, o.epoch)) },
    bytesView(o.contentKey),
    utf8(o.recipient),
  );
  return { recipient: o.recipient, enc: toB64(new Uint8Array(enc)), ciphertext: toB64(new Uint8Array(ct)) };
}

/**
 * Opens a sealed content key with the recipient's X25519 key pair (a pair, so a non-extractable
 * private key works: HPKE needs the public half, which WebCrypto cannot derive from it) and
 * returns it as a non-extractable AES-256-GCM key. DECRYPT_FAILED when it is not sealed to this key.
 */
export async function openEpochKey(o: {
  sealed: SealedKey;
  recipientKey: CryptoKeyPair;
  conversationId: string;
  epoch: number;
}): Promise<CryptoKey> {
  const enc = fromB64(o.sealed.enc, HPKE_ENC_BYTES);
  const ct = fromB64(o.sealed.ciphertext, HPKE_CIPHERTEXT_BYTES);
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(
      await hpkeSuite().open(
        { recipientKey: o.recipientKey, enc, info: utf8(epochKeyInfo(o.conversationId, o.epoch)) },
        ct,
        utf8(o.sealed.recipient),
      ),
    );
  } catch {
    throw new E2eeError('DECRYPT_FAILED', 'The epoch key is not sealed to this key');
  }
  try {
    return await importAesKey(raw);
  } finally {
    raw.fill(0);
  }
}

/** The string the creator device signs (contract section 1, "Signed strings"). */
export function epochSigningString(
  conversationId: string,
  e: { epoch: number; creatorDeviceId: string; recipients: string[]; sealed: SealedKey[] },
): string {
  return (
    `lm-e2ee/v1/epoch/${conversationId}/${e.epoch}/${e.creatorDeviceId}/` +
    e.recipients.join(',') +
    '/' +
    e.sealed.map((s) => `${s.recipient}=${s.enc}.${s.ciphertext}`).join(',')
  );
}

/** Sorted ascending as strings (UTF-16 code units, like the server's comparison of ASCII ids). */
export const sortRecipients = (recipients: Iterable<string>): string[] =>
  [...new Set(recipients)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * A new epoch: a fresh random content key sealed to every recipient (X25519 public keys, raw
 * b64), signed by the creator device. Returns the request body and the content key as a
 * non-extractable CryptoKey for the creator's own cache; the raw key is wiped.
 */
export async function buildEpoch(o: {
  conversationId: string;
  epoch: number;
  creatorDeviceId: string;
  signingKey: CryptoKey;
  recipients: { recipient: string; x25519PublicKey: string }[];
}): Promise<{ request: CreateEpochRequest; contentKey: CryptoKey }> {
  const byName = new Map(o.recipients.map((r) => [r.recipient, r.x25519PublicKey]));
  const recipients = sortRecipients(byName.keys());
  const raw = randomBytes(KEY_BYTES);
  try {
    const sealed = await Promise.all(
      recipients.map((recipient) =>
        sealEpochKey({
          contentKey: raw,
          recipientPublicKey: fromB64(byName.get(recipient)!, PUBLIC_KEY_BYTES),
          conversationId: o.conversationId,
          epoch: o.epoch,
          recipient,
        }),
      ),
    );
    const body = { epoch: o.epoch, creatorDeviceId: o.creatorDeviceId, recipients, sealed };
    const signature = await signString(o.signingKey, epochSigningString(o.conversationId, body));
    return { request: { ...body, signature }, contentKey: await importAesKey(raw) };
  } finally {
    raw.fill(0);
  }
}

/** MALFORMED unless recipients are sorted and unique and `sealed` has one entry per recipient, in order. */
export function checkEpochShape(e: Epoch): void {
  const ok =
    Number.isInteger(e.epoch) &&
    e.epoch >= 1 &&
    Array.isArray(e.recipients) &&
    Array.isArray(e.sealed) &&
    e.recipients.length === e.sealed.length &&
    e.recipients.every((r, i) => typeof r === 'string' && (i === 0 || e.recipients[i - 1]! < r) && e.sealed[i]?.recipient === r);
  if (!ok) throw new E2eeError('MALFORMED', `Epoch ${String(e.epoch)} is malformed`);
}

/** True when the epoch's signature verifies with the creator device's Ed25519 public key (b64). */
export function verifyEpochSignature(conversationId: string, e: Epoch, creatorEd25519PublicKey: string): Promise<boolean> {
  return verifyString(creatorEd25519PublicKey, e.signature, epochSigningString(conversationId, e));
}

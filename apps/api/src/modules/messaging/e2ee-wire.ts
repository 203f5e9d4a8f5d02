import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';

/**
 * The wire formats of the E2EE contract (plan/contract.md §1) that the server checks: base64url
 * without padding, the exact strings the identity key and the device keys sign, and Ed25519
 * verification with node:crypto. The server never encrypts or decrypts anything; it only checks
 * that public keys are certified by the identity they claim and that an epoch was signed by the
 * device that created it, so a tampered upload is refused before any client sees it.
 */

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Bytes of a canonical base64url string without padding, or null when it is not one. */
export function fromB64(text: unknown): Buffer | null {
  if (typeof text !== 'string' || !B64URL.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  // Canonical only: one string per byte sequence (no stray bits in the last character), so the
  // strings that are signed are the strings that are stored and returned.
  return bytes.toString('base64url') === text ? bytes : null;
}

export function toB64(bytes: Buffer | Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** Signed by the identity key: the user's backup key belongs to them. */
export function backupKeyStatement(userId: string, backupKey: string): string {
  return `lm-e2ee/v1/backup-key/${userId}/${backupKey}`;
}

/** Signed by the identity key: the device and its two public keys belong to the user. */
export function deviceStatement(userId: string, deviceId: string, x25519PublicKey: string, ed25519PublicKey: string): string {
  return `lm-e2ee/v1/device/${userId}/${deviceId}/${x25519PublicKey}/${ed25519PublicKey}`;
}

export interface SealedKeyWire {
  recipient: string;
  enc: string;
  ciphertext: string;
}

/** Signed by the creating device's Ed25519 key: who may open epoch `epoch`'s key, and the sealed copies. */
export function epochStatement(
  conversationId: string,
  epoch: number,
  creatorDeviceId: string,
  recipients: readonly string[],
  sealed: readonly SealedKeyWire[],
): string {
  return (
    `lm-e2ee/v1/epoch/${conversationId}/${epoch}/${creatorDeviceId}/` +
    recipients.join(',') +
    '/' +
    sealed.map((s) => `${s.recipient}=${s.enc}.${s.ciphertext}`).join(',')
  );
}

/**
 * Whether `signature` (64 bytes) is `publicKey`'s (32 raw bytes) Ed25519 signature of the UTF-8
 * bytes of `message`. Any malformed input is simply "does not verify".
 */
export function verifyEd25519(publicKey: Buffer, message: string | Buffer, signature: Buffer): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: toB64(publicKey) }, format: 'jwk' });
    return verifySignature(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, key, signature);
  } catch {
    return false;
  }
}

/** SHA-256 of a public key, hex: what audit entries and logs name a key by. */
export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex');
}

import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './constants';
import { type Bytes, bytesView, concat, fromB64, toB64, utf8 } from './encoding';
import { E2eeError } from './errors';

/**
 * Key pairs and signatures, all through WebCrypto (`globalThis.crypto.subtle`, the same in the
 * browser and in Node 20): Ed25519 for signatures, X25519 for key agreement (used by HPKE).
 */
const subtle = () => globalThis.crypto.subtle;

const ED25519 = { name: 'Ed25519' } as const;
const X25519 = { name: 'X25519' } as const;

/**
 * DER prefixes of a PKCS#8 PrivateKeyInfo holding a raw 32-byte Ed25519 seed / X25519 scalar
 * (RFC 8410): how a raw private key enters WebCrypto. Used by the known-answer tests.
 */
const PKCS8_PREFIX = {
  Ed25519: [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20],
  X25519: [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20],
} as const;

export function pkcs8FromRaw(alg: 'Ed25519' | 'X25519', raw: Uint8Array): Bytes {
  if (raw.length !== 32) throw new E2eeError('MALFORMED', 'A raw private key has 32 bytes');
  return concat(new Uint8Array(PKCS8_PREFIX[alg]), raw);
}

/** A fresh Ed25519 key pair. The private key is extractable only when asked (identity key during set-up). */
export async function generateSigningKeyPair(extractable: boolean): Promise<CryptoKeyPair> {
  return (await subtle().generateKey(ED25519, extractable, ['sign', 'verify'])) as CryptoKeyPair;
}

/** A fresh X25519 key pair (public key always exportable; private key per `extractable`). */
export async function generateAgreementKeyPair(extractable: boolean): Promise<CryptoKeyPair> {
  return (await subtle().generateKey(X25519, extractable, ['deriveBits'])) as CryptoKeyPair;
}

export async function exportPublicKey(key: CryptoKey): Promise<Bytes> {
  return new Uint8Array(await subtle().exportKey('raw', key));
}

export async function exportPkcs8(key: CryptoKey): Promise<Bytes> {
  return new Uint8Array(await subtle().exportKey('pkcs8', key));
}

/**
 * Imports a PKCS#8 private key and derives its public key, so the caller can check it against
 * the published one. The private key is imported extractable only because WebCrypto derives the
 * public half through a JWK export; callers drop it after use.
 */
export async function importPrivateKeyPair(
  alg: 'Ed25519' | 'X25519',
  pkcs8: Uint8Array,
): Promise<{ pair: CryptoKeyPair; publicKey: Bytes }> {
  let privateKey: CryptoKey;
  try {
    privateKey = await subtle().importKey(
      'pkcs8',
      bytesView(pkcs8),
      { name: alg },
      true,
      alg === 'Ed25519' ? ['sign'] : ['deriveBits'],
    );
  } catch {
    throw new E2eeError('MALFORMED', `The ${alg} private key cannot be read`);
  }
  const jwk = await subtle().exportKey('jwk', privateKey);
  if (typeof jwk.x !== 'string') throw new E2eeError('MALFORMED', `The ${alg} private key has no public half`);
  const raw = fromB64(jwk.x, PUBLIC_KEY_BYTES);
  const publicKey = await importPublicKey(alg, raw);
  return { pair: { privateKey, publicKey }, publicKey: raw };
}

export async function importPublicKey(alg: 'Ed25519' | 'X25519', raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== PUBLIC_KEY_BYTES) throw new E2eeError('MALFORMED', `An ${alg} public key has 32 bytes`);
  try {
    return await subtle().importKey('raw', bytesView(raw), { name: alg }, true, alg === 'Ed25519' ? ['verify'] : []);
  } catch {
    throw new E2eeError('MALFORMED', `An ${alg} public key cannot be read`);
  }
}

export async function sign(privateKey: CryptoKey, data: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await subtle().sign(ED25519, privateKey, bytesView(data)));
}

/** Ed25519 verification; false (never an exception) for a signature of the wrong size or a bad key. */
export async function verify(publicKey: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  if (signature.length !== SIGNATURE_BYTES) return false;
  try {
    return await subtle().verify(ED25519, publicKey, bytesView(signature), bytesView(data));
  } catch {
    return false;
  }
}

/** Verifies a b64 signature over a UTF-8 string with a b64 raw Ed25519 public key. */
export async function verifyString(publicKeyB64: string, signatureB64: string, text: string): Promise<boolean> {
  let key: CryptoKey;
  let signature: Bytes;
  try {
    key = await importPublicKey('Ed25519', fromB64(publicKeyB64, PUBLIC_KEY_BYTES));
    signature = fromB64(signatureB64, SIGNATURE_BYTES);
  } catch {
    return false;
  }
  return verify(key, signature, utf8(text));
}

export async function signString(privateKey: CryptoKey, text: string): Promise<string> {
  return toB64(await sign(privateKey, utf8(text)));
}

// ---- The signed strings of the contract (section 1, "Signed strings") ----

export const backupKeySigningString = (userId: string, backupKey: string): string =>
  `lm-e2ee/v1/backup-key/${userId}/${backupKey}`;

export const deviceCertificateString = (
  userId: string,
  deviceId: string,
  x25519PublicKey: string,
  ed25519PublicKey: string,
): string => `lm-e2ee/v1/device/${userId}/${deviceId}/${x25519PublicKey}/${ed25519PublicKey}`;

/** A device's key pairs: X25519 for opening sealed epoch keys, Ed25519 for signing. Never extractable. */
export interface DeviceKeyPairs {
  agreementKey: CryptoKeyPair;
  signingKey: CryptoKeyPair;
  x25519PublicKey: string;
  ed25519PublicKey: string;
}

export async function generateDeviceKeys(): Promise<DeviceKeyPairs> {
  const [agreementKey, signingKey] = await Promise.all([generateAgreementKeyPair(false), generateSigningKeyPair(false)]);
  return {
    agreementKey,
    signingKey,
    x25519PublicKey: toB64(await exportPublicKey(agreementKey.publicKey)),
    ed25519PublicKey: toB64(await exportPublicKey(signingKey.publicKey)),
  };
}

/** The certificate (identity signature) of a device. */
export function signDeviceCertificate(
  identityPrivateKey: CryptoKey,
  d: { userId: string; deviceId: string; x25519PublicKey: string; ed25519PublicKey: string },
): Promise<string> {
  return signString(identityPrivateKey, deviceCertificateString(d.userId, d.deviceId, d.x25519PublicKey, d.ed25519PublicKey));
}

/** True when the device's certificate verifies against the identity key recorded on it. */
export function verifyDeviceCertificate(d: {
  userId: string;
  deviceId: string;
  identityKey: string;
  x25519PublicKey: string;
  ed25519PublicKey: string;
  certificate: string;
}): Promise<boolean> {
  return verifyString(
    d.identityKey,
    d.certificate,
    deviceCertificateString(d.userId, d.deviceId, d.x25519PublicKey, d.ed25519PublicKey),
  );
}

export function verifyBackupKeySignature(
  userId: string,
  identity: { identityKey: string; backupKey: string; backupKeySignature: string },
) {
  return verifyString(identity.identityKey, identity.backupKeySignature, backupKeySigningString(userId, identity.backupKey));
}

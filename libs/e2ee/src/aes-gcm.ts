import { KEY_BYTES, NONCE_BYTES } from './constants';
import { type Bytes, bytesView } from './encoding';
import { E2eeError } from './errors';

/** AES-256-GCM (128-bit tag) through WebCrypto. */
const subtle = () => globalThis.crypto.subtle;

/** Imports 32 raw bytes as an AES-256-GCM key; non-extractable unless asked. */
export async function importAesKey(raw: Uint8Array, extractable = false): Promise<CryptoKey> {
  if (raw.length !== KEY_BYTES) throw new E2eeError('MALFORMED', 'An AES-256 key has 32 bytes');
  return subtle().importKey('raw', bytesView(raw), { name: 'AES-GCM' }, extractable, ['encrypt', 'decrypt']);
}

export async function aesGcmEncrypt(key: CryptoKey, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Bytes> {
  if (nonce.length !== NONCE_BYTES) throw new E2eeError('MALFORMED', 'An AES-GCM nonce has 12 bytes');
  return new Uint8Array(
    await subtle().encrypt(
      { name: 'AES-GCM', iv: bytesView(nonce), additionalData: bytesView(aad), tagLength: 128 },
      key,
      bytesView(plaintext),
    ),
  );
}

/** Decrypts and authenticates; null when the tag does not verify (wrong key, nonce, AAD or a changed byte). */
export async function aesGcmDecrypt(
  key: CryptoKey,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
): Promise<Bytes | null> {
  if (nonce.length !== NONCE_BYTES) return null;
  try {
    return new Uint8Array(
      await subtle().decrypt(
        { name: 'AES-GCM', iv: bytesView(nonce), additionalData: bytesView(aad), tagLength: 128 },
        key,
        bytesView(ciphertext),
      ),
    );
  } catch {
    return null;
  }
}

import { argon2id } from 'hash-wasm';
import { aesGcmDecrypt, aesGcmEncrypt, importAesKey } from './aes-gcm';
import { ARGON2_BOUNDS, ARGON2_DEFAULTS, BACKUP_SALT_BYTES, NONCE_BYTES } from './constants';
import { type Bytes, fromB64, fromUtf8, randomBytes, toB64, utf8 } from './encoding';
import { E2eeError } from './errors';
import type { KeyBackup } from './wire';

/**
 * The recovery code and the key backup it protects (contract section 1, "Key backup").
 * 24 Crockford base32 characters = 120 random bits, shown as 6 groups of 4.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 24;

/** A fresh recovery code in display form, e.g. `7KQ2-M0ZT-...` (6 groups of 4). */
export function generateRecoveryCode(): string {
  const random = randomBytes(15);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of random) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  random.fill(0);
  return out.match(/.{4}/g)!.join('-');
}

/**
 * The canonical form of a typed code: upper case, spaces and dashes dropped, O→0 and I/L→1
 * (Crockford's look-alikes). RECOVERY_CODE_MALFORMED unless 24 characters of the alphabet remain.
 */
export function normalizeRecoveryCode(input: string): string {
  const code = String(input).toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== CODE_CHARS || [...code].some((c) => !CROCKFORD.includes(c)))
    throw new E2eeError('RECOVERY_CODE_MALFORMED', 'A recovery code is 24 letters and digits (6 groups of 4)');
  return code;
}

export interface Argon2Params {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

function checkParams(p: Argon2Params): void {
  for (const name of ['memoryKiB', 'iterations', 'parallelism'] as const) {
    const [min, max] = ARGON2_BOUNDS[name];
    const v = p[name];
    if (!Number.isInteger(v) || v < min || v > max)
      throw new E2eeError('MALFORMED', `Argon2 ${name} must be within ${min}..${max}`);
  }
}

/** Argon2id(normalised code, salt) → a non-extractable AES-256-GCM key. */
async function deriveBackupKey(code: string, salt: Uint8Array, p: Argon2Params): Promise<CryptoKey> {
  const raw = (await argon2id({
    password: code,
    salt,
    iterations: p.iterations,
    parallelism: p.parallelism,
    memorySize: p.memoryKiB,
    hashLength: 32,
    outputType: 'binary',
  })) as Uint8Array;
  const key = await importAesKey(raw);
  raw.fill(0);
  return key;
}

const backupAad = (userId: string) => utf8(`lm-e2ee/v1/backup/${userId}`);

/** The private keys a backup protects, as PKCS#8. */
export interface BackupSecrets {
  identityPkcs8: Bytes;
  backupPkcs8: Bytes;
}

/** Encrypts the identity and backup private keys under the recovery code (normalised here). */
export async function wrapBackup(o: {
  userId: string;
  recoveryCode: string;
  secrets: BackupSecrets;
  params?: Partial<Argon2Params>;
}): Promise<KeyBackup> {
  const code = normalizeRecoveryCode(o.recoveryCode);
  const params: Argon2Params = { ...ARGON2_DEFAULTS, ...o.params };
  checkParams(params);
  const salt = randomBytes(BACKUP_SALT_BYTES);
  const key = await deriveBackupKey(code, salt, params);
  const plaintext = utf8(
    JSON.stringify({ v: 1, identityPkcs8: toB64(o.secrets.identityPkcs8), backupPkcs8: toB64(o.secrets.backupPkcs8) }),
  );
  const nonce = randomBytes(NONCE_BYTES);
  const ciphertext = await aesGcmEncrypt(key, nonce, plaintext, backupAad(o.userId));
  plaintext.fill(0);
  return {
    version: 1,
    kdf: { alg: 'argon2id', salt: toB64(salt), ...params },
    nonce: toB64(nonce),
    ciphertext: toB64(ciphertext),
  };
}

/**
 * Opens a backup with a typed recovery code. RECOVERY_CODE_MALFORMED for a code that cannot
 * be one, WRONG_RECOVERY_CODE when AES-GCM refuses (the wrong code, or a backup of another user).
 */
export async function unwrapBackup(o: { userId: string; recoveryCode: string; backup: KeyBackup }): Promise<BackupSecrets> {
  const code = normalizeRecoveryCode(o.recoveryCode);
  const b = o.backup;
  if (!b || b.version !== 1 || !b.kdf || b.kdf.alg !== 'argon2id')
    throw new E2eeError('MALFORMED', 'The key backup has an unknown format');
  const params: Argon2Params = { memoryKiB: b.kdf.memoryKiB, iterations: b.kdf.iterations, parallelism: b.kdf.parallelism };
  checkParams(params);
  const salt = fromB64(b.kdf.salt, BACKUP_SALT_BYTES);
  const nonce = fromB64(b.nonce, NONCE_BYTES);
  const ciphertext = fromB64(b.ciphertext);
  const key = await deriveBackupKey(code, salt, params);
  const plaintext = await aesGcmDecrypt(key, nonce, ciphertext, backupAad(o.userId));
  if (!plaintext) throw new E2eeError('WRONG_RECOVERY_CODE', 'The recovery code is not the one of this account');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(plaintext));
  } catch {
    throw new E2eeError('MALFORMED', 'The key backup does not hold the expected keys');
  } finally {
    plaintext.fill(0);
  }
  const p = parsed as { v?: unknown; identityPkcs8?: unknown; backupPkcs8?: unknown };
  if (p.v !== 1 || typeof p.identityPkcs8 !== 'string' || typeof p.backupPkcs8 !== 'string')
    throw new E2eeError('MALFORMED', 'The key backup does not hold the expected keys');
  return { identityPkcs8: fromB64(p.identityPkcs8), backupPkcs8: fromB64(p.backupPkcs8) };
}

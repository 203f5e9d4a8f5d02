import { aesGcmDecrypt, aesGcmEncrypt } from './aes-gcm';
import { GCM_TAG_BYTES, MESSAGE_MAX_BUCKET, NONCE_BYTES, PADDING_BUCKETS } from './constants';
import { type Bytes, concat, randomBytes, utf8 } from './encoding';
import { E2eeError } from './errors';
import { sign, verify } from './keys';
import { padPlaintext, unpadPlaintext } from './padding';

/**
 * Records are messages and session notes: padded plaintext, AES-256-GCM under the epoch's
 * content key with an AAD naming what the record is, signed by the sender device over
 * UTF-8(aad) ‖ 0x00 ‖ nonce ‖ ciphertext (contract section 1).
 */
export type RecordKind = 'message' | 'note';

export function recordAad(o: {
  kind: RecordKind;
  conversationId: string;
  epoch: number;
  senderDeviceId: string;
  recordId: string;
}): string {
  return `lm-e2ee/v1/${o.kind}/${o.conversationId}/${o.epoch}/${o.senderDeviceId}/${o.recordId}`;
}

/** The record id of a session note: `${sessionId}/${AGENDA|PRIVATE}/${version}`. */
export const noteRecordId = (sessionId: string, kind: 'AGENDA' | 'PRIVATE', version: number): string =>
  `${sessionId}/${kind}/${version}`;

export function recordSigningBytes(aad: string, nonce: Uint8Array, ciphertext: Uint8Array): Bytes {
  return concat(utf8(aad), new Uint8Array([0]), nonce, ciphertext);
}

export interface EncryptedRecord {
  nonce: Bytes;
  ciphertext: Bytes;
  signature: Bytes;
}

/** Pads, encrypts and signs. MESSAGE_TOO_LARGE when the plaintext does not fit `maxBucket`. */
export async function encryptRecord(o: {
  key: CryptoKey;
  signingKey: CryptoKey;
  aad: string;
  plaintext: Uint8Array;
  maxBucket?: number;
}): Promise<EncryptedRecord> {
  const padded = padPlaintext(o.plaintext, o.maxBucket ?? MESSAGE_MAX_BUCKET);
  const nonce = randomBytes(NONCE_BYTES);
  const ciphertext = await aesGcmEncrypt(o.key, nonce, padded, utf8(o.aad));
  padded.fill(0);
  const signature = await sign(o.signingKey, recordSigningBytes(o.aad, nonce, ciphertext));
  return { nonce, ciphertext, signature };
}

/** True when the ciphertext length is a padding bucket plus the GCM tag. */
export const isBucketCiphertextLength = (n: number, maxBucket: number = MESSAGE_MAX_BUCKET): boolean =>
  PADDING_BUCKETS.some((b) => b <= maxBucket && b + GCM_TAG_BYTES === n);

export interface RecordOnWire {
  aad: string;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  signature: Uint8Array;
  maxBucket?: number;
}

/** MALFORMED for wrong sizes, SIGNATURE_INVALID unless the sender device signed exactly this AAD, nonce and ciphertext. */
export async function verifyRecord(o: RecordOnWire & { verifyKey: CryptoKey }): Promise<void> {
  if (o.nonce.length !== NONCE_BYTES || !isBucketCiphertextLength(o.ciphertext.length, o.maxBucket ?? MESSAGE_MAX_BUCKET))
    throw new E2eeError('MALFORMED', 'The record has a nonce or ciphertext of the wrong size');
  if (!(await verify(o.verifyKey, o.signature, recordSigningBytes(o.aad, o.nonce, o.ciphertext))))
    throw new E2eeError('SIGNATURE_INVALID', "The record's signature does not verify");
}

/** Decrypts (DECRYPT_FAILED) and removes the padding (MALFORMED). Call after verifyRecord. */
export async function openRecord(o: RecordOnWire & { key: CryptoKey }): Promise<Bytes> {
  const padded = await aesGcmDecrypt(o.key, o.nonce, o.ciphertext, utf8(o.aad));
  if (!padded) throw new E2eeError('DECRYPT_FAILED', 'The record cannot be decrypted with its epoch key');
  const plaintext = unpadPlaintext(padded);
  padded.fill(0);
  return plaintext;
}

/** Checks the sender's signature first (SIGNATURE_INVALID), and only then decrypts (DECRYPT_FAILED). */
export async function decryptRecord(o: RecordOnWire & { key: CryptoKey; verifyKey: CryptoKey }): Promise<Bytes> {
  await verifyRecord(o);
  return openRecord(o);
}

import { aesGcmDecrypt, aesGcmEncrypt, importAesKey } from './aes-gcm';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_CIPHERTEXT_BYTES, KEY_BYTES, NONCE_BYTES } from './constants';
import { type Bytes, fromB64, randomBytes, sha256, toB64, toHex, utf8 } from './encoding';
import { E2eeError } from './errors';
import type { AttachmentRef } from './wire';

/**
 * Attachments: each file under its own random AES-256-GCM key (one shot), AAD binding the
 * conversation and the attachment id. The key, nonce, name, type, size and SHA-256 travel only
 * inside the encrypted message body (AttachmentRef).
 */
export const attachmentAad = (conversationId: string, attachmentId: string): string =>
  `lm-e2ee/v1/attachment/${conversationId}/${attachmentId}`;

export async function encryptAttachment(o: {
  conversationId: string;
  attachmentId: string;
  name: string;
  type: string;
  bytes: Uint8Array;
}): Promise<{ ciphertext: Bytes; ref: AttachmentRef }> {
  if (o.bytes.length > ATTACHMENT_MAX_BYTES)
    throw new E2eeError('ATTACHMENT_TOO_LARGE', `An attachment is at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MiB`);
  const raw = randomBytes(KEY_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  try {
    const key = await importAesKey(raw);
    const [ciphertext, digest] = await Promise.all([
      aesGcmEncrypt(key, nonce, o.bytes, utf8(attachmentAad(o.conversationId, o.attachmentId))),
      sha256(o.bytes),
    ]);
    return {
      ciphertext,
      ref: {
        id: o.attachmentId,
        name: o.name,
        type: o.type,
        size: o.bytes.length,
        key: toB64(raw),
        nonce: toB64(nonce),
        sha256: toHex(digest),
      },
    };
  } finally {
    raw.fill(0);
  }
}

/** Decrypts and checks size and SHA-256; ATTACHMENT_CORRUPT for any mismatch. */
export async function decryptAttachment(o: {
  conversationId: string;
  ref: AttachmentRef;
  ciphertext: Uint8Array;
}): Promise<Bytes> {
  if (o.ciphertext.length > ATTACHMENT_MAX_CIPHERTEXT_BYTES)
    throw new E2eeError('ATTACHMENT_CORRUPT', 'The attachment is larger than allowed');
  const raw = fromB64(o.ref.key, KEY_BYTES);
  const key = await importAesKey(raw);
  raw.fill(0);
  const plaintext = await aesGcmDecrypt(
    key,
    fromB64(o.ref.nonce, NONCE_BYTES),
    o.ciphertext,
    utf8(attachmentAad(o.conversationId, o.ref.id)),
  );
  if (!plaintext)
    throw new E2eeError('ATTACHMENT_CORRUPT', 'The attachment does not decrypt: it was changed or belongs elsewhere');
  if (plaintext.length !== o.ref.size || toHex(await sha256(plaintext)) !== o.ref.sha256.toLowerCase())
    throw new E2eeError('ATTACHMENT_CORRUPT', 'The attachment does not match its SHA-256');
  return plaintext;
}

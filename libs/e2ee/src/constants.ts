/** Sizes and limits fixed by the contract (section 1). */
export const PADDING_BUCKETS = [256, 1024, 4096, 16384, 65536] as const;
export const MESSAGE_MAX_BUCKET = 65536;
export const NOTE_MAX_BUCKET = 16384;
export const GCM_TAG_BYTES = 16;
export const NONCE_BYTES = 12;
export const KEY_BYTES = 32;
export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const HPKE_ENC_BYTES = 32;
/** HPKE ciphertext of a 32-byte content key: 32 + the 16-byte AES-GCM tag. */
export const HPKE_CIPHERTEXT_BYTES = 48;
/** 25 MiB of plaintext per attachment. */
export const ATTACHMENT_MAX_BYTES = 26_214_400;
export const ATTACHMENT_MAX_CIPHERTEXT_BYTES = ATTACHMENT_MAX_BYTES + GCM_TAG_BYTES;
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
export const DEVICE_LABEL_MAX = 80;

/** Argon2id defaults for the recovery-code key, and the bounds the server accepts. */
export const ARGON2_DEFAULTS = { memoryKiB: 65536, iterations: 3, parallelism: 1 } as const;
export const ARGON2_BOUNDS = {
  memoryKiB: [19456, 1048576],
  iterations: [1, 10],
  parallelism: [1, 4],
} as const;
export const BACKUP_SALT_BYTES = 16;

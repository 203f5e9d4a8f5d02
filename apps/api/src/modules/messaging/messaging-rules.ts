/**
 * The pure rules of messaging: padded ciphertext sizes, who an epoch must be sealed to, when a
 * conversation needs a new epoch, and the keyset cursors of the lists. No Nest, no SQL.
 */

/** Padded plaintext sizes (contract §1): a record's plaintext is padded to the smallest that fits. */
export const PLAINTEXT_BUCKETS = [256, 1024, 4096, 16384, 65536] as const;
/** AES-GCM's tag, appended to every ciphertext. */
export const GCM_TAG_BYTES = 16;
/** Message ciphertext sizes on the wire: a bucket + the tag. */
export const MESSAGE_CIPHERTEXT_SIZES: readonly number[] = PLAINTEXT_BUCKETS.map((b) => b + GCM_TAG_BYTES);
/** Session notes use the buckets up to 16384. */
export const NOTE_CIPHERTEXT_SIZES: readonly number[] = PLAINTEXT_BUCKETS.filter((b) => b <= 16384).map((b) => b + GCM_TAG_BYTES);

/** An attachment's plaintext is at most 25 MiB; encrypted one-shot with AES-GCM it gains the tag. */
export const ATTACHMENT_MAX_PLAINTEXT_BYTES = 25 * 1024 * 1024;
export const ATTACHMENT_MAX_BYTES = ATTACHMENT_MAX_PLAINTEXT_BYTES + GCM_TAG_BYTES;
/** An empty file still encrypts to its tag. */
export const ATTACHMENT_MIN_BYTES = GCM_TAG_BYTES;
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/** HPKE (DHKEM X25519, AES-256-GCM) of a 32-byte key: a 32-byte encapsulated key and 32 + 16 bytes of ciphertext. */
export const SEALED_ENC_BYTES = 32;
export const SEALED_CIPHERTEXT_BYTES = 48;

/** A participant's keys as they bear on who an epoch is sealed to. */
export interface ParticipantKeys {
  userId: string;
  hasIdentity: boolean;
  /** Ids of the participant's active (not revoked) devices. */
  activeDeviceIds: readonly string[];
}

/**
 * The recipients an epoch must be sealed to now: every active device of both participants and
 * the backup key of each participant who has an identity, sorted as strings (code-unit order;
 * every recipient is ASCII, so this is byte order too).
 */
export function expectedRecipients(participants: readonly ParticipantKeys[]): string[] {
  const out: string[] = [];
  for (const p of participants) {
    for (const id of p.activeDeviceIds) out.push(`device:${id}`);
    if (p.hasIdentity) out.push(`backup:${p.userId}`);
  }
  return [...new Set(out)].sort();
}

/** Whether two recipient lists are the same list (same members, same order). */
export function sameRecipients(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

/**
 * A conversation needs a new epoch before anything is sent in it when it has none yet, or when
 * its current epoch was not sealed to exactly the recipients it would be sealed to now (a device
 * was added or revoked, an identity was set up or reset).
 */
export function needsRekey(
  currentEpoch: number,
  currentRecipients: readonly string[] | null,
  expected: readonly string[],
): boolean {
  return currentEpoch === 0 || currentRecipients === null || !sameRecipients([...currentRecipients].sort(), expected);
}

/** Whether a ciphertext of `size` bytes is one of the padded sizes `allowed`. */
export function isPaddedSize(size: number, allowed: readonly number[]): boolean {
  return allowed.includes(size);
}

/** A keyset position: newest first by time, ties by id. */
export interface KeysetCursor {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The opaque cursor of a position (base64url of `<ISO time>|<id>`). */
export function encodeCursor(c: KeysetCursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

/** The position of a cursor `encodeCursor` made, or null for anything else. */
export function decodeCursor(cursor: string): KeysetCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !at || !id || !UUID.test(id) || !ISO_MS.test(at)) return null;
  const time = new Date(at);
  return Number.isNaN(time.getTime()) ? null : { at: time, id };
}

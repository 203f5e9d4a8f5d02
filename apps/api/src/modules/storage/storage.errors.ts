import { domainError } from '../../common/errors/domain-error';

/** No blob is stored under the requested key. */
export class BlobNotFound extends domainError('BLOB_NOT_FOUND', 404, 'Blob not found') {}

/** The key breaks the rules in `blob-key.ts`. The message never echoes the key. */
export class BlobKeyInvalid extends domainError('BLOB_KEY_INVALID', 400, 'Invalid blob key') {}

/** A ranged read outside the blob (start after end, or past its last byte). */
export class BlobRangeNotSatisfiable extends domainError('BLOB_RANGE_NOT_SATISFIABLE', 416, 'The requested range is not inside the blob') {}

/** Whether `range` lies inside a blob of `size` bytes. */
export function rangeInside(range: { start: number; end: number }, size: number): boolean {
  return Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.start <= range.end && range.end < size;
}

/**
 * A stored object in the encrypted format (encrypting-blob-store.ts) failed authentication:
 * modified, truncated, extended, chunks reordered or swapped, copied from another key, or
 * overwritten while a ranged read was in flight. Never a DomainError: the HTTP layer answers a
 * generic 500 (INTERNAL_ERROR) and logs this message (blob key and reason, no key material),
 * so nothing about the object reaches a client. No byte of a failing chunk is ever released.
 */
export class BlobDecryptionFailed extends Error {
  readonly code = 'BLOB_DECRYPTION_FAILED';
  constructor(
    readonly blobKey: string,
    readonly reason: string,
  ) {
    super(`Blob ${blobKey} failed its integrity check and was not read: ${reason}`);
    this.name = 'BlobDecryptionFailed';
  }
}

/** An encrypted object names a master key id that the configured key ring does not hold. 500 like BlobDecryptionFailed. */
export class BlobMasterKeyUnknown extends Error {
  readonly code = 'BLOB_MASTER_KEY_UNKNOWN';
  constructor(
    readonly blobKey: string,
    readonly keyId: string,
  ) {
    super(
      `Blob ${blobKey} is encrypted under master key "${keyId}", which is not in the key ring ` +
        '(BLOB_MASTER_KEYS / BLOB_MASTER_KEYS_FILE / DATA_DIR/blob-master-keys): add that key back (after the active one) to read it',
    );
    this.name = 'BlobMasterKeyUnknown';
  }
}
/** The blob store (disk, S3) failed while storing; nothing was kept. Retry later. */
export class StorageUnavailable extends domainError(
  'STORAGE_UNAVAILABLE',
  503,
  'File storage is unavailable right now; nothing was stored. Please try again in a moment.',
) {}

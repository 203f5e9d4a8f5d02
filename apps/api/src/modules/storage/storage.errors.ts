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

import { BlobKeyInvalid } from './storage.errors';

export const MAX_BLOB_KEY_LENGTH = 512;

/** One or more `/`-separated non-empty segments of `[A-Za-z0-9._-]`. */
const KEY_SHAPE = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/**
 * The key rules shared by every driver, so a key that works with one works with all:
 * relative (no leading `/`), only `[A-Za-z0-9._/-]`, no empty, `.` or `..` segments, at most
 * 512 characters. `.` segments are refused too because URL normalisation would fold them.
 */
export function assertValidBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_BLOB_KEY_LENGTH || !KEY_SHAPE.test(key)) {
    throw new BlobKeyInvalid();
  }
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new BlobKeyInvalid();
  }
}

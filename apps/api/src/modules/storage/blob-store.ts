import { Readable } from 'node:stream';

/** Stored when a caller gives no content type, by every driver alike. */
export const DEFAULT_BLOB_CONTENT_TYPE = 'application/octet-stream';

export interface PutBlobOptions {
  contentType?: string;
}

export interface PutBlobResult {
  key: string;
  /** Lower-case hex SHA-256 of the stored bytes, computed while they streamed. */
  sha256: string;
  size: number;
}

/** Bytes `start` to `end` of a blob, both inclusive (as in an HTTP Range header). */
export interface BlobRange {
  start: number;
  end: number;
}

export interface BlobContent {
  /** The bytes (only those of the range, for a ranged read), streamed; the caller must consume or destroy it. */
  stream: Readable;
  /** Size of the whole blob, also for a ranged read. */
  size: number;
  contentType?: string;
}

export interface BlobHead {
  key: string;
  size: number;
  contentType?: string;
  /** Absent only for objects written by something other than this store. */
  sha256?: string;
}

/**
 * Where the API keeps files (contracts, recordings, avatars...). Inject this abstract class;
 * StorageModule binds it to the filesystem or S3 driver according to BLOB_DRIVER. Every driver
 * validates keys with `assertValidBlobKey` (→ BlobKeyInvalid) and passes the same contract
 * suite (apps/api/test/storage/blob-store.contract.ts).
 */
export abstract class BlobStore {
  /**
   * Stores `body` under `key`, replacing any previous blob atomically: readers see the old or
   * the new content, never a partial one. Streams are never buffered whole.
   */
  abstract put(key: string, body: Readable | Buffer, opts?: PutBlobOptions): Promise<PutBlobResult>;

  /**
   * Streams a blob, or only bytes `range.start`..`range.end` (inclusive) of it; throws
   * BlobNotFound when there is none, BlobRangeNotSatisfiable when the range is not inside it
   * (start > end, negative, or end ≥ size).
   */
  abstract get(key: string, range?: BlobRange): Promise<BlobContent>;

  /** Size, content type and SHA-256 of a blob, or null when there is none. */
  abstract head(key: string): Promise<BlobHead | null>;

  /** Removes a blob; removing a missing one is not an error. */
  abstract delete(key: string): Promise<void>;

  /** Resolves when the backing store is reachable and writable (used by GET /health). */
  abstract ping(): Promise<void>;
}

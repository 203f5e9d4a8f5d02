import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { assertValidBlobKey } from '../../src/modules/storage/blob-key';
import { BlobContent, BlobHead, BlobRange, BlobStore, DEFAULT_BLOB_CONTENT_TYPE, PutBlobOptions, PutBlobResult } from '../../src/modules/storage/blob-store';
import { BlobNotFound, BlobRangeNotSatisfiable, rangeInside } from '../../src/modules/storage/storage.errors';

/**
 * An in-memory driver with the drivers' semantics (key rules, BlobNotFound, inclusive ranges,
 * BlobRangeNotSatisfiable), for unit specs of what sits on top of a driver. `objects` is the
 * "disk": specs read and tamper with the stored bytes there; `reads` records every get.
 */
export class MemoryBlobStore extends BlobStore {
  readonly objects = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly reads: { key: string; range?: BlobRange }[] = [];

  async put(key: string, body: Readable | Buffer, opts: PutBlobOptions = {}): Promise<PutBlobResult> {
    assertValidBlobKey(key);
    let bytes: Buffer;
    if (Buffer.isBuffer(body)) {
      bytes = Buffer.from(body);
    } else {
      const parts: Buffer[] = [];
      for await (const chunk of body) parts.push(chunk as Buffer);
      bytes = Buffer.concat(parts);
    }
    this.objects.set(key, { bytes, contentType: opts.contentType ?? DEFAULT_BLOB_CONTENT_TYPE });
    return { key, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  }

  async get(key: string, range?: BlobRange): Promise<BlobContent> {
    assertValidBlobKey(key);
    this.reads.push({ key, range });
    const o = this.objects.get(key);
    if (!o) throw new BlobNotFound();
    if (range && !rangeInside(range, o.bytes.length)) throw new BlobRangeNotSatisfiable();
    const bytes = range ? o.bytes.subarray(range.start, range.end + 1) : o.bytes;
    // Odd-sized pieces, as a socket or file delivers them.
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 10_007) pieces.push(bytes.subarray(at, at + 10_007));
    return { stream: Readable.from(pieces), size: o.bytes.length, contentType: o.contentType };
  }

  async head(key: string): Promise<BlobHead | null> {
    assertValidBlobKey(key);
    const o = this.objects.get(key);
    return o ? { key, size: o.bytes.length, contentType: o.contentType, sha256: createHash('sha256').update(o.bytes).digest('hex') } : null;
  }

  async delete(key: string): Promise<void> {
    assertValidBlobKey(key);
    this.objects.delete(key);
  }

  async ping(): Promise<void> {}
}

import { OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { DomainError } from '../../common/errors/domain-error';
import { assertValidBlobKey } from './blob-key';
import { BlobKeyRing } from './blob-key-ring';
import { BlobContent, BlobHead, BlobRange, BlobStore, PutBlobOptions, PutBlobResult } from './blob-store';
import { StorageUnavailable } from './storage.errors';
import {
  createHeader,
  DecryptStream,
  DEFAULT_CHUNK_SIZE,
  encryptBuffer,
  EncryptStream,
  classifyPrefix,
  layoutOf,
  MAX_HEADER_BYTES,
  openHeader,
  openRecord,
  decodeTrailer,
  parseHeader,
  recordOffset,
  recordPlaintextLength,
  TAG_BYTES,
  TRAILER_BYTES,
  type BlobHeader,
  type BlobLayout,
  type RecordContext,
} from './encrypted-blob-format';
import { BlobDecryptionFailed, BlobNotFound, BlobRangeNotSatisfiable, rangeInside } from './storage.errors';

/**
 * Encryption at rest (issue 16): the BlobStore that StorageModule hands out, over the configured
 * driver (filesystem or S3). Everything stored from now on — recordings, executed contracts,
 * statements, licences, photos, attachments — lands in the driver encrypted; callers see
 * plaintext only, and SHA-256 and size stay those of the PLAINTEXT (custody, verify-by-hash and
 * ETags are unchanged). The format is in encrypted-blob-format.ts: a random 256-bit data key per
 * object, wrapped (AES-256-GCM) by the active master key of the ring (BLOB_MASTER_KEYS, or the
 * ring file; see blob-key-ring.ts), the content in 64 KiB AES-256-GCM chunks (STREAM
 * construction) and an encrypted trailer holding the plaintext's size and SHA-256.
 *
 * - put: streams the body through the encryptor into the driver, one chunk in memory at a time;
 *   returns the plaintext's SHA-256 and size. A Buffer body is encrypted in memory and handed
 *   over as a Buffer (the S3 driver then needs no temporary upload).
 * - get: one driver request for a whole object (the header is read off the front of the stream).
 *   A range is in plaintext offsets: the header is read with a small ranged request, then only
 *   the chunks covering the range (plus the trailer when it reaches the last chunk) with a second
 *   ranged request; BlobRangeNotSatisfiable exactly as the drivers (start > end, negative, past
 *   the plaintext's end). The size reported is the plaintext's.
 * - head: the header and the trailer (two small ranged reads); size and SHA-256 come from the
 *   authenticated trailer.
 * - Integrity: any modified, moved, truncated, extended or foreign byte fails with
 *   BlobDecryptionFailed (a generic 500 at the HTTP layer, the reason only in the log) and no
 *   unauthenticated byte is ever released; a chunk that fails mid-stream errors the stream (the
 *   download is cut, never completed with garbage). A ranged read that races an overwrite of the
 *   same key may fail the same way rather than mix two versions.
 * - Legacy: an object that does not start with the format's magic was stored before encryption
 *   at rest (existing deployments) and is read as plaintext, size and SHA-256 from the driver.
 *   It is rewritten encrypted the next time it is put. (The magic is 8 bytes starting 0x89 and
 *   ending CR LF, which no PDF, CSV, WebM, MP4, PNG or JPEG starts with.)
 * - Content type stays in the driver's metadata in clear, as before.
 */
export class EncryptingBlobStore extends BlobStore implements OnModuleDestroy {
  constructor(
    /** The driver that stores the ciphertext. */
    readonly inner: BlobStore,
    private readonly ring: BlobKeyRing,
    private readonly chunkSize = DEFAULT_CHUNK_SIZE,
  ) {
    super();
  }

  async put(key: string, body: Readable | Buffer, opts: PutBlobOptions = {}): Promise<PutBlobResult> {
    assertValidBlobKey(key);
    const { header, context } = createHeader(key, this.ring.active, this.chunkSize);
    if (Buffer.isBuffer(body)) {
      await this.inner.put(key, encryptBuffer(header, context, this.chunkSize, body), opts).catch((e: unknown) => {
        throw storeFailure(e, undefined);
      });
      return { key, sha256: createHash('sha256').update(body).digest('hex'), size: body.length };
    }
    const encryptor = new EncryptStream(header, context, this.chunkSize);
    // As the drivers do with their digest streams: a failing body fails the put, and a failing
    // put (the driver destroys what it reads) destroys the body.
    let bodyError: unknown;
    body.on('error', (e) => {
      bodyError ??= e;
      encryptor.destroy(e);
    });
    // The body may fail before the driver attaches to the encryptor (the filesystem driver first
    // creates its directory): the error then stays on the destroyed encryptor, and the driver's
    // pipeline reports it when it attaches (stream.finished checks streams that already errored).
    encryptor.on('error', () => undefined);
    encryptor.on('close', () => {
      if (!encryptor.writableFinished) body.destroy();
    });
    body.pipe(encryptor);
    await this.inner.put(key, encryptor, opts).catch((e: unknown) => {
      throw storeFailure(e, bodyError);
    });
    return { key, ...encryptor.result() };
  }

  async get(key: string, range?: BlobRange): Promise<BlobContent> {
    assertValidBlobKey(key);
    if (!range) return this.getWhole(key);
    for (let attempt = 0; ; attempt++) {
      const probe = await this.probe(key);
      if (probe.kind === 'small') return sliced(await this.getWhole(key), range);
      if (probe.kind === 'legacy') return this.inner.get(key, range);
      const { layout, context } = this.open(key, probe.header, probe.size);
      if (!rangeInside(range, layout.plaintextSize)) throw new BlobRangeNotSatisfiable();
      const firstRecord = Math.floor(range.start / layout.chunkSize);
      const lastRecord = Math.floor(range.end / layout.chunkSize);
      const withTrailer = lastRecord === layout.dataRecords - 1;
      const cipherEnd = withTrailer ? layout.ciphertextSize - 1 : recordOffset(layout, lastRecord) + recordPlaintextLength(layout, lastRecord) + TAG_BYTES - 1;
      const content = await this.inner.get(key, { start: recordOffset(layout, firstRecord), end: cipherEnd });
      if (content.size !== layout.ciphertextSize) {
        // Overwritten between the two requests: start again with the new object, once.
        content.stream.destroy();
        if (attempt === 0) continue;
        throw new BlobDecryptionFailed(key, 'the object changed while it was being read');
      }
      const decryptor = new DecryptStream({ blobKey: key, context, layout, firstRecord, lastRecord, withTrailer, start: range.start, end: range.end, verifyDigest: false });
      return { stream: chain(content.stream, decryptor), size: layout.plaintextSize, contentType: content.contentType };
    }
  }

  async head(key: string): Promise<BlobHead | null> {
    assertValidBlobKey(key);
    let probe: Probe;
    try {
      probe = await this.probe(key);
    } catch (e) {
      if (e instanceof BlobNotFound) return null;
      throw e;
    }
    if (probe.kind === 'legacy') return this.inner.head(key);
    if (probe.kind === 'small') {
      let whole: Whole;
      try {
        whole = await this.openWhole(key);
      } catch (e) {
        if (e instanceof BlobNotFound) return null;
        throw e;
      }
      if (!whole.decryptor) {
        whole.content.stream.destroy();
        return this.inner.head(key);
      }
      await readAll(whole.content.stream); // a few bytes: read up to the verified trailer
      const trailer = whole.decryptor.trailer!;
      return { key, size: trailer.size, contentType: whole.content.contentType, sha256: trailer.sha256 };
    }
    const { layout, context } = this.open(key, probe.header, probe.size);
    const content = await this.inner.get(key, { start: layout.ciphertextSize - TRAILER_BYTES, end: layout.ciphertextSize - 1 });
    const record = await readAll(content.stream);
    if (content.size !== layout.ciphertextSize) throw new BlobDecryptionFailed(key, 'the object changed while it was being read');
    const trailer = decodeTrailer(openRecord(key, context, layout.dataRecords, true, record));
    if (trailer.size !== layout.plaintextSize) throw new BlobDecryptionFailed(key, 'the trailer disagrees with the object size (truncated or extended)');
    return { key, size: trailer.size, contentType: probe.contentType, sha256: trailer.sha256 };
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  /** Nest calls lifecycle hooks on the provider it holds, this decorator: pass them on (the S3 client). */
  async onModuleDestroy(): Promise<void> {
    await (this.inner as Partial<OnModuleDestroy>).onModuleDestroy?.();
  }

  private async getWhole(key: string): Promise<BlobContent> {
    return (await this.openWhole(key)).content;
  }

  /** The whole object, decrypted as it streams (or as stored, for a legacy one). */
  private async openWhole(key: string): Promise<Whole> {
    const content = await this.inner.get(key);
    let prefix: Buffer;
    try {
      prefix = await readUpTo(content.stream, MAX_HEADER_BYTES);
    } catch (e) {
      content.stream.destroy();
      throw e;
    }
    const kind = classifyPrefix(prefix);
    if (kind === 'legacy') return { content: { ...content, stream: putBack(content.stream, prefix) } };
    let header: BlobHeader, layout: BlobLayout, context: RecordContext;
    try {
      header = parseHeader(key, prefix);
      ({ layout, context } = this.open(key, header, content.size));
    } catch (e) {
      content.stream.destroy();
      throw e;
    }
    const stream = putBack(content.stream, prefix.subarray(header.length));
    const end = layout.plaintextSize - 1;
    const decryptor = new DecryptStream({
      blobKey: key,
      context,
      layout,
      firstRecord: 0,
      lastRecord: layout.dataRecords - 1,
      withTrailer: true,
      start: 0,
      end,
      verifyDigest: true,
    });
    return { content: { stream: chain(stream, decryptor), size: layout.plaintextSize, contentType: content.contentType }, decryptor };
  }

  /**
   * The object's first bytes, by a small ranged read: whether it is encrypted (and its header),
   * legacy, or smaller than the longest header ('small': read it whole instead).
   */
  private async probe(key: string): Promise<Probe> {
    let content: BlobContent;
    try {
      content = await this.inner.get(key, { start: 0, end: MAX_HEADER_BYTES - 1 });
    } catch (e) {
      if (e instanceof BlobRangeNotSatisfiable) return { kind: 'small' };
      throw e;
    }
    const prefix = await readAll(content.stream);
    if (classifyPrefix(prefix) === 'legacy') return { kind: 'legacy' };
    return { kind: 'encrypted', header: parseHeader(key, prefix), size: content.size, contentType: content.contentType };
  }

  private open(key: string, header: BlobHeader, ciphertextSize: number): { layout: BlobLayout; context: RecordContext } {
    const layout = layoutOf(key, header, ciphertextSize);
    return { layout, context: openHeader(key, header, (id) => this.ring.find(id)) };
  }
}

type Probe = { kind: 'small' } | { kind: 'legacy' } | { kind: 'encrypted'; header: BlobHeader; size: number; contentType?: string };
interface Whole {
  content: BlobContent;
  /** Absent for a legacy object. */
  decryptor?: DecryptStream;
}

/** `source` piped into `transform`, errors and early destruction propagated both ways. */
function chain(source: Readable, transform: DecryptStream): Readable {
  return pipeline(source, transform, () => undefined);
}

/** Bytes `range` of a whole read (only used for objects smaller than a header, or that changed size meanwhile). */
function sliced(whole: BlobContent, range: BlobRange): BlobContent {
  if (!rangeInside(range, whole.size)) {
    whole.stream.destroy();
    throw new BlobRangeNotSatisfiable();
  }
  const slice = async function* (source: Readable): AsyncGenerator<Buffer> {
    let at = 0;
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const from = Math.max(0, range.start - at);
      const to = Math.min(chunk.length, range.end + 1 - at);
      at += chunk.length;
      if (to > from) yield chunk.subarray(from, to);
    }
  };
  return { ...whole, stream: Readable.from(slice(whole.stream)) };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** `stream` with `bytes` back at its front (a new stream when it has already ended). */
function putBack(stream: Readable, bytes: Buffer): Readable {
  if (stream.readableEnded) return Readable.from(bytes.length > 0 ? [bytes] : []);
  if (bytes.length > 0) stream.unshift(bytes);
  return stream;
}

/**
 * Reads at least `n` bytes off the front of a paused stream (fewer only when it ends first),
 * leaving the rest in it; the caller may `unshift` what it does not use.
 */
async function readUpTo(stream: Readable, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  for (;;) {
    let chunk: Buffer | null;
    while (length < n && (chunk = stream.read() as Buffer | null) !== null) {
      parts.push(chunk);
      length += chunk.length;
    }
    if (length >= n || stream.readableEnded) break;
    if (stream.errored) throw stream.errored;
    if (stream.destroyed) throw new Error('The blob stream closed before its header was read');
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        stream.off('readable', done).off('end', done).off('close', done).off('error', failed);
        resolve();
      };
      const failed = (e: Error): void => {
        stream.off('readable', done).off('end', done).off('close', done).off('error', failed);
        reject(e);
      };
      stream.on('readable', done).on('end', done).on('close', done).on('error', failed);
    });
  }
  return Buffer.concat(parts);
}

/**
 * What a failed put throws: the body's own failure (too large, the client went away) and our
 * coded errors as they are; anything else is the driver failing (disk full or broken, S3
 * unreachable) and becomes 503 STORAGE_UNAVAILABLE instead of an anonymous 500. The drivers
 * never leave a partial object behind (they write to a temporary name / multipart upload).
 */
function storeFailure(e: unknown, bodyError: unknown): unknown {
  if (e instanceof DomainError || bodyError !== undefined) return e;
  const failure = new StorageUnavailable();
  (failure as Error & { cause?: unknown }).cause = e;
  return failure;
}

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { MASTER_KEY_ID, type MasterKey } from '../../config/blob-master-keys';
import { BlobDecryptionFailed, BlobMasterKeyUnknown } from './storage.errors';

/*
 * The encrypted object format of EncryptingBlobStore, version 1. All integers big-endian.
 *
 *   header   magic "\x89LMENC\r\n" (8) | version = 1 (1) | key id length L (1) | master key id (L, ASCII)
 *            | chunk size C (4, plaintext bytes per chunk) | nonce prefix (7, random)
 *            | wrap nonce (12, random) | wrapped data key (32) | wrap tag (16)        → H = 81 + L bytes
 *   records  chunk 0 … chunk n-1: AES-256-GCM(data key) of C plaintext bytes each (the last one
 *            1..C), ciphertext ‖ 16-byte tag; n = ceil(P / C), none for an empty object
 *   trailer  record n (final): AES-256-GCM of plaintext size (8) ‖ plaintext SHA-256 (32) → 56 bytes
 *
 * Data key: 32 random bytes per object, wrapped with AES-256-GCM under the master key named in the
 * header; the wrap's AAD is "lm-blob/v1/data-key\0" ‖ the header bytes before the wrap nonce
 * (magic, version, key id, chunk size, nonce prefix) ‖ the blob key. So any change to those
 * header fields, and an object copied or renamed to another blob key, fails at the unwrap.
 *
 * Records follow the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár, "Online
 * Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015), in the nonce
 * layout of Tink's AES-GCM-HKDF streaming AEAD and in the spirit of age's payload: the 12-byte
 * nonce of record i is nonce prefix (7) ‖ u32 i ‖ final flag (1 byte: 1 only for the trailer).
 * Each record's AAD is SHA-256(header) ‖ u32 i ‖ final flag. Consequences: a record moved to
 * another position, taken from another object (other data key), or any changed byte fails its
 * tag; dropping the end is detected because only the trailer carries the final flag and a
 * reader insists on it; bytes after the trailer are refused. A record's plaintext is released
 * only after its tag verified, so a reader never sees a byte that was not written by us.
 *
 * Sizes: ciphertext size S = H + P + 16·n + 56, so P follows from S (and the chunk size) without
 * reading the object: a ranged read of plaintext bytes a..b fetches only the header and records
 * ⌊a/C⌋..⌊b/C⌋ (plus the trailer when the range reaches the last chunk).
 *
 * Anything without the magic is a legacy plaintext object (stored before encryption at rest was
 * introduced) and is read as it is; see EncryptingBlobStore.
 */

export const MAGIC = Buffer.from([0x89, 0x4c, 0x4d, 0x45, 0x4e, 0x43, 0x0d, 0x0a]);
export const FORMAT_VERSION = 1;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Largest chunk size a reader accepts (it buffers one record at a time). */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
export const TAG_BYTES = 16;
const NONCE_PREFIX_BYTES = 7;
const WRAP_NONCE_BYTES = 12;
const DATA_KEY_BYTES = 32;
const FIXED_HEADER_BYTES = MAGIC.length + 1 + 1 + 4 + NONCE_PREFIX_BYTES + WRAP_NONCE_BYTES + DATA_KEY_BYTES + TAG_BYTES;
/** Longest header (64-character key id): reading this many bytes always covers the header. */
export const MAX_HEADER_BYTES = FIXED_HEADER_BYTES + 64;
const TRAILER_PLAIN_BYTES = 8 + 32;
export const TRAILER_BYTES = TRAILER_PLAIN_BYTES + TAG_BYTES;
/** Record indexes are a u32; the trailer needs one too. */
const MAX_RECORDS = 0xffff_ffff;
const WRAP_LABEL = Buffer.from('lm-blob/v1/data-key\0', 'ascii');

/** What encrypting and decrypting the records of one object need. */
export interface RecordContext {
  dataKey: Buffer;
  noncePrefix: Buffer;
  headerDigest: Buffer;
}

export interface BlobHeader {
  keyId: string;
  chunkSize: number;
  /** Header length H. */
  length: number;
  /** The header's bytes (exactly H). */
  bytes: Buffer;
}

/** Where the records of an object are, from its ciphertext size. */
export interface BlobLayout {
  headerLength: number;
  chunkSize: number;
  plaintextSize: number;
  /** n: data records (the trailer is record n). */
  dataRecords: number;
  ciphertextSize: number;
}

export function isEncryptedBlob(prefix: Buffer): boolean {
  return prefix.length >= MAGIC.length && prefix.subarray(0, MAGIC.length).equals(MAGIC);
}

/**
 * How to read an object that starts with `prefix` (its first MAX_HEADER_BYTES bytes, or all of
 * it when shorter): 'encrypted'; 'legacy' plaintext; or 'damaged' — an encrypted object whose
 * magic took a hit (at most 2 of its 8 bytes differ) or that was cut inside the magic. Damaged
 * objects are refused rather than served as plaintext: no real file starts that close to the
 * magic (a chance of about 2^-43 for random bytes).
 */
export function classifyPrefix(prefix: Buffer): 'encrypted' | 'legacy' | 'damaged' {
  if (isEncryptedBlob(prefix)) return 'encrypted';
  if (prefix.length === 0) return 'legacy';
  if (prefix.length < MAGIC.length) return prefix.equals(MAGIC.subarray(0, prefix.length)) ? 'damaged' : 'legacy';
  let differing = 0;
  for (let i = 0; i < MAGIC.length; i++) if (prefix[i] !== MAGIC[i]) differing++;
  return differing <= 2 ? 'damaged' : 'legacy';
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function wrapAad(authenticatedHeader: Buffer, blobKey: string): Buffer {
  return Buffer.concat([WRAP_LABEL, authenticatedHeader, Buffer.from(blobKey, 'utf8')]);
}

/** A new object's header under `master` (fresh data key and nonce prefix) and its record context. */
export function createHeader(blobKey: string, master: MasterKey, chunkSize = DEFAULT_CHUNK_SIZE): { header: Buffer; context: RecordContext } {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new Error(`Invalid chunk size ${chunkSize}`);
  if (!MASTER_KEY_ID.test(master.id)) throw new Error('Invalid master key id');
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const noncePrefix = randomBytes(NONCE_PREFIX_BYTES);
  const id = Buffer.from(master.id, 'ascii');
  const authenticated = Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION, id.length]), id, u32(chunkSize), noncePrefix]);
  const wrapNonce = randomBytes(WRAP_NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', master.key, wrapNonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(wrapAad(authenticated, blobKey));
  const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  const header = Buffer.concat([authenticated, wrapNonce, wrapped, cipher.getAuthTag()]);
  return { header, context: { dataKey, noncePrefix, headerDigest: createHash('sha256').update(header).digest() } };
}

/**
 * Parses the header at the start of `bytes` (which may continue with records). Throws
 * BlobDecryptionFailed when it is malformed; authenticity is checked by `openHeader`.
 */
export function parseHeader(blobKey: string, bytes: Buffer): BlobHeader {
  const fail = (reason: string): never => {
    throw new BlobDecryptionFailed(blobKey, reason);
  };
  if (!isEncryptedBlob(bytes)) fail('the format magic is damaged');
  if (bytes.length < MAGIC.length + 2) fail('the header is truncated');
  const version = bytes[MAGIC.length]!;
  if (version !== FORMAT_VERSION) fail(`unsupported format version ${version}`);
  const idLength = bytes[MAGIC.length + 1]!;
  const length = FIXED_HEADER_BYTES + idLength;
  if (idLength < 1 || idLength > 64) fail('the header is malformed (key id length)');
  if (bytes.length < length) fail('the header is truncated');
  const idStart = MAGIC.length + 2;
  const keyId = bytes.subarray(idStart, idStart + idLength).toString('latin1');
  if (!MASTER_KEY_ID.test(keyId)) fail('the header is malformed (key id)');
  const chunkSize = bytes.readUInt32BE(idStart + idLength);
  if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) fail('the header is malformed (chunk size)');
  return { keyId, chunkSize, length, bytes: Buffer.from(bytes.subarray(0, length)) };
}

/**
 * Unwraps the data key with the master key the header names: BlobMasterKeyUnknown when the ring
 * lacks it, BlobDecryptionFailed when the header was modified or belongs to another blob key.
 */
export function openHeader(blobKey: string, header: BlobHeader, findKey: (id: string) => MasterKey | undefined): RecordContext {
  const master = findKey(header.keyId);
  if (!master) throw new BlobMasterKeyUnknown(blobKey, header.keyId);
  const b = header.bytes;
  const wrapNonceAt = header.length - TAG_BYTES - DATA_KEY_BYTES - WRAP_NONCE_BYTES;
  const authenticated = b.subarray(0, wrapNonceAt);
  const decipher = createDecipheriv('aes-256-gcm', master.key, b.subarray(wrapNonceAt, wrapNonceAt + WRAP_NONCE_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(wrapAad(authenticated, blobKey));
  decipher.setAuthTag(b.subarray(header.length - TAG_BYTES));
  let dataKey: Buffer;
  try {
    dataKey = Buffer.concat([decipher.update(b.subarray(wrapNonceAt + WRAP_NONCE_BYTES, header.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new BlobDecryptionFailed(blobKey, 'the header or its wrapped data key was modified, or the object was written under another blob key');
  }
  const noncePrefixAt = wrapNonceAt - NONCE_PREFIX_BYTES;
  return {
    dataKey,
    noncePrefix: Buffer.from(b.subarray(noncePrefixAt, wrapNonceAt)),
    headerDigest: createHash('sha256').update(b).digest(),
  };
}

export function dataRecordsFor(plaintextSize: number, chunkSize: number): number {
  return Math.ceil(plaintextSize / chunkSize);
}

export function ciphertextSizeFor(headerLength: number, chunkSize: number, plaintextSize: number): number {
  return headerLength + plaintextSize + TAG_BYTES * dataRecordsFor(plaintextSize, chunkSize) + TRAILER_BYTES;
}

/** The layout of an object of `ciphertextSize` bytes with this header; BlobDecryptionFailed when no plaintext size fits. */
export function layoutOf(blobKey: string, header: BlobHeader, ciphertextSize: number): BlobLayout {
  const { chunkSize, length: headerLength } = header;
  const body = ciphertextSize - headerLength - TRAILER_BYTES;
  const fullRecords = Math.floor(body / (chunkSize + TAG_BYTES));
  const rest = body - fullRecords * (chunkSize + TAG_BYTES);
  if (body < 0 || (rest > 0 && rest <= TAG_BYTES)) throw new BlobDecryptionFailed(blobKey, 'its size does not fit the format (truncated or extended)');
  const plaintextSize = fullRecords * chunkSize + (rest > 0 ? rest - TAG_BYTES : 0);
  const dataRecords = dataRecordsFor(plaintextSize, chunkSize);
  if (dataRecords >= MAX_RECORDS) throw new BlobDecryptionFailed(blobKey, 'too many records');
  return { headerLength, chunkSize, plaintextSize, dataRecords, ciphertextSize };
}

/** Byte offset of record `index` (a data record, or the trailer when index = n). */
export function recordOffset(layout: BlobLayout, index: number): number {
  return layout.headerLength + index * (layout.chunkSize + TAG_BYTES);
}

/** Plaintext bytes in data record `index`. */
export function recordPlaintextLength(layout: BlobLayout, index: number): number {
  return Math.min(layout.chunkSize, layout.plaintextSize - index * layout.chunkSize);
}

function recordNonce(context: RecordContext, index: number, final: boolean): Buffer {
  return Buffer.concat([context.noncePrefix, u32(index), Buffer.from([final ? 1 : 0])]);
}

function recordAad(context: RecordContext, index: number, final: boolean): Buffer {
  return Buffer.concat([context.headerDigest, u32(index), Buffer.from([final ? 1 : 0])]);
}

/** A record as its two parts, ciphertext and tag (written one after the other). */
export function sealRecordParts(context: RecordContext, index: number, final: boolean, plaintext: Buffer): [Buffer, Buffer] {
  const cipher = createCipheriv('aes-256-gcm', context.dataKey, recordNonce(context, index, final), { authTagLength: TAG_BYTES });
  cipher.setAAD(recordAad(context, index, final));
  const ciphertext = cipher.update(plaintext);
  cipher.final(); // GCM has no buffered bytes left
  return [ciphertext, cipher.getAuthTag()];
}

export function sealRecord(context: RecordContext, index: number, final: boolean, plaintext: Buffer): Buffer {
  return Buffer.concat(sealRecordParts(context, index, final, plaintext));
}

/** The plaintext of a record, released only once its tag verified. */
export function openRecord(blobKey: string, context: RecordContext, index: number, final: boolean, record: Buffer): Buffer {
  if (record.length < TAG_BYTES) throw new BlobDecryptionFailed(blobKey, `record ${index} is truncated`);
  const decipher = createDecipheriv('aes-256-gcm', context.dataKey, recordNonce(context, index, final), { authTagLength: TAG_BYTES });
  decipher.setAAD(recordAad(context, index, final));
  decipher.setAuthTag(record.subarray(record.length - TAG_BYTES));
  try {
    const plaintext = decipher.update(record.subarray(0, record.length - TAG_BYTES));
    decipher.final(); // verifies the tag (GCM returns no further bytes); throws on a mismatch
    return plaintext;
  } catch {
    throw new BlobDecryptionFailed(
      blobKey,
      final
        ? 'the trailer failed authentication (modified, truncated or extended object)'
        : `chunk ${index} failed authentication (modified, moved, truncated, or from another object)`,
    );
  }
}

export function encodeTrailer(size: number, sha256: Buffer): Buffer {
  const b = Buffer.alloc(TRAILER_PLAIN_BYTES);
  b.writeBigUInt64BE(BigInt(size));
  sha256.copy(b, 8);
  return b;
}

export function decodeTrailer(plain: Buffer): { size: number; sha256: string } {
  return { size: Number(plain.readBigUInt64BE(0)), sha256: plain.subarray(8, 40).toString('hex') };
}

/** Takes the first `n` bytes off a queue of buffers (the caller checked that there are enough). */
class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.length += b.length;
  }

  take(n: number): Buffer {
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.parts = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return head;
  }
}

/**
 * Plaintext in, the encrypted object out (header, records, trailer), one chunk in memory at a
 * time. `result()` gives the plaintext's SHA-256 and size once it has flushed.
 */
export class EncryptStream extends Transform {
  private readonly queue = new ByteQueue();
  private readonly hash = createHash('sha256');
  private index = 0;
  private size = 0;
  private headerSent = false;
  private digest?: { sha256: string; size: number };

  constructor(
    private readonly header: Buffer,
    private readonly context: RecordContext,
    private readonly chunkSize: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.sendHeader();
      this.hash.update(chunk);
      this.size += chunk.length;
      this.queue.push(chunk);
      while (this.queue.length >= this.chunkSize) this.sealNext(this.queue.take(this.chunkSize));
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.sendHeader();
      if (this.queue.length > 0) this.sealNext(this.queue.take(this.queue.length));
      const sha = this.hash.digest();
      this.push(sealRecord(this.context, this.index, true, encodeTrailer(this.size, sha)));
      this.digest = { sha256: sha.toString('hex'), size: this.size };
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }

  result(): { sha256: string; size: number } {
    if (!this.digest) throw new Error('EncryptStream.result() called before the body ended');
    return this.digest;
  }

  private sendHeader(): void {
    if (this.headerSent) return;
    this.headerSent = true;
    this.push(this.header);
  }

  private sealNext(plaintext: Buffer): void {
    if (this.index >= MAX_RECORDS - 1) throw new Error('Blob too large for the encrypted format');
    for (const part of sealRecordParts(this.context, this.index, false, plaintext)) this.push(part);
    this.index++;
  }
}

/** The whole encrypted object of an in-memory body. */
export function encryptBuffer(header: Buffer, context: RecordContext, chunkSize: number, body: Buffer): Buffer {
  const parts = [header];
  let index = 0;
  for (let at = 0; at < body.length; at += chunkSize) parts.push(...sealRecordParts(context, index++, false, body.subarray(at, at + chunkSize)));
  parts.push(sealRecord(context, index, true, encodeTrailer(body.length, createHash('sha256').update(body).digest())));
  return Buffer.concat(parts);
}

export interface DecryptOptions {
  blobKey: string;
  context: RecordContext;
  layout: BlobLayout;
  /** First data record in the input (the input starts at its first byte). */
  firstRecord: number;
  /** Last data record in the input, inclusive; firstRecord - 1 when there is none. */
  lastRecord: number;
  /** Whether the input continues with the trailer after lastRecord (then lastRecord must be n - 1). */
  withTrailer: boolean;
  /** Plaintext bytes to emit, absolute offsets, inclusive (empty when end < start). */
  start: number;
  end: number;
  /** Check the trailer's SHA-256 against the emitted records (only when reading every record). */
  verifyDigest: boolean;
}

/**
 * Ciphertext records in (from `firstRecord`, in order), the authenticated plaintext of
 * `start`..`end` out. Fails with BlobDecryptionFailed on any record that does not verify, a
 * missing trailer, a trailer that disagrees with the size (or digest), or bytes after the end.
 */
export class DecryptStream extends Transform {
  private readonly queue = new ByteQueue();
  private readonly hash: ReturnType<typeof createHash> | undefined;
  private index: number;
  private done = false;
  /** Size and SHA-256 the trailer carried, once it has been read. */
  trailer?: { size: number; sha256: string };

  constructor(private readonly o: DecryptOptions) {
    super();
    this.index = o.firstRecord;
    this.hash = o.verifyDigest ? createHash('sha256') : undefined;
    if (o.lastRecord < o.firstRecord && !o.withTrailer) this.done = true;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      if (this.done && chunk.length > 0) throw new BlobDecryptionFailed(this.o.blobKey, 'bytes after the end of the object');
      this.queue.push(chunk);
      for (let need = this.nextRecordBytes(); need > 0 && this.queue.length >= need; need = this.nextRecordBytes()) {
        this.consume(this.queue.take(need));
      }
      if (this.done && this.queue.length > 0) throw new BlobDecryptionFailed(this.o.blobKey, 'bytes after the end of the object');
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (!this.done) {
      callback(new BlobDecryptionFailed(this.o.blobKey, this.index <= this.o.lastRecord ? `truncated in chunk ${this.index}` : 'truncated: the trailer is missing'));
      return;
    }
    callback();
  }

  /** Bytes of the next expected record; 0 when nothing more is expected. */
  private nextRecordBytes(): number {
    if (this.done) return 0;
    if (this.index <= this.o.lastRecord) return recordPlaintextLength(this.o.layout, this.index) + TAG_BYTES;
    return TRAILER_BYTES;
  }

  private consume(record: Buffer): void {
    const { blobKey, context, layout } = this.o;
    if (this.index <= this.o.lastRecord) {
      const plain = openRecord(blobKey, context, this.index, false, record);
      this.hash?.update(plain);
      const at = this.index * layout.chunkSize;
      const from = Math.max(0, this.o.start - at);
      const to = Math.min(plain.length, this.o.end + 1 - at);
      if (to > from) this.push(from === 0 && to === plain.length ? plain : plain.subarray(from, to));
      this.index++;
      if (this.index > this.o.lastRecord && !this.o.withTrailer) this.done = true;
      return;
    }
    const trailer = decodeTrailer(openRecord(blobKey, context, this.index, true, record));
    if (this.index !== layout.dataRecords || trailer.size !== layout.plaintextSize) {
      throw new BlobDecryptionFailed(blobKey, 'the trailer disagrees with the object size (truncated or extended)');
    }
    if (this.hash && this.hash.digest('hex') !== trailer.sha256) {
      throw new BlobDecryptionFailed(blobKey, 'the plaintext SHA-256 differs from the trailer');
    }
    this.trailer = trailer;
    this.done = true;
  }
}

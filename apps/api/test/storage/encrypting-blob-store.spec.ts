import fc from 'fast-check';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { toErrorResponse } from '../../src/common/http/error-body';
import type { MasterKey } from '../../src/config/blob-master-keys';
import { BlobKeyRing } from '../../src/modules/storage/blob-key-ring';
import {
  ciphertextSizeFor,
  createHeader,
  DEFAULT_CHUNK_SIZE,
  EncryptStream,
  MAGIC,
  TAG_BYTES,
  TRAILER_BYTES,
} from '../../src/modules/storage/encrypted-blob-format';
import { EncryptingBlobStore } from '../../src/modules/storage/encrypting-blob-store';
import { BlobDecryptionFailed, BlobMasterKeyUnknown, BlobNotFound } from '../../src/modules/storage/storage.errors';
import { failingStream, readAll } from './blob-store.contract';
import { MemoryBlobStore } from './memory-blob-store';

const C = DEFAULT_CHUNK_SIZE;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const masterKey = (id: string): MasterKey => ({ id, key: randomBytes(32) });
/** The body as a stream of odd-sized pieces. */
const pieces = (body: Buffer, size = 7_919): Readable => {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) parts.push(body.subarray(at, at + size));
  return Readable.from(parts);
};

/** What a stream yields until it ends or fails. */
async function drain(stream: Readable): Promise<{ bytes: Buffer; error?: unknown }> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of stream) parts.push(chunk as Buffer);
    return { bytes: Buffer.concat(parts) };
  } catch (error) {
    return { bytes: Buffer.concat(parts), error };
  }
}

describe('EncryptingBlobStore (format, ranges, tampering, rotation) over an in-memory driver', () => {
  const k1 = masterKey('k1');
  let driver: MemoryBlobStore;
  let store: EncryptingBlobStore;
  const headerLength = 81 + 'k1'.length;

  beforeEach(() => {
    driver = new MemoryBlobStore();
    store = new EncryptingBlobStore(driver, new BlobKeyRing([k1], 'test'));
  });

  const raw = (key: string): Buffer => driver.objects.get(key)!.bytes;
  const setRaw = (key: string, bytes: Buffer): void => {
    driver.objects.set(key, { bytes, contentType: 'application/octet-stream' });
  };

  describe('round trip', () => {
    it.each([
      ['empty', 0],
      ['1 byte', 1],
      ['one chunk - 1', C - 1],
      ['exactly one chunk', C],
      ['one chunk + 1', C + 1],
      ['two chunks', 2 * C],
      ['multi-MB, not chunk-aligned', 5 * 1024 * 1024 + 3],
    ])('%s: stream and Buffer bodies give back the plaintext, its SHA-256 and size; the stored object is the format, not the plaintext', async (_label, size) => {
      const body = randomBytes(size);
      for (const [key, input] of [
        ['rt/stream', pieces(body)],
        ['rt/buffer', body],
      ] as const) {
        const put = await store.put(key, input, { contentType: 'video/webm' });

        expect(put).toEqual({ key, sha256: sha256(body), size });
        const stored = raw(key);
        expect(stored.subarray(0, 8).equals(MAGIC)).toBe(true);
        expect(stored.length).toBe(ciphertextSizeFor(headerLength, C, size));
        if (size >= 32) expect(stored.indexOf(body.subarray(0, 32))).toBe(-1);
        const got = await store.get(key);
        expect(got.size).toBe(size);
        expect(got.contentType).toBe('video/webm');
        expect((await readAll(got.stream)).equals(body)).toBe(true);
        expect(await store.head(key)).toEqual({ key, size, contentType: 'video/webm', sha256: sha256(body) });
      }
    });

    it('two puts of the same bytes store different ciphertexts (fresh data key and nonces per object)', async () => {
      const body = Buffer.from('same engagement letter');
      await store.put('a', body);
      await store.put('b', body);
      expect(raw('a').subarray(8).equals(raw('b').subarray(8))).toBe(false);
    });

    it('put streams: the encryptor hands on whole chunks before the body has ended', () => {
      const { header, context } = createHeader('streaming', k1);
      const encryptor = new EncryptStream(header, context, C);
      encryptor.write(randomBytes(2 * C + 10));
      const out = encryptor.read() as Buffer | null;
      expect(out?.length).toBe(header.length + 2 * (C + TAG_BYTES));
      encryptor.destroy();
    });

    it('a body that fails midway fails the put with its error and stores nothing', async () => {
      await expect(store.put('broken', failingStream(3 * C))).rejects.toThrow('client went away');
      expect(driver.objects.has('broken')).toBe(false);
    });

    it('missing: head → null, get (whole or ranged) → BlobNotFound', async () => {
      expect(await store.head('nothing')).toBeNull();
      await expect(store.get('nothing')).rejects.toBeInstanceOf(BlobNotFound);
      await expect(store.get('nothing', { start: 0, end: 0 })).rejects.toBeInstanceOf(BlobNotFound);
    });
  });

  describe('ranges (plaintext offsets)', () => {
    const size = 3 * C + 100;
    let body: Buffer;
    beforeEach(async () => {
      body = randomBytes(size);
      await store.put('ranged', pieces(body));
    });

    const edges = [0, 1, C - 1, C, C + 1, 2 * C - 1, 2 * C, 2 * C + 1, 3 * C - 1, 3 * C, 3 * C + 1, size - 2, size - 1];
    const pairs = edges.flatMap((start) => edges.filter((end) => end >= start).map((end) => [start, end] as const));

    it(`every range between chunk edges (${pairs.length} ranges) gives exactly those bytes, fetching only the chunks that cover it`, async () => {
      for (const [start, end] of pairs) {
        driver.reads.length = 0;
        const got = await store.get('ranged', { start, end });
        expect(got.size).toBe(size);
        const bytes = await readAll(got.stream);
        expect({ start, end, equal: bytes.equals(body.subarray(start, end + 1)) }).toEqual({ start, end, equal: true });
        // A small read of the header, then the covering records (and the trailer when the range reaches the last chunk).
        const first = Math.floor(start / C);
        const last = Math.floor(end / C);
        const recordAt = (i: number) => headerLength + i * (C + TAG_BYTES);
        const cipherEnd = last === 3 ? raw('ranged').length - 1 : recordAt(last) + C + TAG_BYTES - 1;
        expect(driver.reads.map((r) => r.range)).toEqual([
          { start: 0, end: 144 },
          { start: recordAt(first), end: cipherEnd },
        ]);
      }
    });

    it('random ranges of random-sized objects (fast-check)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 * C + 3 }).chain((n) => fc.tuple(fc.constant(n), fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 }))),
          async ([n, a, b]) => {
            const data = randomBytes(n);
            await store.put('random', data);
            const [start, end] = a <= b ? [a, b] : [b, a];
            const got = await store.get('random', { start, end });
            expect(got.size).toBe(n);
            expect((await readAll(got.stream)).equals(data.subarray(start, end + 1))).toBe(true);
          },
        ),
        { numRuns: 150 },
      );
    });

    it.each([
      ['past the end', { start: 10, end: size }],
      ['starting at the size', { start: size, end: size }],
      ['start after end', { start: 50, end: 10 }],
      ['negative start', { start: -1, end: 10 }],
      ['fractional', { start: 0.5, end: 10 }],
    ])('refuses a range %s with BLOB_RANGE_NOT_SATISFIABLE (416), judged on the plaintext size', async (_label, range) => {
      await expect(store.get('ranged', range)).rejects.toMatchObject({ code: 'BLOB_RANGE_NOT_SATISFIABLE', status: 416 });
    });

    it('the ciphertext is longer than the plaintext: a range inside the ciphertext but past the plaintext is refused', async () => {
      expect(raw('ranged').length).toBeGreaterThan(size + 100);
      await expect(store.get('ranged', { start: size, end: size + 50 })).rejects.toMatchObject({ code: 'BLOB_RANGE_NOT_SATISFIABLE' });
    });

    it('an empty object (stored smaller than the longest header) reads, heads, and has no satisfiable range; a tiny one serves its ranges', async () => {
      await store.put('empty', Buffer.alloc(0));
      expect(raw('empty').length).toBeLessThan(145);
      expect((await readAll((await store.get('empty')).stream)).length).toBe(0);
      expect(await store.head('empty')).toEqual({ key: 'empty', size: 0, contentType: 'application/octet-stream', sha256: sha256(Buffer.alloc(0)) });
      await expect(store.get('empty', { start: 0, end: 0 })).rejects.toMatchObject({ code: 'BLOB_RANGE_NOT_SATISFIABLE' });
      await store.put('tiny', Buffer.from('abc'));
      expect((await readAll((await store.get('tiny', { start: 1, end: 2 })).stream)).toString()).toBe('bc');
      await expect(store.get('tiny', { start: 1, end: 3 })).rejects.toMatchObject({ code: 'BLOB_RANGE_NOT_SATISFIABLE' });
    });
  });

  describe('tampering is a clear error, never garbage', () => {
    const size = 3 * C + 100;
    let body: Buffer;
    let stored: Buffer;
    const recordAt = (i: number) => headerLength + i * (C + TAG_BYTES);
    beforeEach(async () => {
      body = randomBytes(size);
      await store.put('evidence/recording.webm', body);
      stored = Buffer.from(raw('evidence/recording.webm'));
    });
    const withRaw = (bytes: Buffer) => setRaw('evidence/recording.webm', bytes);
    const flipped = (at: number) => {
      const copy = Buffer.from(stored);
      copy[at] = copy[at]! ^ 0x01;
      return copy;
    };
    const refusesEverywhere = async () => {
      const whole = await store
        .get('evidence/recording.webm')
        .then((c) => drain(c.stream))
        .catch((error: unknown) => ({ bytes: Buffer.alloc(0), error }));
      expect(whole.error).toBeInstanceOf(Error);
      expect(whole.error instanceof BlobDecryptionFailed || whole.error instanceof BlobMasterKeyUnknown).toBe(true);
      // Only whole authenticated chunks of the original came out before the failure.
      expect(whole.bytes.length % C === 0 || whole.bytes.length === size).toBe(true);
      expect(whole.bytes.equals(body.subarray(0, whole.bytes.length))).toBe(true);
      return whole;
    };

    it('a flipped bit anywhere in the header (magic, version, key id, chunk size, nonce prefix, wrapped key, tag) fails before any byte is served', async () => {
      for (let at = 0; at < headerLength; at++) {
        withRaw(flipped(at));
        await expect(store.get('evidence/recording.webm')).rejects.toThrow(/failed its integrity check|not in the key ring/);
        await expect(store.get('evidence/recording.webm', { start: 5, end: 10 })).rejects.toThrow(/failed its integrity check|not in the key ring/);
        await expect(store.head('evidence/recording.webm')).rejects.toThrow(/failed its integrity check|not in the key ring/);
      }
    });

    it.each([
      ['the first chunk', 0],
      ['a middle chunk', 1],
      ['the last chunk', 3],
    ])('a flipped bit in %s: whole reads stop at that chunk, ranged reads of it fail, other ranges still verify', async (_label, i) => {
      withRaw(flipped(recordAt(i) + 17));
      const whole = await refusesEverywhere();
      // Chunks before it may come out (each verified); nothing of or after it.
      expect(whole.bytes.length).toBeLessThanOrEqual(i * C);
      expect(String(whole.error)).toContain(`chunk ${i} failed authentication`);
      const ranged = await drain((await store.get('evidence/recording.webm', { start: i * C + 3, end: i * C + 5 })).stream);
      expect(ranged.error).toBeInstanceOf(BlobDecryptionFailed);
      expect(ranged.bytes.length).toBe(0);
      const other = i === 0 ? 2 : 0;
      expect((await readAll((await store.get('evidence/recording.webm', { start: other * C, end: other * C + 9 })).stream)).equals(body.subarray(other * C, other * C + 10))).toBe(true);
    });

    it('a flipped bit in a tag or in the trailer', async () => {
      withRaw(flipped(recordAt(1) + C + 3)); // chunk 1's tag
      await refusesEverywhere();
      withRaw(flipped(stored.length - 20)); // the trailer
      const whole = await refusesEverywhere();
      expect(whole.bytes.length).toBeLessThanOrEqual(size); // every data chunk verified, the end did not
      expect(String(whole.error)).toContain('trailer');
      await expect(store.head('evidence/recording.webm')).rejects.toBeInstanceOf(BlobDecryptionFailed);
      const lastRange = await drain((await store.get('evidence/recording.webm', { start: size - 5, end: size - 1 })).stream);
      expect(lastRange.error).toBeInstanceOf(BlobDecryptionFailed);
    });

    it.each([
      ['by one byte', 1],
      ['by the trailer', TRAILER_BYTES],
      ['by the trailer and the last chunk', TRAILER_BYTES + 100 + TAG_BYTES],
      ['by the trailer and the last two chunks', TRAILER_BYTES + 100 + TAG_BYTES + C + TAG_BYTES],
    ])('truncated %s', async (_label, cut) => {
      withRaw(stored.subarray(0, stored.length - cut));
      await refusesEverywhere();
      await expect(store.head('evidence/recording.webm')).rejects.toBeInstanceOf(BlobDecryptionFailed);
    });

    it('truncated inside the header, or inside the magic: refused, not served as plaintext', async () => {
      for (const length of [3, 8, 40, headerLength - 1, headerLength]) {
        withRaw(stored.subarray(0, length));
        await expect(store.get('evidence/recording.webm').then((c) => readAll(c.stream))).rejects.toBeInstanceOf(BlobDecryptionFailed);
      }
    });

    it('extended by bytes after the trailer, or a whole duplicated record', async () => {
      withRaw(Buffer.concat([stored, Buffer.from('appended')]));
      await refusesEverywhere();
      withRaw(Buffer.concat([stored.subarray(0, recordAt(1)), stored.subarray(recordAt(0), recordAt(1)), stored.subarray(recordAt(1))]));
      await refusesEverywhere();
    });

    it('two chunks swapped', async () => {
      const swapped = Buffer.concat([stored.subarray(0, recordAt(0)), stored.subarray(recordAt(1), recordAt(2)), stored.subarray(recordAt(0), recordAt(1)), stored.subarray(recordAt(2))]);
      withRaw(swapped);
      const whole = await refusesEverywhere();
      expect(whole.bytes.length).toBe(0);
    });

    it('a chunk taken from another object at the same position', async () => {
      await store.put('evidence/other.webm', randomBytes(size));
      const other = raw('evidence/other.webm');
      withRaw(Buffer.concat([stored.subarray(0, recordAt(1)), other.subarray(recordAt(1), recordAt(2)), stored.subarray(recordAt(2))]));
      const whole = await refusesEverywhere();
      expect(whole.bytes.length).toBeLessThanOrEqual(C);
      expect(String(whole.error)).toContain('chunk 1 failed authentication');
    });

    it('an object copied under another blob key is refused there (the key is bound into the wrapped data key)', async () => {
      setRaw('evidence/copy.webm', stored);
      await expect(store.get('evidence/copy.webm')).rejects.toThrow(/written under another blob key/);
      await expect(store.head('evidence/copy.webm')).rejects.toBeInstanceOf(BlobDecryptionFailed);
      expect((await readAll((await store.get('evidence/recording.webm')).stream)).equals(body)).toBe(true);
    });

    it('the errors become a generic 500 at the HTTP layer: no blob key, reason or byte reaches a client', () => {
      for (const error of [new BlobDecryptionFailed('contracts/secret.pdf', 'chunk 3 failed'), new BlobMasterKeyUnknown('contracts/secret.pdf', 'old')]) {
        const { body, isServerError } = toErrorResponse(error, { requestId: 'r1', method: 'GET', path: '/x' });
        expect(isServerError).toBe(true);
        expect(body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', requestId: 'r1' });
      }
    });
  });

  describe('master key ring', () => {
    it('rotation: objects written before read with the old key, new ones carry the new key id; a ring without a key names it', async () => {
      await store.put('before', Buffer.from('written under k1'));
      const k2 = masterKey('k2-2026');
      const rotated = new EncryptingBlobStore(driver, new BlobKeyRing([k2, k1], 'test'));
      await rotated.put('after', Buffer.from('written under k2'));

      const keyIdOf = (key: string) => raw(key).subarray(10, 10 + raw(key)[9]!).toString('latin1');
      expect(keyIdOf('before')).toBe('k1');
      expect(keyIdOf('after')).toBe('k2-2026');
      for (const [key, text] of [
        ['before', 'written under k1'],
        ['after', 'written under k2'],
      ]) {
        expect((await readAll((await rotated.get(key!)).stream)).toString()).toBe(text);
        expect((await rotated.head(key!))?.sha256).toBe(sha256(Buffer.from(text!)));
      }

      const onlyK2 = new EncryptingBlobStore(driver, new BlobKeyRing([k2], 'test'));
      await expect(onlyK2.get('before')).rejects.toBeInstanceOf(BlobMasterKeyUnknown);
      await expect(onlyK2.get('before')).rejects.toThrow('master key "k1", which is not in the key ring');
      await expect(onlyK2.head('before')).rejects.toBeInstanceOf(BlobMasterKeyUnknown);
    });

    it('a different key under the same id does not decrypt (a clear error, not garbage)', async () => {
      await store.put('x', Buffer.from('secret'));
      const impostor = new EncryptingBlobStore(driver, new BlobKeyRing([masterKey('k1')], 'test'));
      await expect(impostor.get('x')).rejects.toBeInstanceOf(BlobDecryptionFailed);
    });
  });

  describe('legacy plaintext objects (stored before encryption at rest)', () => {
    it('are read as they are, whole, ranged and by head', async () => {
      const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200_000)]);
      await driver.put('legacy/contract.pdf', pdf, { contentType: 'application/pdf' });
      const tiny = Buffer.from('ok');
      await driver.put('legacy/tiny.txt', tiny);

      const got = await store.get('legacy/contract.pdf');
      expect(got.size).toBe(pdf.length);
      expect((await readAll(got.stream)).equals(pdf)).toBe(true);
      expect((await readAll((await store.get('legacy/contract.pdf', { start: 70_000, end: 150_000 })).stream)).equals(pdf.subarray(70_000, 150_001))).toBe(true);
      expect(await store.head('legacy/contract.pdf')).toEqual({ key: 'legacy/contract.pdf', size: pdf.length, contentType: 'application/pdf', sha256: sha256(pdf) });
      expect((await readAll((await store.get('legacy/tiny.txt')).stream)).equals(tiny)).toBe(true);
      expect((await readAll((await store.get('legacy/tiny.txt', { start: 1, end: 1 })).stream)).toString()).toBe('k');
      expect((await store.head('legacy/tiny.txt'))?.sha256).toBe(sha256(tiny));
    });

    it('are rewritten encrypted by the next put', async () => {
      await driver.put('legacy/x', Buffer.from('plain'));
      await store.put('legacy/x', Buffer.from('now encrypted'));
      expect(raw('legacy/x').subarray(0, 8).equals(MAGIC)).toBe(true);
    });
  });
});

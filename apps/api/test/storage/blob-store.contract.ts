import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobStore, DEFAULT_BLOB_CONTENT_TYPE } from '../../src/modules/storage/blob-store';
import { BlobNotFound } from '../../src/modules/storage/storage.errors';

export interface BlobStoreFixture {
  store: BlobStore;
  cleanup(): Promise<void>;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Deterministic pseudo-random bytes (AES-256-CTR keystream of `seed`), generated chunk by
 * chunk so that multi-megabyte bodies never exist whole in memory. Chunks have an odd size so
 * they straddle multipart part boundaries.
 */
export function pseudoRandomStream(totalBytes: number, seed: string, chunkBytes = 64 * 1024 + 7): Readable {
  const cipher = createCipheriv('aes-256-ctr', createHash('sha256').update(seed).digest(), Buffer.alloc(16));
  const zeros = Buffer.alloc(chunkBytes);
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < totalBytes; sent += chunkBytes) {
        yield cipher.update(zeros.subarray(0, Math.min(chunkBytes, totalBytes - sent)));
      }
    })(),
  );
}

/** SHA-256 and size of everything a stream yields, consuming it chunk by chunk. */
export async function digestOf(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A body that yields `bytesBeforeFailure` bytes and then fails, like a client that went away. */
export function failingStream(bytesBeforeFailure: number): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.alloc(bytesBeforeFailure, 1);
      throw new Error('client went away');
    })(),
  );
}

/**
 * The behaviour every BlobStore driver must have, run once per driver against a real backend.
 * Every test writes under its own random prefix, so tests neither share data nor depend on
 * their order.
 */
export interface ContractOptions {
  /**
   * Whether the server behind the store replaces an object atomically (real S3, MinIO, our
   * filesystem driver). s3rver does not: its filesystem store streams the bytes into the
   * object's file in place and writes the metadata afterwards, so concurrent writes of one
   * key interleave inside the test double itself. On such a server the concurrent-same-key
   * case cannot say anything about the driver and is not registered.
   */
  atomicOverwrite: boolean;
}

export function describeBlobStoreContract(
  name: string,
  factory: () => Promise<BlobStoreFixture>,
  options: ContractOptions = { atomicOverwrite: true },
): void {
  describe(`BlobStore contract: ${name}`, () => {
    let fixture: BlobStoreFixture | undefined;
    const store = (): BlobStore => {
      if (!fixture) throw new Error('fixture not started');
      return fixture.store;
    };
    const key = (name: string): string => `contract/${randomUUID()}/${name}`;

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('round-trips a small buffer with its hash, size and content type', async () => {
      const k = key('letter.txt');
      const body = Buffer.from('Engagement letter, version 1\n');

      const put = await store().put(k, body, { contentType: 'text/plain' });

      expect(put).toEqual({ key: k, sha256: sha256Hex(body), size: body.length });
      const got = await store().get(k);
      expect(got.size).toBe(body.length);
      expect(got.contentType).toBe('text/plain');
      expect((await readAll(got.stream)).equals(body)).toBe(true);
    });

    it('streams an 8 MiB body in and out intact: hashes match an independent SHA-256 of the bytes', async () => {
      const k = key('recording.webm');
      const size = 8 * 1024 * 1024 + 12_345;
      const expected = await digestOf(pseudoRandomStream(size, k));

      const put = await store().put(k, pseudoRandomStream(size, k), { contentType: 'video/webm' });

      expect(put).toEqual({ key: k, ...expected });
      const got = await store().get(k);
      expect(got.size).toBe(size);
      expect(await digestOf(got.stream)).toEqual(expected);
      expect(await store().head(k)).toEqual({ key: k, size, contentType: 'video/webm', sha256: expected.sha256 });
    });

    it('head reports size, content type and SHA-256, defaulting the content type', async () => {
      const typed = key('contract.pdf');
      const untyped = key('blob.bin');
      const body = randomBytes(3000);
      await store().put(typed, body, { contentType: 'application/pdf' });
      await store().put(untyped, Readable.from([body]));

      expect(await store().head(typed)).toEqual({
        key: typed,
        size: 3000,
        contentType: 'application/pdf',
        sha256: sha256Hex(body),
      });
      expect(await store().head(untyped)).toEqual({
        key: untyped,
        size: 3000,
        contentType: DEFAULT_BLOB_CONTENT_TYPE,
        sha256: sha256Hex(body),
      });
    });

    it('stores an empty body', async () => {
      const k = key('empty');
      const put = await store().put(k, Buffer.alloc(0));
      expect(put).toEqual({ key: k, sha256: sha256Hex(Buffer.alloc(0)), size: 0 });
      expect((await readAll((await store().get(k)).stream)).length).toBe(0);
    });

    it('reports a missing blob: head → null, get → BlobNotFound', async () => {
      const k = key('never-written');
      expect(await store().head(k)).toBeNull();
      await expect(store().get(k)).rejects.toBeInstanceOf(BlobNotFound);
      await expect(store().get(k)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND', status: 404 });
    });

    it('deletes idempotently', async () => {
      const k = key('delete-me');
      await store().put(k, Buffer.from('to be removed'));

      await store().delete(k);

      expect(await store().head(k)).toBeNull();
      await expect(store().get(k)).rejects.toBeInstanceOf(BlobNotFound);
      await expect(store().delete(k)).resolves.toBeUndefined();
      await expect(store().delete(key('never-written'))).resolves.toBeUndefined();
    });

    it.each([
      ['empty', ''],
      ['leading parent segment', '../x'],
      ['leading slash', '/abs'],
      ['escaping parent segments', 'a/../../b'],
      ['trailing parent segment', 'a/..'],
      ['current-directory segment', 'a/./b'],
      ['empty segment', 'a//b'],
      ['trailing slash', 'a/'],
      ['space', 'a b'],
      ['backslash', 'a\\b'],
      ['513 characters', 'x'.repeat(513)],
    ])('rejects a key with %s (BLOB_KEY_INVALID) in every operation', async (_label, bad) => {
      const invalid = { code: 'BLOB_KEY_INVALID', status: 400 };
      await expect(store().put(bad, Buffer.from('x'))).rejects.toMatchObject(invalid);
      await expect(store().get(bad)).rejects.toMatchObject(invalid);
      await expect(store().head(bad)).rejects.toMatchObject(invalid);
      await expect(store().delete(bad)).rejects.toMatchObject(invalid);
    });

    it('accepts a key of exactly 512 characters', async () => {
      // Short segments: some servers (s3rver) map key segments to file names.
      const k = `${key('')}${'abcdefghi/'.repeat(60)}`.slice(0, 511) + 'z';
      expect(k).toHaveLength(512);
      await store().put(k, Buffer.from('long key'));
      expect((await store().head(k))?.size).toBe(8);
    });

    it('overwrite replaces content, hash and content type', async () => {
      const k = key('draft.txt');
      await store().put(k, Readable.from([Buffer.from('first draft')]), { contentType: 'text/plain' });
      const second = Buffer.from('second, longer draft');

      const put = await store().put(k, second, { contentType: 'text/markdown' });

      expect(put.sha256).toBe(sha256Hex(second));
      expect((await readAll((await store().get(k)).stream)).toString()).toBe('second, longer draft');
      expect(await store().head(k)).toEqual({ key: k, size: second.length, contentType: 'text/markdown', sha256: put.sha256 });
    });

    it('keeps the previous blob when a put fails midway, and creates nothing for a new key', async () => {
      const existing = key('kept');
      const fresh = key('fresh');
      const original = Buffer.from('original content');
      await store().put(existing, original);

      await expect(store().put(existing, failingStream(100_000))).rejects.toThrow('client went away');
      await expect(store().put(fresh, failingStream(100_000))).rejects.toThrow('client went away');

      expect((await readAll((await store().get(existing)).stream)).equals(original)).toBe(true);
      expect((await store().head(existing))?.sha256).toBe(sha256Hex(original));
      expect(await store().head(fresh)).toBeNull();
    });

    it('keeps `a` and `a/b` as independent blobs (S3 semantics)', async () => {
      const parent = key('folder');
      await store().put(parent, Buffer.from('parent'));
      await store().put(`${parent}/child`, Buffer.from('child'));

      expect((await readAll((await store().get(parent)).stream)).toString()).toBe('parent');
      expect((await readAll((await store().get(`${parent}/child`)).stream)).toString()).toBe('child');
    });

    it('handles concurrent puts of different keys', async () => {
      const entries = Array.from({ length: 12 }, (_, i) => ({ k: key(`file-${i}`), body: randomBytes(50_000 + i * 1_001) }));

      const results = await Promise.all(
        entries.map(({ k, body }, i) => store().put(k, i % 2 ? body : Readable.from([body.subarray(0, 7), body.subarray(7)]))),
      );

      expect(results).toEqual(entries.map(({ k, body }) => ({ key: k, sha256: sha256Hex(body), size: body.length })));
      for (const { k, body } of entries) {
        expect((await readAll((await store().get(k)).stream)).equals(body)).toBe(true);
      }
    });

    if (options.atomicOverwrite) {
      it('concurrent puts of one key leave one of the bodies, with its own hash', async () => {
        const k = key('contended');
        const bodies = Array.from({ length: 6 }, () => randomBytes(20_000));

        await Promise.all(bodies.map((body, i) => store().put(k, i % 2 ? body : Readable.from([body]))));

        const stored = await readAll((await store().get(k)).stream);
        expect(bodies.some((b) => b.equals(stored))).toBe(true);
        expect((await store().head(k))?.sha256).toBe(sha256Hex(stored));
      });
    }

    it('reads a byte range (inclusive ends): first byte, middle, last byte, whole blob; size is the whole blob', async () => {
      const k = key('ranged.webm');
      const body = randomBytes(300_000);
      await store().put(k, body, { contentType: 'video/webm' });

      for (const [start, end] of [
        [0, 0],
        [1_000, 199_999],
        [299_999, 299_999],
        [0, 299_999],
      ] as const) {
        const got = await store().get(k, { start, end });
        expect(got.size).toBe(300_000);
        expect(got.contentType).toBe('video/webm');
        expect((await readAll(got.stream)).equals(body.subarray(start, end + 1))).toBe(true);
      }
    });

    it('streams a range of a multi-megabyte blob without reading the rest', async () => {
      const k = key('big-ranged.bin');
      const size = 6 * 1024 * 1024 + 3;
      await store().put(k, pseudoRandomStream(size, k));
      const whole = await readAll(pseudoRandomStream(size, k));

      const got = await store().get(k, { start: 5 * 1024 * 1024, end: size - 1 });

      expect(got.size).toBe(size);
      expect(await digestOf(got.stream)).toEqual({ sha256: sha256Hex(whole.subarray(5 * 1024 * 1024)), size: size - 5 * 1024 * 1024 });
    });

    it.each([
      ['past the end', { start: 10, end: 100 }],
      ['starting at the size', { start: 100, end: 100 }],
      ['start after end', { start: 50, end: 10 }],
      ['negative start', { start: -1, end: 10 }],
      ['fractional', { start: 0.5, end: 10 }],
    ])('refuses a range %s with BLOB_RANGE_NOT_SATISFIABLE (416)', async (_label, range) => {
      const k = key('short.bin');
      await store().put(k, randomBytes(100));
      await expect(store().get(k, range)).rejects.toMatchObject({ code: 'BLOB_RANGE_NOT_SATISFIABLE', status: 416 });
    });

    it('a ranged read of a missing blob is BlobNotFound', async () => {
      await expect(store().get(key('never-written'), { start: 0, end: 0 })).rejects.toBeInstanceOf(BlobNotFound);
    });

    it('answers ping', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });
  });
}

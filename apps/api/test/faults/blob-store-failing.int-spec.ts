import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { BlobStore } from '../../src/modules/storage/blob-store';
import { EncryptingBlobStore } from '../../src/modules/storage/encrypting-blob-store';
import { createTestApp, type TestApp } from '../setup/test-app';
import { complete, joinedCall, putChunk, sha256Hex, startUpload } from '../video/recording-fixtures';
import { rowCounts } from './fault-support';

const TABLES = ['recordings', 'recording_chunks', 'audit_events', 'pgboss.job'] as const;

/** Every file (data, metadata, temporary) under the filesystem driver's root; its fan-out directories stay. */
async function blobFiles(t: TestApp): Promise<string[]> {
  const entries = await readdir(t.config.blobFsRoot, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name)).sort();
}

/**
 * Issue 18, faults: the blob store fails in the middle of storing an object. The real driver
 * (filesystem, under the encrypting store) receives part of the bytes, then the write fails as
 * a broken disk would (EIO). The client gets 503 STORAGE_UNAVAILABLE, no row references the
 * object, no file of it is left, and the same request again succeeds.
 */
describe('the blob store failing mid-upload', () => {
  let t: TestApp;
  let driver: BlobStore;

  beforeAll(async () => {
    t = await createTestApp({ VIDEO_RECORDING_CHUNK_MAX_BYTES: String(512 * 1024) });
    driver = (t.app.get(BlobStore) as EncryptingBlobStore).inner;
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /** The driver's next put writes `bytes` of what it is given, then fails with EIO. */
  const failNextPutAfter = (bytes: number) => {
    const real = driver.put.bind(driver);
    jest.spyOn(driver, 'put').mockImplementationOnce(async (key, body, opts) => {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      const broken = Readable.from(
        (async function* () {
          let written = 0;
          for await (const chunk of source) {
            const b = chunk as Buffer;
            const room = bytes - written;
            if (b.length >= room) {
              yield b.subarray(0, room);
              throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
            }
            written += b.length;
            yield b;
          }
          throw Object.assign(new Error('EIO: i/o error, close'), { code: 'EIO' });
        })(),
      );
      return real(key, broken, opts);
    });
  };

  it('a recording chunk: 503, no chunk row and no file; the same chunk again is stored', async () => {
    const call = await joinedCall(t);
    const uploadId = await startUpload(t, call, call.client);
    const bytes = randomBytes(300 * 1024);
    const before = await rowCounts(t, TABLES);
    const filesBefore = await blobFiles(t);

    failNextPutAfter(100 * 1024);
    const res = await putChunk(t, call, call.client, uploadId, 0, bytes);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    expect(await rowCounts(t, TABLES)).toEqual(before);
    expect(await blobFiles(t)).toEqual(filesBefore);

    const ok = await putChunk(t, call, call.client, uploadId, 0, bytes).expect(200);
    expect(ok.body).toEqual({ index: 0, size: bytes.length, sha256: sha256Hex(bytes) });
    expect(await rowCounts(t, TABLES)).toEqual({ ...before, recording_chunks: before.recording_chunks + 1 });
    expect((await blobFiles(t)).length).toBeGreaterThan(filesBefore.length);
  });

  it('sealing the whole recording: 503, the recording stays uploading with no stored file; completing again seals it', async () => {
    const call = await joinedCall(t);
    const uploadId = await startUpload(t, call, call.client);
    const file = randomBytes(600 * 1024);
    const parts = [file.subarray(0, 300 * 1024), file.subarray(300 * 1024)];
    for (const [i, p] of parts.entries()) await putChunk(t, call, call.client, uploadId, i, p).expect(200);
    const before = await rowCounts(t, TABLES);
    const filesBefore = await blobFiles(t);
    const recording = async () =>
      (await t.app.get(DataSource).query('SELECT status, blob_key, sha256 FROM recordings WHERE id = $1', [uploadId]))[0] as {
        status: string;
        blob_key: string | null;
        sha256: string | null;
      };

    failNextPutAfter(200 * 1024);
    const res = await complete(t, call, call.client, uploadId, 2);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    expect(await rowCounts(t, TABLES)).toEqual(before);
    expect(await blobFiles(t)).toEqual(filesBefore);
    const failed = await recording();
    expect(failed.blob_key).toBeNull();
    expect(failed.status).not.toBe('available');

    const done = await complete(t, call, call.client, uploadId, 2).expect(200);
    expect(done.body).toMatchObject({ status: 'available', sizeBytes: file.length, sha256: sha256Hex(file) });
    const sealed = await recording();
    expect(await t.app.get(BlobStore).head(sealed.blob_key!)).toMatchObject({ size: file.length, sha256: sha256Hex(file) });
  });
});

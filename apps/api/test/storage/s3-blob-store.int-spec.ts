import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { S3_UPLOAD_PREFIX, S3BlobStore, s3ClientConfig } from '../../src/modules/storage/s3-blob-store';
import { describeBlobStoreContract, digestOf, failingStream, pseudoRandomStream } from './blob-store.contract';
import { FakeS3, startFakeS3 } from './fake-s3';

describeBlobStoreContract(
  'S3 driver (s3rver)',
  async () => {
    const s3 = await startFakeS3();
    const bucket = 'contract-blobs';
    await s3.createBucket(bucket);
    const store = new S3BlobStore(s3.config(bucket));
    return {
      store,
      cleanup: async () => {
        store.onModuleDestroy();
        await s3.stop();
      },
    };
  },
  { atomicOverwrite: false /* s3rver writes bytes and metadata non-atomically; see ContractOptions */ },
);

describe('S3BlobStore against s3rver', () => {
  const bucket = 'driver-blobs';
  let s3: FakeS3;
  let store: S3BlobStore;
  let raw: S3Client;

  beforeAll(async () => {
    s3 = await startFakeS3();
    await s3.createBucket(bucket);
    store = new S3BlobStore(s3.config(bucket));
    raw = new S3Client(s3ClientConfig(s3.config(bucket)));
  });
  afterAll(async () => {
    store?.onModuleDestroy();
    raw?.destroy();
    await s3?.stop();
  });

  const uploadsInFlight = async (): Promise<number> =>
    (await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: S3_UPLOAD_PREFIX }))).KeyCount ?? 0;

  it('stores the SHA-256 as x-amz-meta-sha256 and removes the temporary upload of a streamed put', async () => {
    const key = `meta/${randomUUID()}`;
    const put = await store.put(key, pseudoRandomStream(6 * 1024 * 1024, key), { contentType: 'application/pdf' });

    const head = await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.Metadata).toEqual({ sha256: put.sha256 });
    expect(head.ContentType).toBe('application/pdf');
    expect(await uploadsInFlight()).toBe(0);
  });

  it('leaves no temporary upload when the body fails', async () => {
    await expect(store.put(`broken/${randomUUID()}`, failingStream(6 * 1024 * 1024))).rejects.toThrow('client went away');
    expect(await uploadsInFlight()).toBe(0);
  });

  it('fails ping when the bucket does not exist', async () => {
    const elsewhere = new S3BlobStore(s3.config('no-such-bucket'));
    try {
      await expect(elsewhere.ping()).rejects.toThrow();
    } finally {
      elsewhere.onModuleDestroy();
    }
  });

  /**
   * Why the driver sets requestChecksumCalculation WHEN_REQUIRED. With the SDK default a
   * PutObject with a stream body goes out aws-chunked with a CRC trailer; s3rver keeps the chunk
   * framing as object bytes. The same SHA-256 comparison the contract makes tells the two apart.
   */
  it.each([
    ['WHEN_SUPPORTED', 'corrupts', false],
    ['WHEN_REQUIRED', 'keeps', true],
  ] as const)('a streamed PutObject with requestChecksumCalculation=%s %s the stored bytes', async (mode, _verb, intact) => {
    const key = `trap/${mode}`;
    const size = 1024 * 1024 + 3;
    const expected = await digestOf(pseudoRandomStream(size, key));
    const client = new S3Client({ ...s3ClientConfig(s3.config(bucket)), requestChecksumCalculation: mode });
    try {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: pseudoRandomStream(size, key), ContentLength: size }),
      );
    } finally {
      client.destroy();
    }

    const stored = await digestOf((await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body as Readable);

    expect(stored.sha256 === expected.sha256).toBe(intact);
    if (!intact) expect(stored.size).toBeGreaterThan(expected.size); // the chunk framing
  });
});

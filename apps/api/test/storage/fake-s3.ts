import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
// s3rver: an S3-compatible HTTP server (filesystem-backed), spoken to through the real SDK.
import S3rver from 's3rver';
import { AppConfig } from '../../src/config/app-config';
import { s3ClientConfig } from '../../src/modules/storage/s3-blob-store';

export interface FakeS3 {
  endpoint: string;
  /** An AppConfig selecting the S3 driver on this server, for `bucket`. */
  config(bucket: string): AppConfig;
  /** Creates a bucket the way an operator would, through the SDK. */
  createBucket(bucket: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 on a free port, storing into a fresh temporary directory. */
export async function startFakeS3(): Promise<FakeS3> {
  const directory = await mkdtemp(join(tmpdir(), 'lm-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  writeObjectsDurably(server);
  readRangesEndingAtZero(server);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const config = (bucket: string): AppConfig =>
    Object.assign(new AppConfig(), {
      BLOB_DRIVER: 's3',
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      // s3rver checks signatures against this fixed key pair.
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: true,
    } satisfies Partial<AppConfig>);
  return {
    endpoint,
    config,
    createBucket: async (bucket) => {
      const client = new S3Client(s3ClientConfig(config(bucket)));
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
      } finally {
        client.destroy();
      }
    },
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: { bucket: string; key: string; content: Buffer | Readable; metadata: unknown }): Promise<{ size: number; md5: string }>;
  getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<S3rverObject | null>;
}

interface S3rverObject {
  content: Readable | null;
  range?: { start: number; end: number };
}

/**
 * s3rver 3.7 (unmaintained since 2021) answers a PutObject before the object's file is
 * written: it resolves on `writeStream.end(buffer)` and on its checksum transform's 'finish',
 * not on the file stream's. A GET right after an overwrite then reads a truncated or empty file
 * on a busy machine (seen as `""` in the overwrite test of the contract suite). Real S3 is
 * read-after-write consistent, so the stand-in is made so: the same store method, waiting
 * until the file is on disk.
 */
function writeObjectsDurably(server: S3rver): void {
  const store = (server as unknown as { store: S3rverStore }).store;
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const md5 = createHash('md5');
    let size = 0;
    const source: Readable | Buffer[] = Buffer.isBuffer(object.content) ? [object.content] : object.content;
    await pipeline(
      source,
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          md5.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      }),
      createWriteStream(objectPath),
    );
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}

/**
 * s3rver 3.7 reads `Range: bytes=N-0` as "to the end" (`options.end || Infinity`), so the
 * one-byte range `bytes=0-0` returns the whole object. Real S3 returns one byte; the stand-in
 * is made to, by reopening the object's file for exactly that range.
 */
function readRangesEndingAtZero(server: S3rver): void {
  const store = (server as unknown as { store: S3rverStore }).store;
  const original = store.getObject.bind(store);
  store.getObject = async (bucket, key, options) => {
    const object = await original(bucket, key, options);
    if (object?.content && object.range && options?.end === 0 && options.start === 0) {
      (object.content as Readable).destroy();
      object.content = createReadStream(store.getResourcePath(bucket, key, 'object'), { start: 0, end: 0 });
      object.range = { start: 0, end: 0 };
    }
    return object;
  };
}

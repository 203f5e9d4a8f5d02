import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

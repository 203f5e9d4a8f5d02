import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../src/config/app-config';
import { BlobKeyRing } from '../../src/modules/storage/blob-key-ring';
import { EncryptingBlobStore } from '../../src/modules/storage/encrypting-blob-store';
import { FsBlobStore } from '../../src/modules/storage/fs-blob-store';
import { S3BlobStore } from '../../src/modules/storage/s3-blob-store';
import { describeBlobStoreContract } from './blob-store.contract';
import { startFakeS3 } from './fake-s3';

/**
 * Issue 16 (encryption at rest): what the app actually stores through — the encrypting decorator
 * — keeps the whole BlobStore contract over both real drivers: the plaintext's hash and size,
 * ranges in plaintext offsets with the drivers' 416 rules, atomic overwrites, failed puts.
 */
const ring = () => new BlobKeyRing([{ id: 'contract-k1', key: randomBytes(32) }], 'test');

describeBlobStoreContract('encrypting decorator over the filesystem driver', async () => {
  const root = await mkdtemp(join(tmpdir(), 'lm-enc-blobs-'));
  const config = Object.assign(new AppConfig(), { BLOB_DRIVER: 'fs', BLOB_FS_ROOT: root } satisfies Partial<AppConfig>);
  return { store: new EncryptingBlobStore(new FsBlobStore(config), ring()), cleanup: () => rm(root, { recursive: true, force: true }) };
});

describeBlobStoreContract(
  'encrypting decorator over the S3 driver (s3rver)',
  async () => {
    const s3 = await startFakeS3();
    const bucket = 'encrypted-blobs';
    await s3.createBucket(bucket);
    const store = new EncryptingBlobStore(new S3BlobStore(s3.config(bucket)), ring());
    return {
      store,
      cleanup: async () => {
        await store.onModuleDestroy();
        await s3.stop();
      },
    };
  },
  { atomicOverwrite: false /* s3rver writes bytes and metadata non-atomically; see ContractOptions */ },
);

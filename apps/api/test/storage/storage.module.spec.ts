import { Test } from '@nestjs/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../src/config/app-config';
import { AppConfigModule } from '../../src/config/config.module';
import { BlobStore } from '../../src/modules/storage/blob-store';
import { FsBlobStore } from '../../src/modules/storage/fs-blob-store';
import { S3BlobStore } from '../../src/modules/storage/s3-blob-store';
import { StorageModule } from '../../src/modules/storage/storage.module';

async function resolveStore(config: Partial<AppConfig>): Promise<BlobStore> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(Object.assign(new AppConfig(), config)), StorageModule],
  }).compile();
  const store = moduleRef.get(BlobStore);
  await moduleRef.close();
  return store;
}

describe('StorageModule', () => {
  it('provides the filesystem driver for BLOB_DRIVER=fs', async () => {
    expect(await resolveStore({ BLOB_DRIVER: 'fs', BLOB_FS_ROOT: join(tmpdir(), 'lm-unused') })).toBeInstanceOf(FsBlobStore);
  });

  it('provides the S3 driver for BLOB_DRIVER=s3 (without connecting)', async () => {
    const store = await resolveStore({
      BLOB_DRIVER: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:9',
      S3_BUCKET: 'blobs',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(store).toBeInstanceOf(S3BlobStore);
  });
});

import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../src/config/app-config';
import { AppConfigModule } from '../../src/config/config.module';
import { BlobStore } from '../../src/modules/storage/blob-store';
import { EncryptingBlobStore } from '../../src/modules/storage/encrypting-blob-store';
import { FsBlobStore } from '../../src/modules/storage/fs-blob-store';
import { S3BlobStore } from '../../src/modules/storage/s3-blob-store';
import { StorageModule } from '../../src/modules/storage/storage.module';

describe('StorageModule', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'lm-storage-module-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The bound store (always the encrypting decorator) and the driver under it. */
  async function resolveDriver(config: Partial<AppConfig>): Promise<BlobStore> {
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(Object.assign(new AppConfig(), { DATA_DIR: dataDir }, config)), StorageModule],
    }).compile();
    const store = moduleRef.get(BlobStore);
    await moduleRef.close();
    expect(store).toBeInstanceOf(EncryptingBlobStore);
    return (store as EncryptingBlobStore).inner;
  }

  it('encrypts over the filesystem driver for BLOB_DRIVER=fs', async () => {
    expect(await resolveDriver({ BLOB_DRIVER: 'fs', BLOB_FS_ROOT: join(dataDir, 'blobs') })).toBeInstanceOf(FsBlobStore);
  });

  it('encrypts over the S3 driver for BLOB_DRIVER=s3 (without connecting), and closes its client with the module', async () => {
    const closed = jest.spyOn(S3BlobStore.prototype, 'onModuleDestroy');
    const driver = await resolveDriver({
      BLOB_DRIVER: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:9',
      S3_BUCKET: 'blobs',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(driver).toBeInstanceOf(S3BlobStore);
    // The module closed in resolveDriver; the decorator passed onModuleDestroy on to the driver.
    expect(closed).toHaveBeenCalledTimes(1);
    expect(closed.mock.contexts[0]).toBe(driver);
    closed.mockRestore();
  });
});

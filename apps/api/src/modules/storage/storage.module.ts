import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { BlobStore } from './blob-store';
import { FsBlobStore } from './fs-blob-store';
import { S3BlobStore } from './s3-blob-store';

/** The driver selected by BLOB_DRIVER. */
export function createBlobStore(config: AppConfig): BlobStore {
  return config.BLOB_DRIVER === 's3' ? new S3BlobStore(config) : new FsBlobStore(config);
}

/**
 * Provides `BlobStore` (inject the abstract class). The health module calls `BlobStore.ping()`.
 * Nest runs lifecycle hooks on factory-made providers too, so the S3 client is closed on
 * shutdown.
 */
@Module({
  providers: [{ provide: BlobStore, inject: [AppConfig], useFactory: createBlobStore }],
  exports: [BlobStore],
})
export class StorageModule {}

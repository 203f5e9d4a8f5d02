import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { resolveBlobKeyRing } from './blob-key-ring';
import { BlobStore } from './blob-store';
import { EncryptingBlobStore } from './encrypting-blob-store';
import { FsBlobStore } from './fs-blob-store';
import { S3BlobStore } from './s3-blob-store';

/** The driver selected by BLOB_DRIVER, storing bytes as given (the ciphertext, under EncryptingBlobStore). */
export function createBlobDriver(config: AppConfig): BlobStore {
  return config.BLOB_DRIVER === 's3' ? new S3BlobStore(config) : new FsBlobStore(config);
}

/** What the app stores through: the driver, encrypted at rest under the configured master key ring. */
export function createBlobStore(config: AppConfig): BlobStore {
  return new EncryptingBlobStore(createBlobDriver(config), resolveBlobKeyRing(config));
}

/**
 * Provides `BlobStore` (inject the abstract class): the encrypting decorator over the driver
 * (see encrypting-blob-store.ts). The health module calls `BlobStore.ping()`. Nest runs
 * lifecycle hooks on factory-made providers too; the decorator passes onModuleDestroy on, so the
 * S3 client is closed on shutdown.
 */
@Module({
  providers: [{ provide: BlobStore, inject: [AppConfig], useFactory: createBlobStore }],
  exports: [BlobStore],
})
export class StorageModule {}

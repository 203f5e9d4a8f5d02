// The public surface of the storage module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { BlobStore } from './blob-store';
export { StorageModule } from './storage.module';
// Key ring administration, for the blob-key:rotate command.
export { initKeyRingFile, readKeyRingFile, rotateKeyRingFile, newMasterKey } from './blob-key-ring';

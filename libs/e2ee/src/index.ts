/**
 * @lm/e2ee: end-to-end encryption of client–lawyer messages and session notes (issue 16).
 * WebCrypto (X25519, Ed25519, AES-256-GCM, SHA-256), HPKE through @hpke/core, Argon2id through
 * hash-wasm; nothing home-made. The same code runs in the browser and in Node 20.
 */
export { E2eeError, E2EE_ERROR_CODES, isE2eeError, isServerError, type E2eeErrorCode } from './errors';
export type * from './wire';
export { MESSAGING_EVENT_TYPES } from './wire';
export * from './constants';
export { type Bytes, toB64, fromB64, toHex, fromHex, utf8, fromUtf8, sha256, randomBytes, equalBytes, concat } from './encoding';
export {
  generateDeviceKeys,
  generateSigningKeyPair,
  generateAgreementKeyPair,
  exportPublicKey,
  exportPkcs8,
  importPublicKey,
  importPrivateKeyPair,
  pkcs8FromRaw,
  sign,
  verify,
  signString,
  verifyString,
  backupKeySigningString,
  deviceCertificateString,
  signDeviceCertificate,
  verifyDeviceCertificate,
  verifyBackupKeySignature,
  type DeviceKeyPairs,
} from './keys';
export { importAesKey, aesGcmEncrypt, aesGcmDecrypt } from './aes-gcm';
export { padPlaintext, unpadPlaintext } from './padding';
export {
  recordAad,
  noteRecordId,
  recordSigningBytes,
  encryptRecord,
  decryptRecord,
  verifyRecord,
  openRecord,
  isBucketCiphertextLength,
  type RecordKind,
  type EncryptedRecord,
  type RecordOnWire,
} from './records';
export {
  hpkeSuite,
  epochKeyInfo,
  deviceRecipient,
  backupRecipient,
  sealEpochKey,
  openEpochKey,
  epochSigningString,
  sortRecipients,
  buildEpoch,
  checkEpochShape,
  verifyEpochSignature,
} from './epoch';
export { attachmentAad, encryptAttachment, decryptAttachment } from './attachments';
export {
  generateRecoveryCode,
  normalizeRecoveryCode,
  wrapBackup,
  unwrapBackup,
  type Argon2Params,
  type BackupSecrets,
} from './recovery';
export { safetyNumber } from './safety-number';
export { MemoryKeyStore, type DeviceKeyStore, type StoredDevice, type IdentityPins } from './key-store';
export { IndexedDbKeyStore } from './indexeddb-key-store';
export { createHttpTransport, parseEventStream, type E2eeTransport, type HttpTransportOptions } from './transport';
export { E2eeClient, type E2eeClientOptions, type E2eeStatus } from './client';
export {
  ConversationSession,
  isUnreadable,
  type DecryptedMessage,
  type UnreadableMessage,
  type HistoryItem,
  type DecryptedNote,
  type OutgoingAttachment,
} from './session';

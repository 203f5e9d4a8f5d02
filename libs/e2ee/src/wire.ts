/**
 * The JSON of the messaging API (contract section 3), as TypeScript types. Binary values are
 * base64url without padding, ids are UUIDs, times ISO-8601 UTC strings.
 */

export interface Identity {
  identityKey: string;
  backupKey: string;
  backupKeySignature: string;
  createdAt: string;
}

export interface Device {
  deviceId: string;
  userId: string;
  /** The identity key that certified this device, stored at registration. */
  identityKey: string;
  x25519PublicKey: string;
  ed25519PublicKey: string;
  certificate: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface DeviceRegistration {
  deviceId: string;
  x25519PublicKey: string;
  ed25519PublicKey: string;
  certificate: string;
  /** 1..80 characters. */
  label: string;
}

export interface KeyBackup {
  version: 1;
  kdf: { alg: 'argon2id'; salt: string; memoryKiB: number; iterations: number; parallelism: number };
  nonce: string;
  ciphertext: string;
}

/** All devices of the user, revoked ones included. */
export interface UserKeys {
  userId: string;
  identity: Identity | null;
  devices: Device[];
}

export interface CreateIdentityRequest {
  identityKey: string;
  backupKey: string;
  backupKeySignature: string;
  backup: KeyBackup;
  device: DeviceRegistration;
  reset?: boolean;
}

export interface CreateIdentityResponse {
  identity: Identity;
  device: Device;
}

export interface BackupResponse {
  identityKey: string;
  backup: KeyBackup;
}

export interface SealedKey {
  /** `device:<deviceId>` or `backup:<userId>`. */
  recipient: string;
  enc: string;
  ciphertext: string;
}

export interface Epoch {
  epoch: number;
  creatorDeviceId: string;
  createdAt: string;
  /** Sorted ascending as strings. */
  recipients: string[];
  /** One per recipient, in `recipients` order. */
  sealed: SealedKey[];
  signature: string;
}

export interface CreateEpochRequest {
  epoch: number;
  creatorDeviceId: string;
  recipients: string[];
  sealed: SealedKey[];
  signature: string;
}

export interface WireMessage {
  id: string;
  conversationId: string;
  senderUserId: string;
  senderDeviceId: string;
  epoch: number;
  nonce: string;
  ciphertext: string;
  signature: string;
  attachmentIds: string[];
  createdAt: string;
}

export interface PostMessageRequest {
  id: string;
  epoch: number;
  senderDeviceId: string;
  nonce: string;
  ciphertext: string;
  signature: string;
  /** At most 10. */
  attachmentIds?: string[];
}

export type ParticipantRole = 'CLIENT' | 'LAWYER';

export interface Participant {
  userId: string;
  displayName: string;
  role: ParticipantRole;
}

export interface ConversationSummary {
  id: string;
  counterpart: Participant;
  createdAt: string;
  lastMessageAt: string | null;
  unreadCount: number;
  /** 0 = no epoch yet. */
  currentEpoch: number;
  needsRekey: boolean;
}

export interface ReadMarker {
  messageId: string;
  at: string;
}

export interface ConversationDetail extends ConversationSummary {
  participants: Participant[];
  myReadUpTo: ReadMarker | null;
  counterpartReadUpTo: ReadMarker | null;
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AttachmentUploaded {
  id: string;
  size: number;
  createdAt: string;
}

export type NoteKind = 'AGENDA' | 'PRIVATE';

export interface Note {
  sessionId: string;
  conversationId: string;
  kind: NoteKind;
  version: number;
  authorUserId: string;
  epoch: number;
  senderDeviceId: string;
  nonce: string;
  ciphertext: string;
  signature: string;
  updatedAt: string;
}

export interface SessionNotes {
  conversationId: string;
  agenda: Note | null;
  /** The caller's own private note only. */
  private: Note | null;
}

export interface PutNoteRequest {
  version: number;
  epoch: number;
  senderDeviceId: string;
  nonce: string;
  ciphertext: string;
  signature: string;
}

/**
 * One server-sent event of GET /api/messaging/events: the SSE `event:` name as `type`, the
 * fields of its JSON `data:` beside it.
 */
export type MessagingEvent =
  | { type: 'message'; conversationId: string; messageId: string }
  | { type: 'read'; conversationId: string; userId: string; messageId: string }
  | { type: 'epoch'; conversationId: string; epoch: number }
  | { type: 'keys'; userId: string }
  | { type: 'note'; sessionId: string; conversationId: string; kind: NoteKind };

export type MessagingEventType = MessagingEvent['type'];
export const MESSAGING_EVENT_TYPES: readonly MessagingEventType[] = ['message', 'read', 'epoch', 'keys', 'note'];

/** Inside an encrypted message body: everything needed to fetch, decrypt and check one attachment. */
export interface AttachmentRef {
  id: string;
  name: string;
  type: string;
  size: number;
  /** b64, 32 bytes. */
  key: string;
  /** b64, 12 bytes. */
  nonce: string;
  /** Hex SHA-256 of the plaintext file. */
  sha256: string;
}

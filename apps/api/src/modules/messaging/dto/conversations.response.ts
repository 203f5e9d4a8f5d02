import { ApiProperty } from '@nestjs/swagger';
import { toB64 } from '../e2ee-wire';
import type { EpochRow } from '../conversations.repository';
import type { MessageRow } from '../messages.repository';
import type { NoteRow } from '../session-notes.repository';

const b64 = (description: string) => ({ type: String, pattern: '^[A-Za-z0-9_-]*$', description });

export class ParticipantResponse {
  @ApiProperty({ format: 'uuid' })
  userId: string;
  @ApiProperty({ example: 'Zofia Wójcik' })
  displayName: string;
  @ApiProperty({ enum: ['CLIENT', 'LAWYER'] })
  role: 'CLIENT' | 'LAWYER';
}

export class ConversationSummaryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: ParticipantResponse })
  counterpart: ParticipantResponse;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastMessageAt: string | null;
  /** Messages from the other participant after the caller's read marker. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  unreadCount: number;
  /** 0 until the first epoch is created. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  currentEpoch: number;
  /** True when a new epoch must be created before sending: no epoch yet, or the participants' devices or backup keys changed since. */
  @ApiProperty()
  needsRekey: boolean;
}

export class ReadUpToResponse {
  @ApiProperty({ format: 'uuid' })
  messageId: string;
  @ApiProperty({ format: 'date-time' })
  at: string;
}

export class ConversationDetailResponse extends ConversationSummaryResponse {
  @ApiProperty({ type: [ParticipantResponse] })
  participants: ParticipantResponse[];
  @ApiProperty({ type: ReadUpToResponse, nullable: true })
  myReadUpTo: ReadUpToResponse | null;
  @ApiProperty({ type: ReadUpToResponse, nullable: true })
  counterpartReadUpTo: ReadUpToResponse | null;
}

export class ConversationPageResponse {
  @ApiProperty({ type: [ConversationSummaryResponse] })
  items: ConversationSummaryResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class SealedKeyResponse {
  @ApiProperty({ example: 'device:0b8e6c3e-7d0a-4d7e-9a57-3f1f0f6a2b11' })
  recipient: string;
  @ApiProperty(b64('HPKE encapsulated key (32 bytes)'))
  enc: string;
  @ApiProperty(b64('HPKE ciphertext of the epoch key (48 bytes)'))
  ciphertext: string;
}

export class EpochResponse {
  @ApiProperty({ type: 'integer', minimum: 1 })
  epoch: number;
  @ApiProperty({ format: 'uuid' })
  creatorDeviceId: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({
    example: ['backup:1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', 'device:8b7a6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d'],
    type: [String],
  })
  recipients: string[];
  @ApiProperty({ type: [SealedKeyResponse] })
  sealed: SealedKeyResponse[];
  @ApiProperty(b64('The creator device’s signature (64 bytes)'))
  signature: string;
}

export class EpochListResponse {
  @ApiProperty({ type: [EpochResponse], description: 'Oldest first' })
  items: EpochResponse[];
}

export class WireMessageResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  conversationId: string;
  @ApiProperty({ format: 'uuid' })
  senderUserId: string;
  @ApiProperty({ format: 'uuid' })
  senderDeviceId: string;
  @ApiProperty({ type: 'integer', minimum: 1 })
  epoch: number;
  @ApiProperty(b64('12 bytes'))
  nonce: string;
  @ApiProperty(b64('Padded AES-256-GCM ciphertext'))
  ciphertext: string;
  @ApiProperty(b64('The sender device’s signature (64 bytes)'))
  signature: string;
  @ApiProperty({
    example: ['3e7a9c1d-5b2f-4d8e-a6c4-1f0b9e8d7c6a'],
    type: [String],
    description: 'Ids of the encrypted attachments whose keys the message carries',
  })
  attachmentIds: string[];
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class MessagePageResponse {
  @ApiProperty({ type: [WireMessageResponse], description: 'Newest first' })
  items: WireMessageResponse[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class AttachmentUploadResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: 'integer', description: 'Bytes stored (the ciphertext)' })
  size: number;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class NoteResponse {
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  @ApiProperty({ format: 'uuid' })
  conversationId: string;
  @ApiProperty({ enum: ['AGENDA', 'PRIVATE'] })
  kind: 'AGENDA' | 'PRIVATE';
  @ApiProperty({ type: 'integer', minimum: 1 })
  version: number;
  @ApiProperty({ format: 'uuid' })
  authorUserId: string;
  @ApiProperty({ type: 'integer', minimum: 1 })
  epoch: number;
  @ApiProperty({ format: 'uuid' })
  senderDeviceId: string;
  @ApiProperty(b64('12 bytes'))
  nonce: string;
  @ApiProperty(b64('Padded AES-256-GCM ciphertext'))
  ciphertext: string;
  @ApiProperty(b64('The sender device’s signature (64 bytes)'))
  signature: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class SessionNotesResponse {
  @ApiProperty({ format: 'uuid' })
  conversationId: string;
  @ApiProperty({ type: NoteResponse, nullable: true, description: 'The agenda both participants share' })
  agenda: NoteResponse | null;
  @ApiProperty({
    type: NoteResponse,
    nullable: true,
    description: 'The caller’s own private note (never the other participant’s)',
  })
  private: NoteResponse | null;
}

export function toEpochResponse(e: EpochRow): EpochResponse {
  return {
    epoch: e.epoch,
    creatorDeviceId: e.creatorDeviceId,
    createdAt: e.createdAt.toISOString(),
    recipients: e.recipients,
    sealed: e.sealed.map((s) => ({ recipient: s.recipient, enc: s.enc, ciphertext: s.ciphertext })),
    signature: toB64(e.signature),
  };
}

export function toWireMessage(m: MessageRow): WireMessageResponse {
  return {
    id: m.id,
    conversationId: m.conversationId,
    senderUserId: m.senderUserId,
    senderDeviceId: m.senderDeviceId,
    epoch: m.epoch,
    nonce: toB64(m.nonce),
    ciphertext: toB64(m.ciphertext),
    signature: toB64(m.signature),
    attachmentIds: m.attachmentIds,
    createdAt: m.createdAt.toISOString(),
  };
}

export function toNoteResponse(n: NoteRow): NoteResponse {
  return {
    sessionId: n.sessionId,
    conversationId: n.conversationId,
    kind: n.kind,
    version: n.version,
    authorUserId: n.authorUserId,
    epoch: n.epoch,
    senderDeviceId: n.senderDeviceId,
    nonce: toB64(n.nonce),
    ciphertext: toB64(n.ciphertext),
    signature: toB64(n.signature),
    updatedAt: n.updatedAt.toISOString(),
  };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { KeysetCursor } from './messaging-rules';

/** A row of `conversation_messages`: ciphertext and who/when, nothing about content. */
export interface MessageRow {
  id: string;
  conversationId: string;
  senderUserId: string;
  senderDeviceId: string;
  epoch: number;
  nonce: Buffer;
  ciphertext: Buffer;
  signature: Buffer;
  attachmentIds: string[];
  createdAt: Date;
}

/** A row of `message_attachments`: an encrypted file in the blob store. */
export interface AttachmentRow {
  id: string;
  conversationId: string;
  uploaderId: string;
  blobKey: string;
  size: number;
  createdAt: Date;
  messageId: string | null;
}

const MESSAGE = `id, conversation_id AS "conversationId", sender_user_id AS "senderUserId", sender_device_id AS "senderDeviceId", epoch,
  nonce, ciphertext, signature, attachment_ids::text[] AS "attachmentIds", created_at AS "createdAt"`;
const ATTACHMENT = `id, conversation_id AS "conversationId", uploader_id AS "uploaderId", blob_key AS "blobKey", size::float8 AS size,
  created_at AS "createdAt", message_id AS "messageId"`;

/** SQL of messages and their attachments (`conversation_messages`, `message_attachments`). */
@Injectable()
export class MessagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(m: EntityManager, id: string): Promise<MessageRow | null> {
    const rows: MessageRow[] = await m.query(`SELECT ${MESSAGE} FROM conversation_messages WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findInConversation(m: EntityManager, conversationId: string, id: string): Promise<MessageRow | null> {
    const rows: MessageRow[] = await m.query(
      `SELECT ${MESSAGE} FROM conversation_messages WHERE id = $1 AND conversation_id = $2`,
      [id, conversationId],
    );
    return rows[0] ?? null;
  }

  async insert(m: EntityManager, r: MessageRow): Promise<MessageRow> {
    const rows: MessageRow[] = await m.query(
      `INSERT INTO conversation_messages (id, conversation_id, sender_user_id, sender_device_id, epoch, nonce, ciphertext, signature, attachment_ids, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], $10) RETURNING ${MESSAGE}`,
      [
        r.id,
        r.conversationId,
        r.senderUserId,
        r.senderDeviceId,
        r.epoch,
        r.nonce,
        r.ciphertext,
        r.signature,
        r.attachmentIds,
        r.createdAt,
      ],
    );
    return rows[0]!;
  }

  /** A page of a conversation's messages, newest first, strictly before `before` (keyset). */
  page(m: EntityManager, conversationId: string, before: KeysetCursor | null, limit: number): Promise<MessageRow[]> {
    return before
      ? m.query(
          `SELECT ${MESSAGE} FROM conversation_messages
            WHERE conversation_id = $1 AND (created_at, id) < ($2, $3)
            ORDER BY created_at DESC, id DESC LIMIT $4`,
          [conversationId, before.at, before.id, limit],
        )
      : m.query(
          `SELECT ${MESSAGE} FROM conversation_messages WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
          [conversationId, limit],
        );
  }

  // ——— attachments ———

  async attachment(m: EntityManager, id: string): Promise<AttachmentRow | null> {
    const rows: AttachmentRow[] = await m.query(`SELECT ${ATTACHMENT} FROM message_attachments WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Stores an uploaded attachment; null when the id is taken. */
  async insertAttachment(m: EntityManager, a: Omit<AttachmentRow, 'messageId'>): Promise<AttachmentRow | null> {
    const rows: AttachmentRow[] = await m.query(
      `INSERT INTO message_attachments (id, conversation_id, uploader_id, blob_key, size, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING ${ATTACHMENT}`,
      [a.id, a.conversationId, a.uploaderId, a.blobKey, a.size, a.createdAt],
    );
    return rows[0] ?? null;
  }

  /** Serialises one uploader's attachment inserts until the transaction ends (the pending limit is checked under it). */
  async lockUploader(m: EntityManager, uploaderId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('message_attachments:' || $1::text))`, [uploaderId]);
  }

  /** The uploader's attachments not sent in a message yet, counted. */
  async pendingCount(m: EntityManager, uploaderId: string): Promise<number> {
    const rows: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM message_attachments WHERE uploader_id = $1 AND message_id IS NULL`,
      [uploaderId],
    );
    return rows[0]!.n;
  }

  /**
   * Links the uploader's unsent attachments `ids` of this conversation to the message (locking
   * them); how many were linked. Fewer than `ids.length`: one is not such an upload.
   */
  async link(
    m: EntityManager,
    r: { conversationId: string; uploaderId: string; ids: string[]; messageId: string },
  ): Promise<number> {
    if (r.ids.length === 0) return 0;
    const rows: [unknown[], number] = await m.query(
      `UPDATE message_attachments SET message_id = $4
        WHERE id = ANY($3::uuid[]) AND conversation_id = $1 AND uploader_id = $2 AND message_id IS NULL`,
      [r.conversationId, r.uploaderId, r.ids, r.messageId],
    );
    return rows[1];
  }

  /** Unsent uploads older than `cutoff`, oldest first (for the cleanup job). */
  staleUnlinked(cutoff: Date, limit: number): Promise<AttachmentRow[]> {
    return this.dataSource.query(
      `SELECT ${ATTACHMENT} FROM message_attachments WHERE message_id IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [cutoff, limit],
    );
  }

  /** Removes an upload still not sent in a message; false when it was linked meanwhile. */
  async deleteUnlinked(m: EntityManager, id: string): Promise<boolean> {
    const rows: [unknown[], number] = await m.query(`DELETE FROM message_attachments WHERE id = $1 AND message_id IS NULL`, [id]);
    return rows[1] === 1;
  }
}

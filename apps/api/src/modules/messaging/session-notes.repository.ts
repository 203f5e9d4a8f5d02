import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type NoteKind = 'AGENDA' | 'PRIVATE';
export const NOTE_KINDS = ['AGENDA', 'PRIVATE'] as const satisfies readonly NoteKind[];

/** A row of `session_notes`: the latest saved version of a session's agenda or of one participant's private note. */
export interface NoteRow {
  id: string;
  sessionId: string;
  conversationId: string;
  kind: NoteKind;
  /** The private note's owner; null for the shared agenda. */
  ownerUserId: string | null;
  /** Who saved this version. */
  authorUserId: string;
  version: number;
  epoch: number;
  senderDeviceId: string;
  nonce: Buffer;
  ciphertext: Buffer;
  signature: Buffer;
  updatedAt: Date;
}

const NOTE = `id, session_id AS "sessionId", conversation_id AS "conversationId", kind, owner_user_id AS "ownerUserId",
  author_user_id AS "authorUserId", version, epoch, sender_device_id AS "senderDeviceId", nonce, ciphertext, signature, updated_at AS "updatedAt"`;

/** SQL of `session_notes`. */
@Injectable()
export class SessionNotesRepository {
  /** The session's agenda (owner null) or `owner`'s private note. */
  async find(
    m: EntityManager,
    sessionId: string,
    kind: NoteKind,
    owner: string | null,
    opts: { lock?: boolean } = {},
  ): Promise<NoteRow | null> {
    const rows: NoteRow[] = await m.query(
      `SELECT ${NOTE} FROM session_notes WHERE session_id = $1 AND kind = $2 AND owner_user_id IS NOT DISTINCT FROM $3::uuid${opts.lock ? ' FOR UPDATE' : ''}`,
      [sessionId, kind, owner],
    );
    return rows[0] ?? null;
  }

  /** Saves version 1 (a concurrent first save fails on the unique index and is retried) or the next version of an existing note. */
  async save(m: EntityManager, n: Omit<NoteRow, 'id'>, existingId: string | null): Promise<NoteRow> {
    const params = [n.authorUserId, n.version, n.epoch, n.senderDeviceId, n.nonce, n.ciphertext, n.signature, n.updatedAt];
    if (existingId) {
      const rows: [NoteRow[], number] = await m.query(
        `UPDATE session_notes
            SET author_user_id = $1, version = $2, epoch = $3, sender_device_id = $4, nonce = $5, ciphertext = $6, signature = $7, updated_at = $8
          WHERE id = $9 RETURNING ${NOTE}`,
        [...params, existingId],
      );
      return rows[0][0]!;
    }
    const rows: NoteRow[] = await m.query(
      `INSERT INTO session_notes (author_user_id, version, epoch, sender_device_id, nonce, ciphertext, signature, updated_at,
                                  session_id, conversation_id, kind, owner_user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${NOTE}`,
      [...params, n.sessionId, n.conversationId, n.kind, n.ownerUserId],
    );
    return rows[0]!;
  }
}

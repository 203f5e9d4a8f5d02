import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SealedKeyWire } from './e2ee-wire';
import type { KeysetCursor } from './messaging-rules';

/** A row of `conversations`, with the recipients its current epoch was sealed to (null before the first epoch). */
export interface Conversation {
  id: string;
  clientId: string;
  lawyerId: string;
  openedSessionId: string | null;
  currentEpoch: number;
  createdAt: Date;
  lastMessageAt: Date | null;
  activityAt: Date;
  currentRecipients: string[] | null;
}

/** A conversation as one participant's list shows it. */
export interface ConversationListing extends Conversation {
  counterpartId: string;
  counterpartName: string;
  unreadCount: number;
}

/** A row of `conversation_epochs`. */
export interface EpochRow {
  conversationId: string;
  epoch: number;
  creatorDeviceId: string;
  recipients: string[];
  sealed: SealedKeyWire[];
  signature: Buffer;
  createdAt: Date;
}

/** A participant's read marker: the newest message they have read, and when. */
export interface ReadMarker {
  userId: string;
  messageId: string;
  messageCreatedAt: Date;
  readAt: Date;
}

const CONVERSATION = `c.id, c.client_id AS "clientId", c.lawyer_id AS "lawyerId", c.opened_session_id AS "openedSessionId",
  c.current_epoch AS "currentEpoch", c.created_at AS "createdAt", c.last_message_at AS "lastMessageAt", c.activity_at AS "activityAt",
  e.recipients AS "currentRecipients"`;
const WITH_EPOCH = `conversations c LEFT JOIN conversation_epochs e ON e.conversation_id = c.id AND e.epoch = c.current_epoch`;
const EPOCH = `conversation_id AS "conversationId", epoch, creator_device_id AS "creatorDeviceId", recipients, sealed, signature, created_at AS "createdAt"`;

/**
 * SQL of conversations, their epochs and read markers. Every read of one conversation filters on
 * the caller being one of its two participants, so someone else's is simply not found.
 */
@Injectable()
export class ConversationsRepository {
  /**
   * The conversation if `userId` is its client or lawyer. `lock` takes the row lock every writer
   * of the conversation (epochs, messages, notes) holds while it decides: FOR NO KEY UPDATE, the
   * lock an UPDATE of its non-key columns takes anyway, which leaves the foreign-key checks of
   * rows that reference it free to proceed.
   */
  async findForParticipant(
    m: EntityManager,
    id: string,
    userId: string,
    opts: { lock?: boolean } = {},
  ): Promise<Conversation | null> {
    const rows: Conversation[] = await m.query(
      `SELECT ${CONVERSATION} FROM ${WITH_EPOCH} WHERE c.id = $1 AND (c.client_id = $2 OR c.lawyer_id = $2)${opts.lock ? ' FOR NO KEY UPDATE OF c' : ''}`,
      [id, userId],
    );
    return rows[0] ?? null;
  }

  /** The conversation of a client–lawyer pair, if it was opened. */
  async forPair(
    m: EntityManager,
    clientId: string,
    lawyerId: string,
    opts: { lock?: boolean } = {},
  ): Promise<Conversation | null> {
    const rows: Conversation[] = await m.query(
      `SELECT ${CONVERSATION} FROM ${WITH_EPOCH} WHERE c.client_id = $1 AND c.lawyer_id = $2${opts.lock ? ' FOR NO KEY UPDATE OF c' : ''}`,
      [clientId, lawyerId],
    );
    return rows[0] ?? null;
  }

  /** Opens the pair's conversation; null when it is already open. */
  async open(
    m: EntityManager,
    c: { clientId: string; lawyerId: string; sessionId: string; now: Date },
  ): Promise<Conversation | null> {
    const rows: Conversation[] = await m.query(
      `INSERT INTO conversations AS c (client_id, lawyer_id, opened_session_id, created_at, activity_at)
       VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (client_id, lawyer_id) DO NOTHING
       RETURNING ${CONVERSATION.replace('e.recipients', 'NULL::text[]')}`,
      [c.clientId, c.lawyerId, c.sessionId, c.now],
    );
    return rows[0] ?? null;
  }

  /** Whether the two users are the participants of a conversation. */
  async share(m: EntityManager, a: string, b: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM conversations WHERE (client_id = $1 AND lawyer_id = $2) OR (client_id = $2 AND lawyer_id = $1) LIMIT 1`,
      [a, b],
    );
    return rows.length > 0;
  }

  /** Everyone `userId` has a conversation with (whose key changes concern them). */
  async counterparts(m: EntityManager, userId: string): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT lawyer_id AS id FROM conversations WHERE client_id = $1 UNION SELECT client_id FROM conversations WHERE lawyer_id = $1`,
      [userId],
    );
    return rows.map((r) => r.id);
  }

  /**
   * One page of the user's conversations, newest activity first (keyset after `cursor`), each
   * with the other participant's name and the messages from them after the user's read marker.
   */
  list(m: EntityManager, userId: string, cursor: KeysetCursor | null, limit: number): Promise<ConversationListing[]> {
    const params: unknown[] = [userId, limit];
    let after = '';
    if (cursor) {
      params.push(cursor.at, cursor.id);
      after = `AND (c.activity_at, c.id) < ($3, $4)`;
    }
    // One index scan per side (client / lawyer), merged: each is a prefix of its activity index.
    return m.query(
      `WITH mine AS (
         (SELECT c.id, c.activity_at FROM conversations c WHERE c.client_id = $1 ${after} ORDER BY c.activity_at DESC, c.id DESC LIMIT $2)
         UNION ALL
         (SELECT c.id, c.activity_at FROM conversations c WHERE c.lawyer_id = $1 ${after} ORDER BY c.activity_at DESC, c.id DESC LIMIT $2)
         ORDER BY activity_at DESC, id DESC LIMIT $2)
       SELECT ${CONVERSATION},
              cp.id AS "counterpartId", cp.display_name AS "counterpartName",
              (SELECT count(*)::int FROM conversation_messages msg
                WHERE msg.conversation_id = c.id AND msg.sender_user_id <> $1
                  AND (r.message_id IS NULL OR (msg.created_at, msg.id) > (r.message_created_at, r.message_id))) AS "unreadCount"
         FROM mine
         JOIN ${WITH_EPOCH} ON c.id = mine.id
         JOIN user_directory cp ON cp.id = CASE WHEN c.client_id = $1 THEN c.lawyer_id ELSE c.client_id END
         LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.user_id = $1
        ORDER BY c.activity_at DESC, c.id DESC`,
      params,
    );
  }

  /** Messages from the other participant after `userId`'s read marker. */
  async unreadCount(m: EntityManager, conversationId: string, userId: string): Promise<number> {
    const rows: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM conversation_messages msg
         LEFT JOIN conversation_reads r ON r.conversation_id = msg.conversation_id AND r.user_id = $2
        WHERE msg.conversation_id = $1 AND msg.sender_user_id <> $2
          AND (r.message_id IS NULL OR (msg.created_at, msg.id) > (r.message_created_at, r.message_id))`,
      [conversationId, userId],
    );
    return rows[0]!.n;
  }

  /** Display names of users, from identity's read view. */
  async names(m: EntityManager, userIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await m.query(
      `SELECT id, display_name AS name FROM user_directory WHERE id = ANY($1::uuid[])`,
      [userIds],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  // ——— epochs ———

  epochs(m: EntityManager, conversationId: string): Promise<EpochRow[]> {
    return m.query(`SELECT ${EPOCH} FROM conversation_epochs WHERE conversation_id = $1 ORDER BY epoch`, [conversationId]);
  }

  /** Stores epoch `e.epoch` and makes it the conversation's current one (the caller holds the conversation's lock). */
  async addEpoch(m: EntityManager, e: EpochRow): Promise<EpochRow> {
    const rows: EpochRow[] = await m.query(
      `INSERT INTO conversation_epochs (conversation_id, epoch, creator_device_id, recipients, sealed, signature, created_at)
       VALUES ($1, $2, $3, $4::text[], $5::jsonb, $6, $7) RETURNING ${EPOCH}`,
      [e.conversationId, e.epoch, e.creatorDeviceId, e.recipients, JSON.stringify(e.sealed), e.signature, e.createdAt],
    );
    await m.query(`UPDATE conversations SET current_epoch = $2 WHERE id = $1`, [e.conversationId, e.epoch]);
    return rows[0]!;
  }

  /** A message was sent at `at`: the conversation moves up its participants' lists. */
  async touch(m: EntityManager, conversationId: string, at: Date): Promise<void> {
    await m.query(
      `UPDATE conversations
          SET last_message_at = GREATEST(COALESCE(last_message_at, $2::timestamptz), $2::timestamptz),
              activity_at = GREATEST(activity_at, $2::timestamptz)
        WHERE id = $1`,
      [conversationId, at],
    );
  }

  // ——— read markers ———

  reads(m: EntityManager, conversationId: string): Promise<ReadMarker[]> {
    return m.query(
      `SELECT user_id AS "userId", message_id AS "messageId", message_created_at AS "messageCreatedAt", read_at AS "readAt"
         FROM conversation_reads WHERE conversation_id = $1 AND message_id IS NOT NULL`,
      [conversationId],
    );
  }

  /** Moves the user's read marker to the message, only forward (time, then id); whether it moved. */
  async moveReadMarker(
    m: EntityManager,
    r: { conversationId: string; userId: string; messageId: string; messageCreatedAt: Date; now: Date },
  ): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO conversation_reads AS r (conversation_id, user_id, message_id, message_created_at, read_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (conversation_id, user_id) DO UPDATE
          SET message_id = EXCLUDED.message_id, message_created_at = EXCLUDED.message_created_at, read_at = EXCLUDED.read_at
        WHERE r.message_id IS NULL OR (EXCLUDED.message_created_at, EXCLUDED.message_id) > (r.message_created_at, r.message_id)
       RETURNING 1`,
      [r.conversationId, r.userId, r.messageId, r.messageCreatedAt, r.now],
    );
    return rows.length === 1;
  }

  /**
   * Claims the "new message" email for the user: true (and notified_at = now) when none went out
   * since they last read this conversation (or ever), false while one is still unread.
   */
  async claimNewMessageEmail(m: EntityManager, conversationId: string, userId: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO conversation_reads AS r (conversation_id, user_id, notified_at)
       VALUES ($1, $2, $3)
       ON CONFLICT (conversation_id, user_id) DO UPDATE SET notified_at = EXCLUDED.notified_at
        WHERE r.notified_at IS NULL OR (r.read_at IS NOT NULL AND r.read_at >= r.notified_at)
       RETURNING 1`,
      [conversationId, userId, now],
    );
    return rows.length === 1;
  }
}

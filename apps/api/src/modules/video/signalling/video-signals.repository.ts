import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** The NOTIFY channel that carries a new `video_signals` row id to every replica. */
export const VIDEO_SIGNALS_CHANNEL = 'video_signals';

/** One relayed message of a peer-to-peer call. `from` is a participant identity, or 'server'. */
export interface VideoSignal {
  id: string;
  sessionId: string;
  from: string;
  to: string | null;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** A message as one recipient's stream delivers it. */
export interface DeliverableSignal {
  id: string;
  from: string;
  type: string;
  data: Record<string, unknown>;
}

/** The other participant of a call, as the relay addresses them, with their last attendance event. */
export interface PeerParticipant {
  identity: string;
  role: 'CLIENT' | 'LAWYER';
  lastEvent: 'joined' | 'left' | null;
}

/**
 * SQL of the signalling relay (`video_signals`). Every writer of a session's messages holds that
 * session's row lock (`SessionLifecycle.lock*`) while inserting, so ids of one session become
 * visible in id order and a reader that resumes after the last id it delivered misses nothing.
 */
@Injectable()
export class VideoSignalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores a message and notifies every listening replica, in the caller's transaction (delivered on commit). */
  async insert(manager: EntityManager, s: Omit<VideoSignal, 'id' | 'createdAt'>, now: Date): Promise<VideoSignal> {
    const rows: VideoSignal[] = await manager.query(
      `INSERT INTO video_signals (session_id, from_identity, to_identity, type, body, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id::text AS id, session_id AS "sessionId", from_identity AS "from", to_identity AS "to", type, body AS data, created_at AS "createdAt"`,
      [s.sessionId, s.from, s.to, s.type, JSON.stringify(s.data), now],
    );
    const row = rows[0]!;
    await manager.query(`SELECT pg_notify($1, $2)`, [VIDEO_SIGNALS_CHANNEL, `${row.sessionId}:${row.id}`]);
    return row;
  }

  /** The newest message id of a session ('0' when there is none): where a fresh stream starts. */
  async maxId(manager: EntityManager, sessionId: string): Promise<string> {
    const rows: { id: string }[] = await manager.query(`SELECT COALESCE(max(id), 0)::text AS id FROM video_signals WHERE session_id = $1`, [sessionId]);
    return rows[0]!.id;
  }

  /**
   * The messages of a session after `afterId` that `identity` should receive: addressed to it or
   * to everyone, and not sent by it; oldest first.
   */
  forRecipient(sessionId: string, identity: string, afterId: string, limit: number): Promise<DeliverableSignal[]> {
    return this.dataSource.query(
      `SELECT id::text AS id, from_identity AS "from", type, body AS data
         FROM video_signals
        WHERE session_id = $1 AND id > $2::bigint
          AND (to_identity = $3 OR to_identity IS NULL) AND from_identity <> $3
        ORDER BY video_signals.id
        LIMIT ${Number(limit)}`,
      [sessionId, afterId, identity],
    );
  }

  /** The participant of the session other than `userId` (null until they first join). */
  async otherParticipant(manager: EntityManager, sessionId: string, userId: string): Promise<PeerParticipant | null> {
    const rows: PeerParticipant[] = await manager.query(
      `SELECT p.identity, p.role,
              (SELECT a.event FROM video_attendance a WHERE a.identity = p.identity ORDER BY a.occurred_at DESC, a.id DESC LIMIT 1) AS "lastEvent"
         FROM video_participants p
        WHERE p.session_id = $1 AND p.user_id <> $2`,
      [sessionId, userId],
    );
    return rows[0] ?? null;
  }

  /** Deletes messages created before `cutoff` (relayed long ago; the table is not a record). How many went. */
  async deleteCreatedBefore(cutoff: Date): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(`DELETE FROM video_signals WHERE created_at < $1`, [cutoff]);
    return result[1];
  }
}

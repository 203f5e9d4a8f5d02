import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

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

/** SQL of the signalling relay (`video_signals`). */
@Injectable()
export class VideoSignalsRepository {
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
}

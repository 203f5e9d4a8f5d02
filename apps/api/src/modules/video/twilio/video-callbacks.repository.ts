import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** SQL of `video_callbacks`: provider callbacks kept as received (append-only), one row per event. */
@Injectable()
export class VideoCallbacksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether an event with this dedupe key was stored already (a committed redelivery; no transaction needed to say so). */
  async exists(provider: string, dedupeKey: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM video_callbacks WHERE provider = $1 AND dedupe_key = $2`, [provider, dedupeKey]);
    return rows.length > 0;
  }

  /**
   * Stores a callback; false (nothing written) when an event with the same dedupe key was stored
   * before. A concurrent insert of the same key waits for the first transaction and then finds it.
   */
  async insert(
    manager: EntityManager,
    c: { provider: string; dedupeKey: string; event: string; roomSid: string | null; params: Record<string, string>; receivedAt: Date },
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO video_callbacks (provider, dedupe_key, event, room_sid, params, received_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT uq_video_callbacks_event DO NOTHING RETURNING id`,
      [c.provider, c.dedupeKey, c.event, c.roomSid, JSON.stringify(c.params), c.receivedAt],
    );
    return rows.length === 1;
  }
}

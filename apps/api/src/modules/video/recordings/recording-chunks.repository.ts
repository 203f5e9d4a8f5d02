import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** One received chunk of a browser upload; its bytes are in the blob store under `blobKey` until the upload is assembled. */
export interface RecordingChunk {
  recordingId: string;
  index: number;
  sha256: string;
  size: number;
  blobKey: string;
  receivedAt: Date;
}

const COLUMNS = `recording_id AS "recordingId", idx AS "index", sha256, size_bytes AS "size", blob_key AS "blobKey", received_at AS "receivedAt"`;

/** SQL of `recording_chunks` (written only by the upload service). */
@Injectable()
export class RecordingChunksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts a chunk unless its index is taken; returns the inserted row, or null when it was. */
  async insertIfAbsent(manager: EntityManager, c: RecordingChunk): Promise<RecordingChunk | null> {
    const rows: RecordingChunk[] = await manager.query(
      `INSERT INTO recording_chunks (recording_id, idx, sha256, size_bytes, blob_key, received_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (recording_id, idx) DO NOTHING RETURNING ${COLUMNS}`,
      [c.recordingId, c.index, c.sha256, c.size, c.blobKey, c.receivedAt],
    );
    return rows[0] ?? null;
  }

  async find(manager: EntityManager | null, recordingId: string, index: number): Promise<RecordingChunk | null> {
    const rows: RecordingChunk[] = await (manager ?? this.dataSource).query(`SELECT ${COLUMNS} FROM recording_chunks WHERE recording_id = $1 AND idx = $2`, [
      recordingId,
      index,
    ]);
    return rows[0] ?? null;
  }

  /** The chunks of an upload, by index. */
  async forRecording(manager: EntityManager | null, recordingId: string): Promise<RecordingChunk[]> {
    return (manager ?? this.dataSource).query(`SELECT ${COLUMNS} FROM recording_chunks WHERE recording_id = $1 ORDER BY idx`, [recordingId]);
  }

  async deleteForRecording(manager: EntityManager | null, recordingId: string): Promise<void> {
    await (manager ?? this.dataSource).query(`DELETE FROM recording_chunks WHERE recording_id = $1`, [recordingId]);
  }
}

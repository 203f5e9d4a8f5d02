import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { VideoProviderName } from '../provider/video-provider';

export type RecordingStatus = 'uploading' | 'processing' | 'available' | 'failed';

/** One row of `recordings`: a recording's facts; its bytes are in the blob store under `blobKey`. */
export interface Recording {
  id: string;
  sessionId: string;
  provider: VideoProviderName;
  /** 'composition': the provider's mix of the whole room; 'participant': one browser's own tracks (p2p). */
  kind: 'composition' | 'participant';
  identity: string | null;
  userId: string | null;
  role: 'CLIENT' | 'LAWYER' | null;
  status: RecordingStatus;
  providerSid: string | null;
  blobKey: string | null;
  sha256: string | null;
  sizeBytes: number | null;
  contentType: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  auditSeq: number | null;
  failure: string | null;
  providerDeletedAt: Date | null;
  createdAt: Date;
  availableAt: Date | null;
}

export type NewRecording = Pick<Recording, 'sessionId' | 'provider' | 'kind' | 'status'> &
  Partial<Pick<Recording, 'identity' | 'userId' | 'role' | 'providerSid' | 'contentType' | 'startedAt' | 'endedAt' | 'durationSeconds'>>;

export type RecordingChanges = Partial<
  Pick<
    Recording,
    'status' | 'blobKey' | 'sha256' | 'sizeBytes' | 'contentType' | 'endedAt' | 'durationSeconds' | 'auditSeq' | 'failure' | 'providerDeletedAt' | 'availableAt'
  >
>;

const COLUMNS = `id, session_id AS "sessionId", provider, kind, identity, user_id AS "userId", role, status, provider_sid AS "providerSid",
  blob_key AS "blobKey", sha256, size_bytes::float8 AS "sizeBytes", content_type AS "contentType", started_at AS "startedAt",
  ended_at AS "endedAt", duration_seconds AS "durationSeconds", audit_seq::float8 AS "auditSeq", failure,
  provider_deleted_at AS "providerDeletedAt", created_at AS "createdAt", available_at AS "availableAt"`;

const CHANGE_COLUMNS: Record<keyof RecordingChanges, string> = {
  status: 'status',
  blobKey: 'blob_key',
  sha256: 'sha256',
  sizeBytes: 'size_bytes',
  contentType: 'content_type',
  endedAt: 'ended_at',
  durationSeconds: 'duration_seconds',
  auditSeq: 'audit_seq',
  failure: 'failure',
  providerDeletedAt: 'provider_deleted_at',
  availableAt: 'available_at',
};

/** SQL of `recordings` (the chunks of browser uploads are the uploads' own repository). */
@Injectable()
export class RecordingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, r: NewRecording, now: Date): Promise<Recording> {
    const rows: Recording[] = await manager.query(
      `INSERT INTO recordings (session_id, provider, kind, status, identity, user_id, role, provider_sid, content_type, started_at, ended_at, duration_seconds, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLUMNS}`,
      [
        r.sessionId,
        r.provider,
        r.kind,
        r.status,
        r.identity ?? null,
        r.userId ?? null,
        r.role ?? null,
        r.providerSid ?? null,
        r.contentType ?? null,
        r.startedAt ?? null,
        r.endedAt ?? null,
        r.durationSeconds ?? null,
        now,
      ],
    );
    return rows[0]!;
  }

  async update(manager: EntityManager, id: string, changes: RecordingChanges): Promise<Recording> {
    const entries = Object.entries(changes) as [keyof RecordingChanges, unknown][];
    const rows: [Recording[], number] = await manager.query(
      `UPDATE recordings SET ${entries.map(([k], i) => `${CHANGE_COLUMNS[k]} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...entries.map(([, v]) => v)],
    );
    return rows[0][0]!;
  }

  async find(manager: EntityManager | null, id: string, opts: { lock?: boolean } = {}): Promise<Recording | null> {
    const rows: Recording[] = await (manager ?? this.dataSource).query(`SELECT ${COLUMNS} FROM recordings WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ?? null;
  }

  async findByProviderSid(manager: EntityManager, providerSid: string, opts: { lock?: boolean } = {}): Promise<Recording | null> {
    const rows: Recording[] = await manager.query(`SELECT ${COLUMNS} FROM recordings WHERE provider_sid = $1${opts.lock ? ' FOR UPDATE' : ''}`, [providerSid]);
    return rows[0] ?? null;
  }

  /** A session's recordings, oldest first (a session has a handful at most). */
  async forSession(sessionId: string): Promise<Recording[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM recordings WHERE session_id = $1 ORDER BY created_at, id LIMIT 200`, [sessionId]);
  }

  /** Available recordings whose bytes hash to `sha256`. */
  async availableBySha256(sha256: string): Promise<Recording[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM recordings WHERE sha256 = $1 AND status = 'available' ORDER BY available_at LIMIT 20`, [sha256]);
  }
}

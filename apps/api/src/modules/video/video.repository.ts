import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { VideoProviderName } from './provider/video-provider';

/** One row of `video_rooms`. */
export interface VideoRoom {
  sessionId: string;
  provider: VideoProviderName;
  roomName: string;
  providerRoomSid: string | null;
  status: 'open' | 'ended';
  recordingRulesSetAt: Date | null;
  recordingStoppedAt: Date | null;
  endedAt: Date | null;
  compositionSid: string | null;
  compositionRequestedAt: Date | null;
  createdAt: Date;
}

/** One row of `video_participants`. */
export interface VideoParticipant {
  sessionId: string;
  userId: string;
  identity: string;
  role: 'CLIENT' | 'LAWYER';
  recordingConsentAt: Date | null;
}

/** One row of `video_attendance`. */
export interface AttendanceRow {
  id: string;
  sessionId: string;
  userId: string | null;
  identity: string;
  role: 'CLIENT' | 'LAWYER' | null;
  event: 'joined' | 'left';
  occurredAt: Date;
  source: 'twilio' | 'signalling';
}

export type RoomChanges = Partial<
  Pick<VideoRoom, 'providerRoomSid' | 'status' | 'recordingRulesSetAt' | 'recordingStoppedAt' | 'endedAt' | 'compositionSid' | 'compositionRequestedAt'>
>;

const ROOM = `session_id AS "sessionId", provider, room_name AS "roomName", provider_room_sid AS "providerRoomSid", status,
  recording_rules_set_at AS "recordingRulesSetAt", recording_stopped_at AS "recordingStoppedAt", ended_at AS "endedAt",
  composition_sid AS "compositionSid", composition_requested_at AS "compositionRequestedAt", created_at AS "createdAt"`;
const PARTICIPANT = `session_id AS "sessionId", user_id AS "userId", identity, role, recording_consent_at AS "recordingConsentAt"`;
const ATTENDANCE = `id::text AS id, session_id AS "sessionId", user_id AS "userId", identity, role, event, occurred_at AS "occurredAt", source`;

const ROOM_COLUMNS: Record<keyof RoomChanges, string> = {
  providerRoomSid: 'provider_room_sid',
  status: 'status',
  recordingRulesSetAt: 'recording_rules_set_at',
  recordingStoppedAt: 'recording_stopped_at',
  endedAt: 'ended_at',
  compositionSid: 'composition_sid',
  compositionRequestedAt: 'composition_requested_at',
};

/** SQL of the video module's rooms, participants and attendance log. */
@Injectable()
export class VideoRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async room(manager: EntityManager | null, sessionId: string, opts: { lock?: boolean } = {}): Promise<VideoRoom | null> {
    const rows: VideoRoom[] = await (manager ?? this.dataSource).query(
      `SELECT ${ROOM} FROM video_rooms WHERE session_id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
      [sessionId],
    );
    return rows[0] ?? null;
  }

  /**
   * The room a provider id or our room name belongs to (callbacks); `lock` takes its row lock,
   * for events that change the room (not for attendance, which is idempotent on its own).
   */
  async roomByProviderRef(
    manager: EntityManager,
    ref: { providerRoomSid?: string | null; roomName?: string | null },
    opts: { lock: boolean },
  ): Promise<VideoRoom | null> {
    const rows: VideoRoom[] = await manager.query(
      `SELECT ${ROOM} FROM video_rooms
        WHERE ($1::text IS NOT NULL AND provider_room_sid = $1) OR ($2::text IS NOT NULL AND room_name = $2)
        ORDER BY (provider_room_sid = $1) DESC NULLS LAST LIMIT 1${opts.lock ? ' FOR UPDATE' : ''}`,
      [ref.providerRoomSid ?? null, ref.roomName ?? null],
    );
    return rows[0] ?? null;
  }

  async insertRoom(manager: EntityManager, r: { sessionId: string; provider: VideoProviderName; roomName: string; providerRoomSid: string | null; now: Date }): Promise<VideoRoom> {
    const rows: VideoRoom[] = await manager.query(
      `INSERT INTO video_rooms (session_id, provider, room_name, provider_room_sid, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${ROOM}`,
      [r.sessionId, r.provider, r.roomName, r.providerRoomSid, r.now],
    );
    return rows[0]!;
  }

  async updateRoom(manager: EntityManager, sessionId: string, changes: RoomChanges, now: Date): Promise<VideoRoom> {
    const entries = Object.entries(changes) as [keyof RoomChanges, unknown][];
    const sets = entries.map(([k], i) => `${ROOM_COLUMNS[k]} = $${i + 3}`);
    const rows: [VideoRoom[], number] = await manager.query(
      `UPDATE video_rooms SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE session_id = $1 RETURNING ${ROOM}`,
      [sessionId, now, ...entries.map(([, v]) => v)],
    );
    return rows[0][0]!;
  }

  async participants(manager: EntityManager | null, sessionId: string): Promise<VideoParticipant[]> {
    return (manager ?? this.dataSource).query(`SELECT ${PARTICIPANT} FROM video_participants WHERE session_id = $1 ORDER BY role`, [sessionId]);
  }

  async participantByIdentity(manager: EntityManager | null, identity: string): Promise<VideoParticipant | null> {
    const rows: VideoParticipant[] = await (manager ?? this.dataSource).query(`SELECT ${PARTICIPANT} FROM video_participants WHERE identity = $1`, [identity]);
    return rows[0] ?? null;
  }

  async insertParticipant(manager: EntityManager, p: Omit<VideoParticipant, 'recordingConsentAt'> & { now: Date }): Promise<VideoParticipant> {
    const rows: VideoParticipant[] = await manager.query(
      `INSERT INTO video_participants (session_id, user_id, identity, role, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${PARTICIPANT}`,
      [p.sessionId, p.userId, p.identity, p.role, p.now],
    );
    return rows[0]!;
  }

  async setConsent(manager: EntityManager, sessionId: string, userId: string, at: Date | null): Promise<void> {
    await manager.query(`UPDATE video_participants SET recording_consent_at = $3 WHERE session_id = $1 AND user_id = $2`, [sessionId, userId, at]);
  }

  /** Appends to the attendance log; null (nothing written) when `dedupeKey` was seen before. */
  async appendAttendance(
    manager: EntityManager,
    a: Omit<AttendanceRow, 'id'> & { dedupeKey: string | null; recordedAt: Date },
  ): Promise<AttendanceRow | null> {
    const rows: AttendanceRow[] = await manager.query(
      `INSERT INTO video_attendance (session_id, user_id, identity, role, event, occurred_at, source, dedupe_key, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING ${ATTENDANCE}`,
      [a.sessionId, a.userId, a.identity, a.role, a.event, a.occurredAt, a.source, a.dedupeKey, a.recordedAt],
    );
    return rows[0] ?? null;
  }

  /** The newest attendance event of one identity (to skip a repeated join or leave). */
  async lastAttendance(manager: EntityManager, identity: string): Promise<AttendanceRow | null> {
    const rows: AttendanceRow[] = await manager.query(
      `SELECT ${ATTENDANCE} FROM video_attendance WHERE identity = $1 ORDER BY occurred_at DESC, video_attendance.id DESC LIMIT 1`,
      [identity],
    );
    return rows[0] ?? null;
  }

  /**
   * Open rooms whose session ended before `endedBefore` (through consultations-core's
   * `session_bookings` view), oldest first.
   */
  async overdueOpenRooms(endedBefore: Date, limit: number): Promise<{ sessionId: string; endAt: Date }[]> {
    return this.dataSource.query(
      `SELECT r.session_id AS "sessionId", b.end_at AS "endAt"
         FROM video_rooms r JOIN session_bookings b ON b.id = r.session_id
        WHERE r.status = 'open' AND b.end_at < $1
        ORDER BY b.end_at LIMIT $2`,
      [endedBefore, limit],
    );
  }

  async attendance(sessionId: string): Promise<AttendanceRow[]> {
    return this.dataSource.query(`SELECT ${ATTENDANCE} FROM video_attendance WHERE session_id = $1 ORDER BY occurred_at, video_attendance.id LIMIT 1000`, [sessionId]);
  }
}

import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { IceServer } from '../../../config/ice-servers';
import type { AttendanceRow } from '../video.repository';
import type { VideoJoin, VideoRoomState } from '../video.service';

export class JoinVideoDto {
  /** Whether the caller agrees to this call being recorded. Recording starts only once both participants have agreed. */
  @IsBoolean()
  recordingConsent: boolean;
}

export class RecordingConsentDto {
  /** true: agree to recording; false: withdraw (a running recording stops, visibly to the other participant). */
  @IsBoolean()
  recordingConsent: boolean;
}

export class VideoRecordingStateResponse {
  clientConsented: boolean;
  lawyerConsented: boolean;
  /** Both consented and the call is running: being recorded now. */
  active: boolean;
}

export class VideoRoomResponse {
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  @ApiProperty({ enum: ['twilio', 'p2p'] })
  provider: 'twilio' | 'p2p';
  @ApiProperty({ enum: ['PENDING_PAYMENT', 'PAID', 'SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW_CLIENT', 'NO_SHOW_LAWYER', 'EXPIRED'] })
  status: string;
  /** From when the call can be joined (some minutes before the start); null while no time is booked. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  opensAt: Date | null;
  /** Until when it can be joined (the scheduled end plus the grace period). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closesAt: Date | null;
  /** Whether the caller may join now. */
  joinable: boolean;
  /** Why not, as the join endpoint's error code (VIDEO_JOIN_TOO_EARLY, VIDEO_JOIN_CLOSED, SESSION_NOT_SCHEDULED), or null. */
  @ApiProperty({ example: 'VIDEO_JOIN_TOO_EARLY', type: String, nullable: true })
  refusal: string | null;
  /** true for the peer-to-peer provider (media encrypted browser to browser); false for Twilio group rooms (its servers decrypt media). */
  endToEndEncrypted: boolean;
  recording: VideoRecordingStateResponse;
  /** The caller's side, or null for an admin looking on. */
  @ApiProperty({ enum: ['CLIENT', 'LAWYER'], nullable: true })
  myRole: 'CLIENT' | 'LAWYER' | null;
}

export class IceServerResponse {
  @ApiProperty({
    example: ['turn:turn.lexmarket.example:3478?transport=udp', 'turns:turn.lexmarket.example:5349'],
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
  })
  urls: string | string[];
  @ApiProperty({ example: '1773324000:6f1c1f0e', required: false })
  username?: string;
  @ApiProperty({ example: 'b7Qx2YcU9rVnM4kP', required: false })
  credential?: string;
}

export class VideoJoinResponse {
  @ApiProperty({ enum: ['twilio', 'p2p'] })
  provider: 'twilio' | 'p2p';
  /** The provider's room name: an opaque id. */
  @ApiProperty({ example: 'session-5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47' })
  roomName: string;
  /** The caller's opaque participant identity in this room. */
  @ApiProperty({ example: '5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47:client' })
  identity: string;
  /** Twilio: an access token for this room only; null for peer-to-peer calls. */
  @ApiProperty({
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb29tIjoic2Vzc2lvbiJ9.c2lnbmF0dXJl',
    type: String,
    nullable: true,
  })
  token: string | null;
  /** When the token (and the join window) ends. */
  expiresAt: Date;
  @ApiProperty({ type: [IceServerResponse] })
  iceServers: IceServerResponse[];
  room: VideoRoomResponse;
}

export class AttendanceEventResponse {
  @ApiProperty({ enum: ['CLIENT', 'LAWYER'], nullable: true })
  role: 'CLIENT' | 'LAWYER' | null;
  @ApiProperty({ enum: ['joined', 'left'] })
  event: 'joined' | 'left';
  at: Date;
  /** Who observed it: the provider's room events, or our signalling server. */
  @ApiProperty({ enum: ['twilio', 'signalling'] })
  source: 'twilio' | 'signalling';
}

export class AttendanceResponse {
  @ApiProperty({ type: [AttendanceEventResponse] })
  items: AttendanceEventResponse[];
}

export function toVideoRoomResponse(s: VideoRoomState): VideoRoomResponse {
  return {
    sessionId: s.sessionId,
    provider: s.provider,
    status: s.status,
    opensAt: s.window?.opensAt ?? null,
    closesAt: s.window?.closesAt ?? null,
    joinable: s.joinable,
    refusal: s.refusal,
    endToEndEncrypted: s.endToEndEncrypted,
    recording: s.recording,
    myRole: s.myRole,
  };
}

export function toVideoJoinResponse(j: VideoJoin): VideoJoinResponse {
  return {
    provider: j.provider,
    roomName: j.roomName,
    identity: j.identity,
    token: j.token,
    expiresAt: j.expiresAt,
    iceServers: j.iceServers.map((s: IceServer) => ({ ...s })),
    room: toVideoRoomResponse(j.room),
  };
}

export function toAttendanceResponse(rows: AttendanceRow[]): AttendanceResponse {
  return { items: rows.map((r) => ({ role: r.role, event: r.event, at: r.occurredAt, source: r.source })) };
}

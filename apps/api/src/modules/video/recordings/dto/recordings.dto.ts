import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsInstant } from '../../../../common/validation/is-instant';
import { MAX_CHUNK_INDEX, RECORDING_UPLOAD_CONTENT_TYPES, type RecordingUploadContentType, type UploadState } from '../recording-uploads.service';
import type { RecordingChunk } from '../recording-chunks.repository';
import type { Recording } from '../recordings.repository';

export class StartRecordingUploadDto {
  /** What the browser's MediaRecorder produces (parameters such as `;codecs=vp8,opus` left out). */
  @ApiProperty({ enum: RECORDING_UPLOAD_CONTENT_TYPES, example: 'video/webm' })
  @IsIn(RECORDING_UPLOAD_CONTENT_TYPES)
  contentType: RecordingUploadContentType;

  /** When the browser started recording. */
  @IsInstant()
  startedAt: string;
}

export class RecordingUploadStartedResponse {
  @ApiProperty({ format: 'uuid' })
  uploadId: string;
  /** Largest chunk accepted, in bytes (VIDEO_RECORDING_CHUNK_MAX_BYTES); a larger one → 413. */
  chunkMaxBytes: number;
}

export class RecordingChunkResponse {
  index: number;
  size: number;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  sha256: string;
}

export class RecordingUploadStateResponse {
  @ApiProperty({ format: 'uuid' })
  uploadId: string;
  @ApiProperty({ enum: ['uploading', 'processing', 'available', 'failed'] })
  status: string;
  /** The chunks received so far, by index: send only the others when resuming. */
  @ApiProperty({ type: [RecordingChunkResponse] })
  chunks: RecordingChunkResponse[];
}

export class CompleteRecordingUploadDto {
  /** How many chunks make the recording: indexes 0 to chunkCount − 1 must all have been sent. */
  @IsInt()
  @Min(1)
  @Max(MAX_CHUNK_INDEX + 1)
  chunkCount: number;

  /** When the browser stopped recording. */
  @IsInstant()
  endedAt: string;
}

export class RecordingResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: ['twilio', 'p2p'] })
  provider: 'twilio' | 'p2p';
  /** 'composition': the provider's mix of the whole call; 'participant': one browser's own camera and microphone. */
  @ApiProperty({ enum: ['composition', 'participant'] })
  kind: 'composition' | 'participant';
  /** Whose browser recorded it (participant recordings); null for a composition. */
  @ApiProperty({ enum: ['CLIENT', 'LAWYER'], nullable: true })
  role: 'CLIENT' | 'LAWYER' | null;
  /** Only 'available' recordings can be downloaded. */
  @ApiProperty({ enum: ['uploading', 'processing', 'available', 'failed'] })
  status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt: Date | null;
  @ApiProperty({ type: Number, nullable: true })
  durationSeconds: number | null;
  @ApiProperty({ type: Number, nullable: true })
  sizeBytes: number | null;
  /** SHA-256 of the file as kept by us: hash a downloaded copy and compare, or ask GET /api/verify/{sha256}. */
  @ApiProperty({ type: String, nullable: true, example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  sha256: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'video/webm' })
  contentType: string | null;
  /** Seq of the audit entry that chained this recording's hash (`recording.stored`). */
  @ApiProperty({ type: Number, nullable: true })
  auditSeq: number | null;
}

export class RecordingListResponse {
  @ApiProperty({ type: [RecordingResponse] })
  items: RecordingResponse[];
}

export class RecordingMediaLinkResponse {
  /** Path of the media, valid for 5 minutes, for a `<video>` or `<audio>` element (no Authorization header needed). */
  @ApiProperty({ example: '/api/recordings/media/eyJyaWQiOi….Q2x0' })
  url: string;
  expiresAt: Date;
}

export function toRecordingResponse(r: Recording): RecordingResponse {
  return {
    id: r.id,
    provider: r.provider,
    kind: r.kind,
    role: r.role,
    status: r.status,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    durationSeconds: r.durationSeconds,
    sizeBytes: r.sizeBytes,
    sha256: r.sha256,
    contentType: r.contentType,
    auditSeq: r.auditSeq,
  };
}

export function toUploadStateResponse(s: UploadState): RecordingUploadStateResponse {
  return { uploadId: s.uploadId, status: s.status, chunks: s.chunks.map((c: Pick<RecordingChunk, 'index' | 'size' | 'sha256'>) => ({ ...c })) };
}

import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { AuthUser } from '../../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../../common/http/uuid-param';
import {
  CompleteRecordingUploadDto,
  RecordingChunkResponse,
  RecordingListResponse,
  RecordingMediaLinkResponse,
  RecordingResponse,
  RecordingUploadStartedResponse,
  RecordingUploadStateResponse,
  StartRecordingUploadDto,
  toRecordingResponse,
  toUploadStateResponse,
} from './dto/recordings.dto';
import { RecordingMediaService, type RecordingMedia } from './recording-media.service';
import { MAX_CHUNK_INDEX, RECORDING_UPLOAD_CONTENT_TYPES, RecordingUploadsService } from './recording-uploads.service';
import { ChunkIndexInvalid, ChunkNotBinary } from './recordings.errors';

/** Content types a recording may be served as. */
export const RECORDING_MEDIA_TYPES = [...RECORDING_UPLOAD_CONTENT_TYPES, 'application/octet-stream'];

/**
 * A session's recordings: the peer-to-peer provider's chunked browser uploads (the uploader
 * only), the list and the downloads (participants and admins; anyone else 404).
 */
@ApiTags('recordings')
@Controller('sessions')
export class RecordingsController {
  constructor(
    private readonly uploads: RecordingUploadsService,
    private readonly media: RecordingMediaService,
  ) {}

  @Post(':id/recordings/uploads')
  @Roles(Role.CLIENT, Role.LAWYER)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'startRecordingUpload',
    summary: 'Start uploading the caller’s own recording of the call (peer-to-peer provider), in chunks.',
    description:
      'Only a participant who joined, and only while both participants consent (409 RECORDING_CONSENT_MISSING); with a provider that records ' +
      'the call itself (Twilio) → 409 RECORDING_UPLOAD_NOT_SUPPORTED.',
  })
  @ApiCreatedResponse({ type: RecordingUploadStartedResponse })
  @ApiErrorResponses(400, 404, 409)
  async start(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: StartRecordingUploadDto): Promise<RecordingUploadStartedResponse> {
    return this.uploads.start(actor, id, { contentType: body.contentType, startedAt: new Date(body.startedAt) });
  }

  @Get(':id/recordings/uploads/:uploadId')
  @Roles(Role.CLIENT, Role.LAWYER)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({ operationId: 'getRecordingUpload', summary: 'The chunks received so far of the caller’s upload: to resume an interrupted upload.' })
  @ApiOkResponse({ type: RecordingUploadStateResponse })
  @ApiErrorResponses(400, 404)
  async state(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Param('uploadId', UuidParam('uploadId')) uploadId: string,
  ): Promise<RecordingUploadStateResponse> {
    return toUploadStateResponse(await this.uploads.state(actor, id, uploadId));
  }

  @Put(':id/recordings/uploads/:uploadId/chunks/:index')
  @Roles(Role.CLIENT, Role.LAWYER)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'putRecordingChunk',
    summary: 'Send chunk `index` (0, 1, 2…) of the upload as raw bytes, with its SHA-256 in X-Chunk-Sha256.',
    description:
      'At most chunkMaxBytes (413 PAYLOAD_TOO_LARGE). Bytes that do not hash to X-Chunk-Sha256 → 422 CHUNK_HASH_MISMATCH (nothing kept); ' +
      'the same chunk again → 200; other bytes for a received index → 409 CHUNK_CONFLICT.',
  })
  @ApiParam({ name: 'index', schema: { type: 'integer', minimum: 0, maximum: MAX_CHUNK_INDEX } })
  @ApiHeader({ name: 'X-Chunk-Sha256', required: true, description: 'SHA-256 of the chunk’s bytes, 64 hex digits', schema: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' } })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: RecordingChunkResponse })
  @ApiErrorResponses(400, 404, 409, 413, 415, 422)
  async putChunk(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Param('uploadId', UuidParam('uploadId')) uploadId: string,
    @Param('index') indexParam: string,
    @Headers('x-chunk-sha256') sha256: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<RecordingChunkResponse> {
    const body = request.body;
    if (!(body instanceof Readable)) throw new ChunkNotBinary();
    if (!/^\d{1,5}$/.test(indexParam)) {
      body.resume();
      throw new ChunkIndexInvalid();
    }
    return this.uploads.putChunk(actor, id, uploadId, Number(indexParam), sha256, body);
  }

  @Post(':id/recordings/uploads/:uploadId/complete')
  @HttpCode(200)
  @Roles(Role.CLIENT, Role.LAWYER)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'completeRecordingUpload',
    summary: 'Assemble chunks 0…chunkCount−1 into the recording: stored, hashed (SHA-256) and chained into the audit trail.',
    description: 'A missing chunk → 409 UPLOAD_INCOMPLETE naming the missing indexes. Completing again returns the same recording.',
  })
  @ApiOkResponse({ type: RecordingResponse })
  @ApiErrorResponses(400, 404, 409)
  async complete(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Param('uploadId', UuidParam('uploadId')) uploadId: string,
    @Body() body: CompleteRecordingUploadDto,
  ): Promise<RecordingResponse> {
    return toRecordingResponse(await this.uploads.complete(actor, id, uploadId, { chunkCount: body.chunkCount, endedAt: new Date(body.endedAt) }));
  }

  @Get(':id/recordings')
  @Roles(Role.CLIENT, Role.LAWYER, Role.ADMIN)
  @Scopes('sessions:read')
  @ApiOperation({ operationId: 'listSessionRecordings', summary: 'The recordings of a session (participants and admins): provider, times, size, SHA-256 and audit seq.' })
  @ApiOkResponse({ type: RecordingListResponse })
  @ApiErrorResponses(400, 404)
  async list(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<RecordingListResponse> {
    return { items: (await this.media.list(actor, id)).map(toRecordingResponse) };
  }

  @Get(':id/recordings/:recordingId/media')
  @Roles(Role.CLIENT, Role.LAWYER, Role.ADMIN)
  @Scopes('sessions:read')
  @ApiOperation({
    operationId: 'downloadSessionRecording',
    summary: 'Download a recording (participants and admins); `Range: bytes=a-b` → 206 for seeking. Every access is an audit entry (recording.accessed).',
  })
  @ApiHeader({ name: 'Range', required: false, description: 'One byte range, e.g. bytes=0-1048575', schema: { type: 'string' } })
  @ApiProduces(...RECORDING_MEDIA_TYPES)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The whole recording' })
  @ApiResponse({ status: 206, schema: { type: 'string', format: 'binary' }, description: 'The requested range' })
  @ApiErrorResponses(400, 404, 416)
  async download(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Param('recordingId', UuidParam('recordingId')) recordingId: string,
    @Headers('range') range: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return sendMedia(reply, await this.media.open(actor, id, recordingId, range));
  }

  @Post(':id/recordings/:recordingId/media-link')
  @HttpCode(200)
  @Roles(Role.CLIENT, Role.LAWYER, Role.ADMIN)
  @Scopes('sessions:read')
  @ApiOperation({
    operationId: 'createRecordingMediaLink',
    summary: 'A 5-minute link to the recording’s media for a <video> element, which cannot send an Authorization header (uses are audited under the caller).',
  })
  @ApiOkResponse({ type: RecordingMediaLinkResponse })
  @ApiErrorResponses(400, 404)
  async mediaLink(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Param('recordingId', UuidParam('recordingId')) recordingId: string,
  ): Promise<RecordingMediaLinkResponse> {
    return this.media.link(actor, id, recordingId);
  }
}

/** Sends an opened recording: 200 whole or 206 with Content-Range; ETag is its SHA-256. */
export function sendMedia(reply: FastifyReply, media: RecordingMedia): StreamableFile {
  const { recording, range, size } = media;
  const ext = media.contentType.includes('mp4') ? (media.contentType.startsWith('audio') ? 'm4a' : 'mp4') : media.contentType.includes('webm') ? 'webm' : 'bin';
  void reply
    .header('accept-ranges', 'bytes')
    .header('etag', `"${recording.sha256}"`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff');
  if (range) void reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
  return new StreamableFile(media.stream, {
    type: media.contentType,
    length: range ? range.end - range.start + 1 : size,
    disposition: `attachment; filename="recording-${recording.id}.${ext}"`,
  });
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { Clock } from '../../../common/time/clock';
import { AppConfig } from '../../../config/app-config';
import { AuditService } from '../../audit';
import { BlobStore } from '../../storage';
import { RecordingConsentMissing } from '../video.errors';
import { VideoService } from '../video.service';
import { RecordingChunksRepository, type RecordingChunk } from './recording-chunks.repository';
import { RecordingVault } from './recording-vault.service';
import {
  ChunkConflict,
  ChunkHashMismatch,
  ChunkHashRequired,
  RecordingUploadNotFound,
  RecordingUploadNotSupported,
  UploadAlreadyComplete,
  UploadChunkCountMismatch,
  UploadIncomplete,
} from './recordings.errors';
import { RecordingsRepository, type Recording } from './recordings.repository';

/** Content types a browser may upload (what MediaRecorder produces). */
export const RECORDING_UPLOAD_CONTENT_TYPES = ['video/webm', 'audio/webm', 'video/mp4', 'audio/mp4'] as const;
export type RecordingUploadContentType = (typeof RECORDING_UPLOAD_CONTENT_TYPES)[number];

/** Highest chunk index accepted (a 1 GB recording in 8 MiB chunks uses 128). */
export const MAX_CHUNK_INDEX = 99_999;

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface UploadState {
  uploadId: string;
  status: Recording['status'];
  chunks: Pick<RecordingChunk, 'index' | 'size' | 'sha256'>[];
}

/**
 * Browser recordings of the peer-to-peer provider: each participant's browser records its own
 * tracks and uploads them in ordered chunks, each checked against the SHA-256 the browser
 * announces. A chunk goes straight from the request stream into the blob store (never held
 * whole); a chunk whose bytes do not match is deleted at once. Completing the upload streams
 * the chunks, in order, into `RecordingVault.seal`, which hashes the whole file, stores it and
 * chains its hash into the audit trail; the chunks are deleted afterwards. An upload is visible
 * to its uploader only; anyone else gets 404.
 */
@Injectable()
export class RecordingUploadsService {
  private readonly logger = new Logger(RecordingUploadsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly video: VideoService,
    private readonly recordings: RecordingsRepository,
    private readonly chunks: RecordingChunksRepository,
    private readonly vault: RecordingVault,
    private readonly blobs: BlobStore,
    private readonly audit: AuditService,
  ) {}

  get chunkMaxBytes(): number {
    return this.config.VIDEO_RECORDING_CHUNK_MAX_BYTES;
  }

  /**
   * Opens an upload for the caller's own recording: they must have joined the call, both
   * participants must consent right now (409 RECORDING_CONSENT_MISSING, nothing written), and
   * the provider must be one that records in the browser.
   */
  async start(actor: AuthUser, sessionId: string, input: { contentType: RecordingUploadContentType; startedAt: Date }): Promise<{ uploadId: string; chunkMaxBytes: number }> {
    const recording = await this.dataSource.transaction(async (m) => {
      const { participant } = await this.video.member(m, actor, sessionId);
      if (!this.video.recordsInBrowser) throw new RecordingUploadNotSupported();
      if (!(await this.video.bothConsented(m, sessionId))) throw new RecordingConsentMissing();
      const created = await this.recordings.insert(
        m,
        {
          sessionId,
          provider: this.video.providerName,
          kind: 'participant',
          status: 'uploading',
          identity: participant.identity,
          userId: actor.id,
          role: participant.role,
          contentType: input.contentType,
          startedAt: input.startedAt,
        },
        this.clock.now(),
      );
      // audit: recording.upload_started
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'recording.upload_started',
        subjectType: 'recording',
        subjectId: created.id,
        payload: { sessionId, role: participant.role, contentType: input.contentType },
      });
      return created;
    });
    return { uploadId: recording.id, chunkMaxBytes: this.chunkMaxBytes };
  }

  /** What the server has of an upload, so an interrupted client sends only the rest. */
  async state(actor: AuthUser, sessionId: string, uploadId: string): Promise<UploadState> {
    const upload = await this.ownUpload(actor, sessionId, uploadId);
    const chunks = await this.chunks.forRecording(null, upload.id);
    return { uploadId: upload.id, status: upload.status, chunks: chunks.map((c) => ({ index: c.index, size: c.size, sha256: c.sha256 })) };
  }

  /**
   * Stores chunk `index`, streamed from `body`, if its bytes hash to `announcedSha256`.
   * Re-sending a chunk with the same bytes is a no-op (200); other bytes for a stored index
   * are a 409 CHUNK_CONFLICT; a mismatching hash is a 422 and nothing is kept.
   */
  async putChunk(actor: AuthUser, sessionId: string, uploadId: string, index: number, announcedSha256: string | undefined, body: Readable): Promise<Pick<RecordingChunk, 'index' | 'size' | 'sha256'>> {
    try {
      const sha256 = announcedSha256?.trim().toLowerCase() ?? '';
      if (!SHA256_HEX.test(sha256)) throw new ChunkHashRequired();
      const upload = await this.ownUpload(actor, sessionId, uploadId);
      if (upload.status !== 'uploading') throw new UploadAlreadyComplete();
      const existing = await this.chunks.find(null, upload.id, index);
      if (existing && existing.sha256 !== sha256) throw new ChunkConflict();

      const blobKey = `recording-uploads/${upload.id}/${index}.${randomBytes(8).toString('hex')}`;
      const stored = await this.blobs.put(blobKey, body, { contentType: 'application/octet-stream' });
      if (stored.sha256 !== sha256) {
        await this.blobs.delete(blobKey);
        throw new ChunkHashMismatch();
      }
      if (existing) {
        await this.blobs.delete(blobKey); // the same bytes again: keep the first copy
        return { index, size: existing.size, sha256 };
      }
      const outcome = await this.dataSource.transaction(async (m) => {
        const current = await this.recordings.find(m, upload.id, { lock: true });
        if (current?.status !== 'uploading') return 'complete' as const;
        const row = { recordingId: upload.id, index, sha256, size: stored.size, blobKey, receivedAt: this.clock.now() };
        return (await this.chunks.insertIfAbsent(m, row)) ?? (await this.chunks.find(m, upload.id, index))!;
      });
      if (outcome === 'complete' || outcome.blobKey !== blobKey) {
        // Completed meanwhile, or a concurrent request stored this index first.
        await this.blobs.delete(blobKey);
        if (outcome === 'complete') throw new UploadAlreadyComplete();
        if (outcome.sha256 !== sha256) throw new ChunkConflict();
      }
      return { index, size: stored.size, sha256 };
    } finally {
      // Whatever was refused before or while reading it, the rest of the body is not wanted.
      if (!body.readableEnded) body.resume();
    }
  }

  /**
   * Assembles chunks 0..chunkCount-1 (all present, else 409 UPLOAD_INCOMPLETE) into one
   * recording in our custody: one stream reading the chunk blobs in order goes into
   * `RecordingVault.seal` (never buffered), then the chunks are removed. Completing again
   * returns the recording as it is.
   */
  async complete(actor: AuthUser, sessionId: string, uploadId: string, input: { chunkCount: number; endedAt: Date }): Promise<Recording> {
    const upload = await this.ownUpload(actor, sessionId, uploadId);
    if (upload.status === 'available') return upload;
    // The chunk list is read under the row lock that chunk writes take too, so no chunk can
    // arrive between this check and the upload leaving 'uploading'.
    const { marked, chunks } = await this.dataSource.transaction(async (m) => {
      const current = (await this.recordings.find(m, upload.id, { lock: true }))!;
      const received = await this.chunks.forRecording(m, upload.id);
      if (current.status !== 'uploading' && current.status !== 'processing') return { marked: current, chunks: received };
      const present = new Set(received.map((c) => c.index));
      const missing: number[] = [];
      for (let i = 0; i < input.chunkCount && missing.length < 20; i++) if (!present.has(i)) missing.push(i);
      if (missing.length > 0) {
        throw new UploadIncomplete(`Some chunks of this upload are missing: ${missing.join(', ')}${missing.length === 20 ? ', …' : ''}`, { missing });
      }
      if (received.length !== input.chunkCount) throw new UploadChunkCountMismatch(`${received.length} chunks were received, not ${input.chunkCount}`);
      return { marked: current.status === 'processing' ? current : await this.recordings.update(m, current.id, { status: 'processing' }), chunks: received };
    });
    if (marked.status === 'available') return marked;

    const startedAt = marked.startedAt;
    const durationSeconds = startedAt && input.endedAt >= startedAt ? Math.round((input.endedAt.getTime() - startedAt.getTime()) / 1000) : null;
    let sealed: Recording;
    try {
      sealed = await this.vault.seal(marked, this.concatenated(chunks), {
        contentType: marked.contentType ?? 'application/octet-stream',
        endedAt: input.endedAt,
        durationSeconds,
      });
    } catch (e) {
      // A concurrent completion may have sealed it (and removed the chunks) while we read them.
      const now = await this.recordings.find(null, upload.id);
      if (now?.status === 'available') return now;
      throw e;
    }
    await this.removeChunks(sealed.id, chunks);
    return sealed;
  }

  /** The caller's own upload in this session, or 404 (someone else's upload looks absent). */
  private async ownUpload(actor: AuthUser, sessionId: string, uploadId: string): Promise<Recording> {
    const upload = await this.recordings.find(null, uploadId);
    if (!upload || upload.sessionId !== sessionId || upload.userId !== actor.id || upload.kind !== 'participant') throw new RecordingUploadNotFound();
    return upload;
  }

  /** The chunk blobs one after the other as one stream; each is opened only when the previous one ended. */
  private concatenated(chunks: RecordingChunk[]): Readable {
    const blobs = this.blobs;
    return Readable.from(
      (async function* () {
        for (const chunk of chunks) {
          const { stream } = await blobs.get(chunk.blobKey);
          for await (const piece of stream) yield piece as Buffer;
        }
      })(),
      { objectMode: false },
    );
  }

  private async removeChunks(recordingId: string, chunks: RecordingChunk[]): Promise<void> {
    await this.chunks.deleteForRecording(null, recordingId);
    for (const chunk of chunks) {
      await this.blobs.delete(chunk.blobKey).catch((e: unknown) => {
        this.logger.warn(`Could not delete chunk blob ${chunk.blobKey}: ${e instanceof Error ? e.message : String(e)}`);
      });
    }
  }
}

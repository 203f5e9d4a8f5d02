import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { Clock } from '../../../common/time/clock';
import { AppConfig } from '../../../config/app-config';
import { AuditService } from '../../audit';
import { resolveJwtSecret } from '../../identity';
import { BlobStore } from '../../storage';
import { VideoService } from '../video.service';
import { parseRange, type ByteRange } from './byte-range';
import { mediaLinkKey, readMediaLink, signMediaLink } from './media-link';
import { MediaLinkExpired, MediaLinkInvalid, RangeNotSatisfiable, RecordingNotFound } from './recordings.errors';
import { RecordingsRepository, type Recording } from './recordings.repository';

/** How long a media link works: long enough to start playing, short enough not to be worth sharing. */
export const MEDIA_LINK_TTL_SECONDS = 5 * 60;

/** An opened recording: what the controller streams, with the headers it needs. */
export interface RecordingMedia {
  recording: Recording;
  stream: Readable;
  /** Size of the whole recording. */
  size: number;
  contentType: string;
  /** The range being sent, or null for the whole file. */
  range: ByteRange | null;
}

/**
 * Who may see and download a session's recordings (its two participants and admins; anyone
 * else gets 404), and the downloads themselves: streamed from the blob store, one byte range at
 * a time when the player asks, each access written to the audit chain before a byte leaves.
 */
@Injectable()
export class RecordingMediaService {
  private key?: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly video: VideoService,
    private readonly recordings: RecordingsRepository,
    private readonly blobs: BlobStore,
    private readonly audit: AuditService,
  ) {}

  /** A session's recordings (participants and admins). */
  async list(actor: AuthUser, sessionId: string): Promise<Recording[]> {
    await this.video.assertCanRead(actor, sessionId);
    return this.recordings.forSession(sessionId);
  }

  /** Opens a recording of a session for `actor` (audited), whole or the range of `rangeHeader`. */
  async open(actor: AuthUser, sessionId: string, recordingId: string, rangeHeader: string | undefined): Promise<RecordingMedia> {
    await this.video.assertCanRead(actor, sessionId);
    const recording = await this.availableRecording(sessionId, recordingId);
    return this.stream(recording, { id: actor.id, role: actor.role }, rangeHeader, 'session');
  }

  /** A short-lived URL to the recording's media for a player that cannot send a Bearer header. */
  async link(actor: AuthUser, sessionId: string, recordingId: string): Promise<{ url: string; expiresAt: Date }> {
    await this.video.assertCanRead(actor, sessionId);
    const recording = await this.availableRecording(sessionId, recordingId);
    const exp = Math.floor(this.clock.now().getTime() / 1000) + MEDIA_LINK_TTL_SECONDS;
    const token = signMediaLink(this.linkKey(), { rid: recording.id, uid: actor.id, role: actor.role, exp });
    return { url: `/api/recordings/media/${token}`, expiresAt: new Date(exp * 1000) };
  }

  /**
   * Opens the recording a media link points to, for the user it was issued to (audited with
   * their id). Their access is checked again: a link outlives no change of who may read.
   */
  async openByLink(token: string, rangeHeader: string | undefined): Promise<RecordingMedia> {
    const claims = readMediaLink(this.linkKey(), token);
    if (claims === 'invalid') throw new MediaLinkInvalid();
    if (claims.exp * 1000 <= this.clock.now().getTime()) throw new MediaLinkExpired();
    const recording = await this.recordings.find(null, claims.rid);
    if (!recording || recording.status !== 'available') throw new MediaLinkInvalid();
    await this.video.assertCanRead({ id: claims.uid, email: '', role: claims.role, via: 'jwt' }, recording.sessionId).catch(() => {
      throw new MediaLinkInvalid();
    });
    return this.stream(recording, { id: claims.uid, role: claims.role }, rangeHeader, 'link');
  }

  private async availableRecording(sessionId: string, recordingId: string): Promise<Recording> {
    const recording = await this.recordings.find(null, recordingId);
    if (!recording || recording.sessionId !== sessionId || recording.status !== 'available' || !recording.blobKey) throw new RecordingNotFound();
    return recording;
  }

  private async stream(recording: Recording, who: { id: string; role: string }, rangeHeader: string | undefined, via: 'session' | 'link'): Promise<RecordingMedia> {
    const size = recording.sizeBytes ?? 0;
    const range = parseRange(rangeHeader, size);
    if (range === 'unsatisfiable') throw new RangeNotSatisfiable();
    // The access is on the chain before any byte is sent (its own transaction, committed here).
    await this.dataSource.transaction(async (m) => {
      // audit: recording.accessed
      await this.audit.record(m, {
        actorId: who.id,
        actorRole: who.role,
        action: 'recording.accessed',
        subjectType: 'recording',
        subjectId: recording.id,
        payload: { recordingId: recording.id, sessionId: recording.sessionId, range: range ? `bytes=${range.start}-${range.end}` : null, via },
      });
    });
    const blob = await this.blobs.get(recording.blobKey!, range ?? undefined);
    return { recording, stream: blob.stream, size, contentType: recording.contentType ?? 'application/octet-stream', range };
  }

  private linkKey(): Buffer {
    this.key ??= mediaLinkKey(resolveJwtSecret(this.config.JWT_SECRET, this.config.dataDir));
    return this.key;
  }
}

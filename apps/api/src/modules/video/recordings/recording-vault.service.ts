import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import { AuditService } from '../../audit';
import { SessionLifecycle } from '../../consultations-core';
import { NotificationsService } from '../../notifications';
import { BlobStore } from '../../storage';
import { WebhookEvents } from '../../webhooks';
import { RecordingsRepository, type Recording } from './recordings.repository';

const EXTENSIONS: Record<string, string> = {
  'video/webm': 'webm',
  'audio/webm': 'webm',
  'video/mp4': 'mp4',
  'audio/mp4': 'm4a',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
};

/** Where a recording's bytes live in the blob store. */
export function recordingBlobKey(r: Pick<Recording, 'sessionId' | 'id'>, contentType: string): string {
  return `recordings/${r.sessionId}/${r.id}.${EXTENSIONS[contentType] ?? 'bin'}`;
}

/**
 * Takes a recording into our custody: streams its bytes into the blob store (never buffered
 * whole), which computes the SHA-256 and size on the way, then — in one transaction — writes
 * the `recording.stored` audit entry, marks the row available with that entry's seq and tells
 * both participants. From then on the hash is chained into the audit trail and anyone holding a
 * copy can check it (GET /api/verify/{sha256}). Used for Twilio compositions and for assembled
 * browser uploads.
 */
@Injectable()
export class RecordingVault {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly recordings: RecordingsRepository,
    private readonly blobs: BlobStore,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sessions: SessionLifecycle,
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhookEvents,
  ) {}

  /**
   * Seals `recording` (not yet available) with the bytes of `body`. Idempotent: a recording that
   * is already available is returned as it is (a redelivered job), and the bytes are not read.
   */
  async seal(
    recording: Recording,
    body: Readable,
    meta: { contentType: string; endedAt?: Date | null; durationSeconds?: number | null },
  ): Promise<Recording> {
    if (recording.status === 'available') {
      body.destroy();
      return recording;
    }
    const key = recordingBlobKey(recording, meta.contentType);
    const stored = await this.blobs.put(key, body, { contentType: meta.contentType });
    return this.dataSource.transaction(async (m) => {
      const current = (await this.recordings.find(m, recording.id, { lock: true }))!;
      if (current.status === 'available') return current;
      const now = this.clock.now();
      // audit: recording.stored
      const { seq } = await this.audit.record(m, {
        actorId: current.userId,
        actorRole: current.role,
        action: 'recording.stored',
        subjectType: 'recording',
        subjectId: current.id,
        payload: {
          sessionId: current.sessionId,
          provider: current.provider,
          kind: current.kind,
          role: current.role,
          sha256: stored.sha256,
          sizeBytes: stored.size,
          contentType: meta.contentType,
        },
      });
      const sealed = await this.recordings.update(m, current.id, {
        status: 'available',
        blobKey: key,
        sha256: stored.sha256,
        sizeBytes: stored.size,
        contentType: meta.contentType,
        endedAt: meta.endedAt ?? current.endedAt,
        durationSeconds: meta.durationSeconds ?? current.durationSeconds,
        auditSeq: seq,
        availableAt: now,
      });
      await this.tellParticipants(m, sealed);
      return sealed;
    });
  }

  /** Both participants (and their webhooks) learn that a recording is in custody, with its fingerprint (once per recording). */
  private async tellParticipants(m: EntityManager, r: Recording): Promise<void> {
    const session = await this.sessions.find(r.sessionId, m);
    if (!session) return;
    await this.notifications.notifyMany(
      m,
      [session.clientId, session.lawyerId].map((userId) => ({
        userId,
        kind: 'recording.available' as const,
        params: {
          sessionId: r.sessionId,
          offeringTitle: session.offeringTitle,
          kind: r.kind,
          by: r.kind === 'composition' ? null : r.userId === userId ? ('you' as const) : ('counterpart' as const),
          sha256: r.sha256!,
        },
        dedupeKey: `recording:${r.id}`,
      })),
    );
    // Their integrations too: the recording's facts and fingerprint, never a media link (those
    // carry a signed token and are asked for by the participant, GET …/recordings/{id}/link).
    const participants = [...new Set([session.clientId, session.lawyerId])];
    await this.webhooks.emit(m, {
      type: 'recording.available',
      occurredAt: r.availableAt!,
      recipients: participants.map((userId) => ({
        userId,
        data: {
          recordingId: r.id,
          sessionId: r.sessionId,
          kind: r.kind,
          recordedBy: r.kind === 'composition' || !r.userId ? null : r.userId === userId ? 'you' : 'counterpart',
          contentType: r.contentType!,
          durationSeconds: r.durationSeconds,
          sizeBytes: r.sizeBytes!,
          sha256: r.sha256!,
          availableAt: r.availableAt!.toISOString(),
        },
      })),
    });
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import { AuditService } from '../../audit';
import { RecordingsRepository, type Recording } from '../recordings/recordings.repository';
import type { VideoRoom } from '../video.repository';

/** The `recordings` row of a Twilio composition: created once (by composition sid), failed, or its provider copy deleted. */
@Injectable()
export class CompositionRecordings {
  constructor(
    private readonly recordings: RecordingsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * The row of `compositionSid`, locked; created ('processing') the first time the composition is
   * seen. Callers hold the room's row lock, so two events of one composition cannot both create it.
   */
  async findOrCreate(m: EntityManager, room: VideoRoom, compositionSid: string): Promise<Recording> {
    const existing = await this.recordings.findByProviderSid(m, compositionSid, { lock: true });
    if (existing) return existing;
    return this.recordings.insert(
      m,
      {
        sessionId: room.sessionId,
        provider: 'twilio',
        kind: 'composition',
        status: 'processing',
        providerSid: compositionSid,
        contentType: 'video/mp4',
        startedAt: room.createdAt,
        endedAt: room.endedAt,
      },
      this.clock.now(),
    );
  }

  async markFailed(m: EntityManager, recording: Recording, reason: string): Promise<Recording> {
    const failed = await this.recordings.update(m, recording.id, { status: 'failed', failure: reason });
    // audit: recording.failed
    await this.audit.record(m, {
      actorId: null,
      actorRole: null,
      action: 'recording.failed',
      subjectType: 'recording',
      subjectId: recording.id,
      payload: { sessionId: recording.sessionId, provider: recording.provider, providerSid: recording.providerSid, reason },
    });
    return failed;
  }

  async markProviderDeleted(m: EntityManager, recording: Recording, providerRoomSid: string): Promise<Recording> {
    const deleted = await this.recordings.update(m, recording.id, { providerDeletedAt: this.clock.now() });
    // audit: recording.provider_copy_deleted
    await this.audit.record(m, {
      actorId: null,
      actorRole: null,
      action: 'recording.provider_copy_deleted',
      subjectType: 'recording',
      subjectId: recording.id,
      payload: { sessionId: recording.sessionId, provider: recording.provider, compositionSid: recording.providerSid, providerRoomSid },
    });
    return deleted;
  }
}

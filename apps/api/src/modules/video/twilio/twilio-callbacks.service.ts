import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { transactionWithRetry } from '../../../common/database/transaction-retry';
import { Clock } from '../../../common/time/clock';
import { AuditService } from '../../audit';
import { JobsService } from '../../jobs';
import { VideoProvider, type NormalizedVideoEvent, type ProviderCallback } from '../provider/video-provider';
import { VideoCallbackNotSupported, VideoCallbackSignatureInvalid } from '../video.errors';
import { VideoService } from '../video.service';
import type { VideoRoom } from '../video.repository';
import { CompositionRecordings } from './composition-recordings';
import { COMPOSITION_INGEST_QUEUE, INGEST_JOB_OPTIONS, type CompositionIngestJob } from './twilio-queues';
import { VideoCallbacksRepository } from './video-callbacks.repository';

type CompositionEvent = Extract<NormalizedVideoEvent, { compositionSid: string }>;

export type CallbackOutcome = 'applied' | 'duplicate' | 'ignored';

/** A callback as it arrived: its Content-Type, raw body, query string (after '?') and X-Twilio-Signature. */
export interface CallbackDelivery {
  contentType: string | undefined;
  rawBody: Buffer | undefined;
  query: string;
  signature: string | undefined;
}

/**
 * The form fields exactly as sent (read from the raw body, not from a parser's idea of it). A
 * body that is not a form, or a field sent twice, cannot carry a signature of ours: refused
 * like a bad signature, before anything is written.
 */
export function formFields(delivery: CallbackDelivery): Record<string, string> {
  const type = (delivery.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' || !delivery.rawBody) throw new VideoCallbackSignatureInvalid();
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(delivery.rawBody.toString('utf8'))) {
    if (Object.prototype.hasOwnProperty.call(params, key)) throw new VideoCallbackSignatureInvalid();
    params[key] = value;
  }
  return params;
}

/**
 * Twilio's status callbacks (rooms and compositions) enter here. The signature is verified
 * first, from the URL built from PUBLIC_URL (VideoService.callbackUrl), so nothing touches the
 * database for a forged, altered or unsigned request. Then each event is one transaction: the
 * `video_callbacks` row (its unique dedupe key makes a redelivery — even 50 at once — a no-op
 * that waits for the first and then does nothing), the room row locked, and the event applied
 * through VideoService: attendance, the end of the call (COMPLETED, one composition), and for
 * a finished composition its recording row and the ingest job, enqueued in the same
 * transaction. Events may arrive in any order; each step is idempotent.
 */
@Injectable()
export class TwilioCallbacksService {
  private readonly logger = new Logger(TwilioCallbacksService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly provider: VideoProvider,
    private readonly video: VideoService,
    private readonly callbacks: VideoCallbacksRepository,
    private readonly compositions: CompositionRecordings,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  /** Verifies and applies one callback; throws VideoCallbackSignatureInvalid (nothing written) or VideoCallbackNotSupported. */
  async receive(kind: 'rooms' | 'compositions', delivery: CallbackDelivery): Promise<CallbackOutcome[]> {
    if (this.provider.name !== 'twilio') throw new VideoCallbackNotSupported();
    const params = formFields(delivery);
    const url = this.video.callbackUrl(kind) + (delivery.query ? `?${delivery.query}` : '');
    const callback: ProviderCallback = { kind, url, signature: delivery.signature, params };
    const events = this.provider.parseCallback(callback);
    const outcomes: CallbackOutcome[] = [];
    for (const event of events) {
      // Most redeliveries arrive after the first was applied: answered without a transaction.
      if (await this.callbacks.exists('twilio', event.dedupeKey)) {
        outcomes.push('duplicate');
        continue;
      }
      outcomes.push(await transactionWithRetry(this.dataSource, (m) => this.apply(m, event, params)));
    }
    return outcomes;
  }

  private async apply(m: EntityManager, event: NormalizedVideoEvent, params: Record<string, string>): Promise<CallbackOutcome> {
    const stored = await this.callbacks.insert(m, {
      provider: 'twilio',
      dedupeKey: event.dedupeKey,
      event: event.type === 'other' ? event.event : event.type,
      roomSid: event.providerRoomSid,
      params,
      receivedAt: this.clock.now(),
    });
    if (!stored || event.type === 'other' || event.type === 'recording-started' || event.type === 'recording-completed') {
      return stored ? 'ignored' : 'duplicate';
    }
    // Attendance events only append (idempotent by their dedupe key): they do not queue behind
    // each other on the room's row lock, which the room's own changes take.
    const attendance = event.type === 'participant-connected' || event.type === 'participant-disconnected';
    const room = await this.video.roomByProviderRef(
      m,
      { providerRoomSid: event.providerRoomSid, roomName: 'roomName' in event ? event.roomName : null },
      { lock: !attendance },
    );
    if (!room) {
      this.logger.warn(`Twilio ${event.type} for room ${event.providerRoomSid}, which is not ours; stored, not applied`);
      return 'ignored';
    }
    switch (event.type) {
      case 'room-created':
        await this.video.attachProviderRoom(m, room, event.providerRoomSid);
        return 'applied';
      case 'room-ended':
        await this.video.onRoomEnded(m, room, event.occurredAt);
        return 'applied';
      case 'participant-connected':
      case 'participant-disconnected': {
        const participant = await this.video.participantByIdentity(m, event.identity);
        if (!participant || participant.sessionId !== room.sessionId) {
          this.logger.warn(`Twilio ${event.type} of an identity that is not a participant of room ${room.roomName}; stored, not applied`);
          return 'ignored';
        }
        const row = await this.video.recordAttendance(m, participant, event.type === 'participant-connected' ? 'joined' : 'left', {
          source: 'twilio',
          occurredAt: event.occurredAt,
          dedupeKey: `twilio:${event.dedupeKey}`,
        });
        return row ? 'applied' : 'duplicate';
      }
      case 'composition-available':
        return this.compositionAvailable(m, room, event);
      case 'composition-failed':
        return this.compositionFailed(m, room, event, params);
    }
  }

  /**
   * The composition is ready at Twilio: its recording row (created here when this arrives before
   * the room's end), and the job that copies it into our custody, in this transaction.
   */
  private async compositionAvailable(
    m: EntityManager,
    room: VideoRoom,
    event: CompositionEvent,
  ): Promise<CallbackOutcome> {
    await this.video.attachComposition(m, room, event.compositionSid);
    const recording = await this.compositions.findOrCreate(m, room, event.compositionSid);
    if (recording.status === 'available' && recording.providerDeletedAt) return 'duplicate';
    const job: CompositionIngestJob = {
      compositionSid: event.compositionSid,
      providerRoomSid: event.providerRoomSid,
      durationSeconds: event.durationSeconds ?? null,
    };
    await this.jobs.send(COMPOSITION_INGEST_QUEUE, job, { ...INGEST_JOB_OPTIONS, singletonKey: event.compositionSid, manager: m });
    // audit: video.composition_available
    await this.audit.record(m, {
      actorId: null,
      actorRole: null,
      action: 'video.composition_available',
      subjectType: 'recording',
      subjectId: recording.id,
      payload: { sessionId: room.sessionId, compositionSid: event.compositionSid, sizeBytes: event.size ?? null, durationSeconds: event.durationSeconds ?? null },
    });
    return 'applied';
  }

  /** Twilio could not compose the recording: the row says so (with Twilio's reason), and the audit trail too. */
  private async compositionFailed(
    m: EntityManager,
    room: VideoRoom,
    event: CompositionEvent,
    params: Record<string, string>,
  ): Promise<CallbackOutcome> {
    await this.video.attachComposition(m, room, event.compositionSid);
    const recording = await this.compositions.findOrCreate(m, room, event.compositionSid);
    if (recording.status === 'available' || recording.status === 'failed') return 'duplicate';
    const reason = (params.ErrorMessage || params.FailedOperation || 'composition failed at Twilio').slice(0, 500);
    await this.compositions.markFailed(m, recording, reason);
    return 'applied';
  }
}

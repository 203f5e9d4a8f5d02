import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { transactionWithRetry } from '../../../common/database/transaction-retry';
import { JobsService } from '../../jobs';
import { VideoProvider } from '../provider/video-provider';
import { RecordingVault } from '../recordings/recording-vault.service';
import type { Recording } from '../recordings/recordings.repository';
import { VideoService } from '../video.service';
import { CompositionRecordings } from './composition-recordings';
import { COMPOSITION_INGEST_QUEUE, INGEST_JOB_OPTIONS, type CompositionIngestJob } from './twilio-queues';

interface JobAttempt {
  retryCount?: number;
  retryLimit?: number;
}

export type IngestOutcome = 'stored' | 'already-done' | 'unknown-room';

/**
 * The job behind `composition-available`: streams the composition's media from Twilio into the
 * blob store through RecordingVault.seal (SHA-256 and size computed on the way, the
 * `recording.stored` audit entry, the row available), then deletes Twilio's composition and the
 * room's source recordings (Twilio keeps and bills them otherwise) and records that. Each step
 * is idempotent, so a retried or redelivered job finishes the work without doing any twice;
 * after the last attempt the recording is marked failed.
 */
@Injectable()
export class CompositionIngestService implements OnModuleInit {
  private readonly logger = new Logger(CompositionIngestService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly provider: VideoProvider,
    private readonly video: VideoService,
    private readonly compositions: CompositionRecordings,
    private readonly vault: RecordingVault,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    if (this.provider.name !== 'twilio') return;
    this.jobs.register<CompositionIngestJob>(
      { name: COMPOSITION_INGEST_QUEUE, ...INGEST_JOB_OPTIONS },
      async (jobs) => {
        for (const job of jobs) await this.run(job.data, job as PgBoss.Job<CompositionIngestJob> & JobAttempt);
      },
      { work: { pollingIntervalSeconds: 1, includeMetadata: true } as PgBoss.WorkOptions },
    );
  }

  /** One attempt of the job; rethrows (pg-boss retries) unless it was the last attempt. */
  async run(job: CompositionIngestJob, attempt: JobAttempt = {}): Promise<IngestOutcome> {
    try {
      return await this.ingest(job);
    } catch (e) {
      const final = (attempt.retryCount ?? 0) >= (attempt.retryLimit ?? 0);
      this.logger.error({ err: e }, `Ingest of composition ${job.compositionSid} failed${final ? ' for the last time' : '; will retry'}`);
      if (!final) throw e;
      await this.fail(job, e instanceof Error ? e.message : String(e));
      return 'already-done';
    }
  }

  async ingest(job: CompositionIngestJob): Promise<IngestOutcome> {
    const recording = await this.recordingOf(job);
    if (!recording) return 'unknown-room';
    if (recording.status === 'available' && recording.providerDeletedAt) return 'already-done';
    let sealed = recording;
    if (recording.status !== 'available') {
      const media = await this.provider.openComposition(job.compositionSid);
      sealed = await this.vault.seal(recording, media.stream, { contentType: media.contentType, durationSeconds: job.durationSeconds });
    }
    // Ours is safe (hashed, audited): Twilio's copies go.
    await this.provider.deleteProviderCopies({ providerRoomSid: job.providerRoomSid, compositionSid: job.compositionSid });
    await transactionWithRetry(this.dataSource, async (m) => {
      const room = await this.video.roomByProviderRef(m, { providerRoomSid: job.providerRoomSid }, { lock: true });
      if (!room) return;
      const current = await this.compositions.findOrCreate(m, room, job.compositionSid);
      if (!current.providerDeletedAt) await this.compositions.markProviderDeleted(m, current, job.providerRoomSid);
    });
    this.logger.log(`Composition ${job.compositionSid} stored as recording ${sealed.id} (sha256 ${sealed.sha256})`);
    return 'stored';
  }

  private recordingOf(job: CompositionIngestJob): Promise<Recording | null> {
    return transactionWithRetry(this.dataSource, async (m) => {
      const room = await this.video.roomByProviderRef(m, { providerRoomSid: job.providerRoomSid }, { lock: true });
      return room ? this.compositions.findOrCreate(m, room, job.compositionSid) : null;
    });
  }

  private async fail(job: CompositionIngestJob, reason: string): Promise<void> {
    await transactionWithRetry(this.dataSource, async (m) => {
      const room = await this.video.roomByProviderRef(m, { providerRoomSid: job.providerRoomSid }, { lock: true });
      if (!room) return;
      const recording = await this.compositions.findOrCreate(m, room, job.compositionSid);
      if (recording.status !== 'available' && recording.status !== 'failed') {
        await this.compositions.markFailed(m, recording, `ingest failed: ${reason}`.slice(0, 500));
      }
    });
  }
}

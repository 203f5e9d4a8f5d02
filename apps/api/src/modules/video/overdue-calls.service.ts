import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { JobsService } from '../jobs';
import { VideoRepository } from './video.repository';
import { VideoService } from './video.service';

export const CLOSE_OVERDUE_CALLS_QUEUE = 'video.close-overdue-calls';
const BATCH = 100;

/**
 * Closes the calls nobody ended: a session still IN_PROGRESS once its join window has closed
 * (scheduled end + grace) is COMPLETED by the system and its room ended — at the provider too,
 * which also stops a forgotten Twilio room from running (and billing) on. A cron job, every five
 * minutes; each session in its own transaction, so one failure does not hold up the rest.
 */
@Injectable()
export class OverdueCallsService implements OnModuleInit {
  private readonly logger = new Logger(OverdueCallsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repo: VideoRepository,
    private readonly video: VideoService,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: CLOSE_OVERDUE_CALLS_QUEUE, retryLimit: 0 }, async () => void (await this.closeOverdue()), {
      cron: { expression: '*/5 * * * *' },
    });
  }

  /** Closes the overdue calls at the clock's now; how many were closed. */
  async closeOverdue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.repo.overdueOpenRooms(new Date(now.getTime() - this.config.VIDEO_JOIN_GRACE_MINUTES * 60_000), BATCH);
    let closed = 0;
    for (const { sessionId, endAt } of due) {
      try {
        await this.dataSource.transaction(async (m) => {
          const room = await this.repo.room(m, sessionId, { lock: true });
          if (!room || room.status !== 'open') return;
          const closesAt = new Date(endAt.getTime() + this.config.VIDEO_JOIN_GRACE_MINUTES * 60_000);
          await this.video.onRoomEnded(m, room, closesAt);
          closed++;
        });
      } catch (e) {
        this.logger.error(`Closing the call of session ${sessionId} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return closed;
  }
}

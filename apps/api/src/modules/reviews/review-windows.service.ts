import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit';
import { SessionEventSubscribers, SessionLifecycle, type AppendedSessionEvent, type LegalSession } from '../consultations-core';
import { JobsService } from '../jobs';
import { ReviewModerationService } from './review-moderation.service';
import { ReviewPublication } from './review-publication.service';
import { ReviewsRepository } from './reviews.repository';

/** Publishes one session's reviews at its deadline (queued when the session completes). */
export const REVIEW_PUBLISH_QUEUE = 'reviews.publish';
/** Safety sweep: windows past their deadline still unpublished (a lost job, a window opened by the migration). */
export const REVIEW_PUBLISH_SWEEP_QUEUE = 'reviews.publish-sweep';
const SWEEP_BATCH = 100;

/**
 * The review window of each session: opened in the transaction that COMPLETES the session
 * (through consultations-core's `SessionEventSubscribers`, so consultations-core does not
 * depend on reviews) with an absolute deadline, completedAt + REVIEW_WINDOW_DAYS; a job queued
 * in that same transaction for the deadline publishes whatever was submitted, and a cron sweep
 * every five minutes catches any window the job missed. Publication is idempotent.
 */
@Injectable()
export class ReviewWindowsService implements OnModuleInit {
  private readonly logger = new Logger(ReviewWindowsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repo: ReviewsRepository,
    private readonly sessions: SessionLifecycle,
    private readonly subscribers: SessionEventSubscribers,
    private readonly publication: ReviewPublication,
    private readonly moderation: ReviewModerationService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.subscribers.subscribe((m, session, event) => this.onSessionEvent(m, session, event));
    this.jobs.register<{ sessionId: string }>(
      { name: REVIEW_PUBLISH_QUEUE, policy: 'short', retryLimit: 5, retryDelay: 30, retryBackoff: true },
      async (jobs) => {
        for (const job of jobs) await this.publishDue(job.data.sessionId);
      },
    );
    this.jobs.register({ name: REVIEW_PUBLISH_SWEEP_QUEUE, retryLimit: 0 }, async () => void (await this.sweep()), {
      cron: { expression: '*/5 * * * *' },
    });
  }

  /**
   * A session became COMPLETED: open its review window and queue its publication at the
   * deadline. A session decided a no-show (possibly after it was completed): its reviews stop
   * counting (ReviewModerationService.withdrawForNoShow) and no new one can be written.
   */
  async onSessionEvent(m: EntityManager, session: LegalSession, event: AppendedSessionEvent): Promise<void> {
    if (event.toStatus === 'NO_SHOW_LAWYER' || event.toStatus === 'NO_SHOW_CLIENT') {
      await this.moderation.withdrawForNoShow(m, session.id, event.toStatus, this.clock.now());
      return;
    }
    if (event.toStatus !== 'COMPLETED' || event.fromStatus === 'COMPLETED') return;
    const completedAt = session.completedAt ?? this.clock.now();
    const deadlineAt = new Date(completedAt.getTime() + this.config.REVIEW_WINDOW_DAYS * 86_400_000);
    const opened = await this.repo.insertWindow(m, { sessionId: session.id, clientId: session.clientId, lawyerId: session.lawyerId, completedAt, deadlineAt });
    if (!opened) return;
    await this.jobs.send(REVIEW_PUBLISH_QUEUE, { sessionId: session.id }, { manager: m, singletonKey: session.id, startAfter: deadlineAt });
    // audit: review.window_opened
    await this.audit.record(m, {
      actorId: null,
      actorRole: null,
      action: 'review.window_opened',
      subjectType: 'session',
      subjectId: session.id,
      payload: { completedAt: completedAt.toISOString(), deadlineAt: deadlineAt.toISOString(), windowDays: this.config.REVIEW_WINDOW_DAYS },
    });
  }

  /**
   * The publish job: once the session's deadline has passed (by the business clock), publishes
   * its reviews. Run twice, or after both sides submitted, it changes nothing. True when it published.
   */
  async publishDue(sessionId: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const window = await this.repo.window(m, sessionId, { lock: true });
      if (!window || window.publishedAt || now.getTime() < window.deadlineAt.getTime()) return false;
      const session = await this.sessions.find(sessionId, m);
      if (!session) return false;
      return this.publication.publishSession(m, window, session, 'deadline', now);
    });
  }

  /** Publishes every window past its deadline (each in its own transaction); how many were published. */
  async sweep(): Promise<number> {
    const due = await this.repo.dueWindows(this.clock.now(), SWEEP_BATCH);
    let published = 0;
    for (const sessionId of due) {
      try {
        if (await this.publishDue(sessionId)) published++;
      } catch (e) {
        this.logger.error(`Publishing the reviews of session ${sessionId} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return published;
  }
}

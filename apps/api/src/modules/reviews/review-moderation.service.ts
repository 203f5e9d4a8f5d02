import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { transactionWithRetry } from '../../common/database/transaction-retry';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit';
import { ReviewPublication } from './review-publication.service';
import { ModerationNoChange, ResponseNotFound, ReviewNotFound } from './reviews.errors';
import {
  ReviewsRepository,
  type AdminReviewFilter,
  type ModerationAction,
  type ModerationDecision,
  type ModerationTarget,
  type Review,
  type ReviewListing,
  type ReviewReport,
} from './reviews.repository';

export interface AdminReviewDetail {
  review: ReviewListing;
  reports: ReviewReport[];
  decisions: ModerationDecision[];
}

/**
 * Admin moderation: the queue of reported and hidden reviews, one review with its reports and
 * decisions, and decisions themselves. A decision is an append-only row that changes visibility
 * (of the review or of its response), never content; it closes the open reports of its target
 * and keeps the lawyer's rating equal to their visible reviews, all in one transaction.
 */
@Injectable()
export class ReviewModerationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly repo: ReviewsRepository,
    private readonly publication: ReviewPublication,
    private readonly audit: AuditService,
  ) {}

  list(filter: AdminReviewFilter, page: number, pageSize: number): Promise<{ items: ReviewListing[]; total: number }> {
    return this.repo.adminPage(filter, page, pageSize);
  }

  async detail(reviewId: string): Promise<AdminReviewDetail> {
    const review = await this.repo.listing(reviewId);
    if (!review) throw new ReviewNotFound();
    const [reports, decisions] = await Promise.all([this.repo.reportsOf(reviewId), this.repo.decisionsOf(reviewId)]);
    return { review, reports, decisions };
  }

  /**
   * Hides or unhides a review or its response. 409 MODERATION_NO_CHANGE when it already is so;
   * 404 RESPONSE_NOT_FOUND for a response that does not exist.
   */
  async decide(
    admin: AuthUser,
    reviewId: string,
    input: { target: ModerationTarget; action: ModerationAction; reasonCode: string; note?: string },
  ): Promise<ModerationDecision> {
    return transactionWithRetry(this.dataSource, async (m) => {
      const now = this.clock.now();
      const before = await this.repo.find(m, reviewId, { lock: true });
      if (!before) throw new ReviewNotFound();
      if (input.target === 'RESPONSE' && !(await this.repo.response(m, reviewId))) throw new ResponseNotFound();
      if (input.action === 'DISMISS') return this.dismissReports(m, admin, before, input, now);
      const hide = input.action === 'HIDE';
      const current = input.target === 'REVIEW' ? before.hidden : before.responseHidden;
      if (current === hide) throw new ModerationNoChange(hide ? 'It is already hidden; nothing was changed' : 'It is already visible; nothing was changed');
      await this.repo.setHidden(m, reviewId, input.target, hide, now);
      if (input.target === 'REVIEW') await this.publication.afterVisibilityChange(m, before, { ...before, hidden: hide }, now);
      const decision = await this.repo.insertDecision(m, {
        reviewId,
        target: input.target,
        action: input.action,
        reasonCode: input.reasonCode,
        note: input.note ?? '',
        adminId: admin.id,
        now,
      });
      const closedReports = await this.repo.closeReports(m, reviewId, input.target, decision.id);
      // audit: review.hidden / review.unhidden
      await this.audit.record(m, {
        actorId: admin.id,
        actorRole: admin.role,
        action: hide ? 'review.hidden' : 'review.unhidden',
        subjectType: 'review',
        subjectId: reviewId,
        payload: { decisionId: decision.id, target: input.target, reasonCode: input.reasonCode, closedReports, subjectId: before.subjectId },
      });
      return decision;
    });
  }

  /**
   * When support records the session as a no-show, its reviews stop counting: each still
   * visible one is hidden by a system decision (SESSION_NO_SHOW, no admin), in the caller's
   * transaction, and the lawyer's rating follows. An admin may still unhide one on purpose.
   */
  async withdrawForNoShow(m: EntityManager, sessionId: string, status: string, now: Date): Promise<void> {
    for (const before of await this.repo.ofSession(m, sessionId, { lock: true })) {
      if (before.hidden) continue;
      await this.repo.setHidden(m, before.id, 'REVIEW', true, now);
      await this.publication.afterVisibilityChange(m, before, { ...before, hidden: true }, now);
      const note = `Support recorded the session as ${status === 'NO_SHOW_LAWYER' ? 'a lawyer' : 'a client'} no-show.`;
      const decision = await this.repo.insertDecision(m, {
        reviewId: before.id,
        target: 'REVIEW',
        action: 'HIDE',
        reasonCode: 'SESSION_NO_SHOW',
        note,
        adminId: null,
        now,
      });
      const closedReports = await this.repo.closeReports(m, before.id, 'REVIEW', decision.id);
      // audit: review.hidden (by the system, the session's no-show decision)
      await this.audit.record(m, {
        actorId: null,
        actorRole: null,
        action: 'review.hidden',
        subjectType: 'review',
        subjectId: before.id,
        payload: { decisionId: decision.id, target: 'REVIEW', reasonCode: 'SESSION_NO_SHOW', closedReports, subjectId: before.subjectId, sessionId },
      });
    }
  }

  /** DISMISS: the open reports of the target were not founded; visibility stays as it is. 409 when none is open. */
  private async dismissReports(
    m: EntityManager,
    admin: AuthUser,
    review: Review,
    input: { target: ModerationTarget; reasonCode: string; note?: string },
    now: Date,
  ): Promise<ModerationDecision> {
    if (!(await this.repo.hasOpenReports(m, review.id, input.target))) throw new ModerationNoChange('There is no open report to dismiss; nothing was changed');
    const decision = await this.repo.insertDecision(m, {
      reviewId: review.id,
      target: input.target,
      action: 'DISMISS',
      reasonCode: input.reasonCode,
      note: input.note ?? '',
      adminId: admin.id,
      now,
    });
    const closedReports = await this.repo.closeReports(m, review.id, input.target, decision.id);
    // audit: review.reports_dismissed
    await this.audit.record(m, {
      actorId: admin.id,
      actorRole: admin.role,
      action: 'review.reports_dismissed',
      subjectType: 'review',
      subjectId: review.id,
      payload: { decisionId: decision.id, target: input.target, reasonCode: input.reasonCode, closedReports, subjectId: review.subjectId },
    });
    return decision;
  }
}

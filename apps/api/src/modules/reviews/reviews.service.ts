import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { transactionWithRetry } from '../../common/database/transaction-retry';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit';
import { SessionLifecycle, SessionNotFound, type LegalSession } from '../consultations-core';
import { PaymentsService } from '../payments';
import { ReviewPublication } from './review-publication.service';
import { isPubliclyVisible, isVisibleToCounterpart, type ReviewSide } from './review-rules';
import {
  ReportOwnContent,
  ResponseAlreadySubmitted,
  ResponseNotAllowed,
  ResponseNotFound,
  ReviewAlreadyReported,
  ReviewAlreadySubmitted,
  ReviewNotAllowed,
  ReviewNotFound,
  ReviewNotOpen,
  ReviewRateLimited,
  ReviewWindowClosed,
} from './reviews.errors';
import {
  ReviewsRepository,
  type ModerationTarget,
  type Review,
  type ReviewListing,
  type ReviewReply,
  type ReviewReport,
  type ReviewWindow,
} from './reviews.repository';

/** A review as its author or the other participant sees it. */
export interface SessionReview {
  review: Review;
  /** The lawyer's response, unless hidden (its author still sees it). */
  response: ReviewReply | null;
}

export interface SessionReviews {
  window: { state: 'NOT_OPEN' | 'OPEN' | 'CLOSED'; deadlineAt: Date | null };
  canReview: boolean;
  refusal: { code: string; message: string } | null;
  mine: SessionReview | null;
  theirs: SessionReview | null;
}

/**
 * Reviews by the participants of a session: submission (once, within the window, of a paid and
 * not fully refunded COMPLETED session), the double-blind view of a session's reviews, the
 * lawyer's one response, reports, and a participant's own lists. Every change is audited in its
 * transaction.
 */
@Injectable()
export class ReviewsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repo: ReviewsRepository,
    private readonly sessions: SessionLifecycle,
    private readonly payments: PaymentsService,
    private readonly publication: ReviewPublication,
    private readonly audit: AuditService,
  ) {}

  /**
   * A participant reviews the other side of a session. The session row is locked first, so
   * concurrent submissions of one author are serialised: one is stored, the rest are 409
   * REVIEW_ALREADY_SUBMITTED (the unique (session, author) constraint backs this up). When the
   * other side has already reviewed, both are published in this transaction; otherwise the other
   * side is told a review awaits them.
   */
  async submit(actor: AuthUser, sessionId: string, input: { rating: number; comment?: string }): Promise<SessionReview> {
    return transactionWithRetry(this.dataSource, async (m) => {
      const session = await this.sessions.lockForParticipant(m, sessionId, actor.id);
      const side = sideOf(session, actor.id)!;
      const window = await this.repo.window(m, sessionId, { lock: true });
      // One author's submissions for different sessions are serialised too, so the hourly limit
      // cannot be passed by sending them at once (taken last: nobody waits for a session while holding it).
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`review-author:${actor.id}`]);
      // Now, after the locks: a publication that held the window at the deadline has been seen.
      const now = this.clock.now();
      const existing = await this.repo.ofSession(m, sessionId);
      const refusal = await this.refusal(m, session, window, existing, actor.id, now);
      if (refusal) throw refusal;
      const review = await this.repo.insert(m, {
        sessionId,
        // What was reviewed, frozen with the review like the session's terms (and read without the session).
        offeringTitle: session.offeringTitle,
        authorId: actor.id,
        subjectId: side === 'CLIENT' ? session.lawyerId : session.clientId,
        authorSide: side,
        rating: input.rating,
        comment: input.comment ?? '',
        now,
      });
      // audit: review.submitted
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'review.submitted',
        subjectType: 'review',
        subjectId: review.id,
        payload: { sessionId, authorSide: side, subjectId: review.subjectId, rating: review.rating, commentLength: review.comment.length },
      });
      if (existing.some((r) => r.authorId !== actor.id)) {
        await this.publication.publishSession(m, window!, session, 'both_submitted', now);
      } else {
        await this.publication.tellAwaiting(m, session, side === 'CLIENT' ? 'LAWYER' : 'CLIENT', window!.deadlineAt);
      }
      const stored = (await this.repo.find(m, review.id))!;
      return { review: stored, response: null };
    });
  }

  /** A session's reviews as one participant sees them (404 for anyone else): double-blind until published. */
  async forSession(actor: AuthUser, sessionId: string): Promise<SessionReviews> {
    const session = await this.sessions.find(sessionId);
    if (!session || !sideOf(session, actor.id)) throw new SessionNotFound();
    const now = this.clock.now();
    const [window, reviews] = await Promise.all([this.repo.window(null, sessionId), this.repo.ofSession(null, sessionId)]);
    const responses = await this.repo.responsesOf(null, reviews.map((r) => r.id));
    const refusal = await this.refusal(this.dataSource.manager, session, window, reviews, actor.id, now);
    const mine = reviews.find((r) => r.authorId === actor.id) ?? null;
    const other = reviews.find((r) => r.authorId !== actor.id) ?? null;
    const theirs = other && isVisibleToCounterpart(other) ? other : null;
    const withResponse = (r: Review): SessionReview => ({ review: r, response: visibleResponse(r, responses.get(r.id) ?? null, actor.id) });
    return {
      window: {
        state: !window ? 'NOT_OPEN' : window.publishedAt || now.getTime() >= window.deadlineAt.getTime() ? 'CLOSED' : 'OPEN',
        deadlineAt: window?.deadlineAt ?? null,
      },
      canReview: refusal === null,
      refusal: refusal ? { code: refusal.code, message: refusal.message } : null,
      mine: mine ? withResponse(mine) : null,
      theirs: theirs ? withResponse(theirs) : null,
    };
  }

  /** The lawyer's one response to a published, visible client review of them (404 for anyone else). */
  async respond(actor: AuthUser, reviewId: string, body: string): Promise<ReviewReply> {
    return transactionWithRetry(this.dataSource, async (m) => {
      const review = await this.repo.find(m, reviewId, { lock: true });
      if (!review || review.authorSide !== 'CLIENT' || review.subjectId !== actor.id) throw new ReviewNotFound();
      if (!isPubliclyVisible(review)) throw new ResponseNotAllowed();
      const response = await this.repo.insertResponse(m, { reviewId, authorId: actor.id, body, now: this.clock.now() });
      if (!response) throw new ResponseAlreadySubmitted();
      // audit: review.response_submitted
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'review.response_submitted',
        subjectType: 'review',
        subjectId: reviewId,
        payload: { sessionId: review.sessionId, bodyLength: body.length },
      });
      return response;
    });
  }

  /**
   * Reports a review (or its response) to the admins. Who may: the session's participants, for
   * what they can see of it (anyone else: 404). Not one's own writing; once
   * per reporter and target (409 REVIEW_ALREADY_REPORTED).
   */
  async report(
    actor: AuthUser,
    reviewId: string,
    input: { target: ModerationTarget; reason: string; note?: string },
  ): Promise<ReviewReport> {
    return transactionWithRetry(this.dataSource, async (m) => {
      const review = await this.repo.find(m, reviewId);
      const isAuthor = review?.authorId === actor.id;
      const isSubject = review?.subjectId === actor.id;
      // Only the session's two participants report (the public cannot flood a lawyer's queue),
      // and only what they can see of it.
      const canSee = review && (isAuthor || (isSubject && isVisibleToCounterpart(review)));
      if (!review || !canSee) throw new ReviewNotFound();
      if (input.target === 'REVIEW' && isAuthor) throw new ReportOwnContent();
      if (input.target === 'RESPONSE') {
        const response = await this.repo.response(m, reviewId);
        if (!response || (review.responseHidden && !isAuthor && !isSubject)) throw new ResponseNotFound();
        if (response.authorId === actor.id) throw new ReportOwnContent();
      }
      const report = await this.repo.insertReport(m, {
        reviewId,
        target: input.target,
        reporterId: actor.id,
        reason: input.reason,
        note: input.note ?? '',
        now: this.clock.now(),
      });
      if (!report) throw new ReviewAlreadyReported();
      // audit: review.reported
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'review.reported',
        subjectType: 'review',
        subjectId: reviewId,
        payload: { reportId: report.id, target: input.target, reason: input.reason },
      });
      return report;
    });
  }

  /** The caller's reviews: written (any state) or received (once published), newest first. */
  async mine(actor: AuthUser, direction: 'received' | 'written', page: number, pageSize: number): Promise<{ items: ReviewListing[]; total: number }> {
    const result = await this.repo.mine(actor.id, direction, page, pageSize);
    return {
      total: result.total,
      items: result.items.map((r) => ({ ...r, response: visibleResponse(r, r.response, actor.id) })),
    };
  }

  /**
   * Why the caller may not review the session now (null: they may), in the documented order:
   * not COMPLETED → REVIEW_NOT_OPEN; unpaid or refunded in full → REVIEW_NOT_ALLOWED; deadline
   * passed → REVIEW_WINDOW_CLOSED; already reviewed → REVIEW_ALREADY_SUBMITTED; too many reviews
   * in the last hour → REVIEW_RATE_LIMITED.
   */
  private async refusal(
    m: EntityManager,
    session: LegalSession,
    window: ReviewWindow | null,
    reviews: Review[],
    authorId: string,
    now: Date,
  ): Promise<DomainError | null> {
    if (session.status !== 'COMPLETED' || !window) return new ReviewNotOpen();
    const { payment, refunds } = await this.payments.findForSession(session.id, m);
    const refunded = (payment?.refundedMinor ?? 0) + refunds.filter((r) => r.status === 'PENDING').reduce((sum, r) => sum + r.amountMinor, 0);
    if (!payment || refunded >= payment.amountMinor) return new ReviewNotAllowed();
    if (now.getTime() >= window.deadlineAt.getTime()) return new ReviewWindowClosed();
    if (reviews.some((r) => r.authorId === authorId)) return new ReviewAlreadySubmitted();
    // Published before the deadline means both are in; never add a review to a published window.
    if (window.publishedAt) return new ReviewWindowClosed();
    const recent = await this.repo.countByAuthorSince(m, authorId, new Date(now.getTime() - 3_600_000));
    if (recent >= this.config.REVIEW_RATE_LIMIT_PER_HOUR) return new ReviewRateLimited();
    return null;
  }
}

export function sideOf(session: Pick<LegalSession, 'clientId' | 'lawyerId'>, userId: string): ReviewSide | null {
  if (session.clientId === userId) return 'CLIENT';
  if (session.lawyerId === userId) return 'LAWYER';
  return null;
}

/** A response is shown unless moderation hid it; its own author always sees it. */
function visibleResponse(review: Pick<Review, 'responseHidden'>, response: ReviewReply | null, viewerId: string): ReviewReply | null {
  if (!response) return null;
  return !review.responseHidden || response.authorId === viewerId ? response : null;
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit';
import type { LegalSession } from '../consultations-core';
import { NotificationsService } from '../notifications';
import { WebhookEvents } from '../webhooks';
import { isPubliclyVisible, isVisibleToCounterpart, type ReviewSide } from './review-rules';
import { ReviewsRepository, type Review, type ReviewWindow } from './reviews.repository';

export type PublishReason = 'both_submitted' | 'deadline';

/**
 * Publication of a session's reviews, and what follows each change of a review's visibility:
 * the lawyer's rating aggregate and the participants' messages, always in the caller's
 * transaction. Lock order everywhere: session row, review window, review state, lawyer rating.
 */
@Injectable()
export class ReviewPublication {
  constructor(
    private readonly repo: ReviewsRepository,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhookEvents,
  ) {}

  /**
   * Publishes every still-unpublished review of the session whose window the caller has locked,
   * counts the visible ones in the lawyer's rating, closes the window and tells both
   * participants. Idempotent: a window already published changes nothing (false).
   */
  async publishSession(
    m: EntityManager,
    window: ReviewWindow,
    session: Pick<LegalSession, 'id' | 'clientId' | 'lawyerId' | 'offeringTitle'>,
    reason: PublishReason,
    now: Date,
  ): Promise<boolean> {
    if (window.publishedAt) return false;
    const reviews = await this.repo.ofSession(m, window.sessionId, { lock: true });
    for (const review of reviews) {
      if (review.publishedAt || !(await this.repo.publish(m, review.id, now))) continue;
      await this.afterVisibilityChange(m, review, { ...review, publishedAt: now }, now);
      // audit: review.published
      await this.audit.record(m, {
        actorId: null,
        actorRole: null,
        action: 'review.published',
        subjectType: 'review',
        subjectId: review.id,
        payload: {
          sessionId: review.sessionId,
          authorSide: review.authorSide,
          subjectId: review.subjectId,
          rating: review.rating,
          reason,
        },
      });
      await this.emitPublished(m, { ...review, publishedAt: now });
    }
    await this.repo.markWindowPublished(m, window.sessionId, now);
    if (reviews.length > 0) await this.tellBoth(m, session, reason);
    return true;
  }

  /**
   * Keeps the lawyer's aggregate equal to their visible reviews: +1 when a review becomes
   * publicly visible, -1 when it stops being (publication, hide, unhide).
   */
  async afterVisibilityChange(m: EntityManager, before: Review, after: Review, now: Date): Promise<void> {
    const was = isPubliclyVisible(before);
    const is = isPubliclyVisible(after);
    if (was !== is) await this.repo.applyRating(m, after.subjectId, after.rating, is ? 1 : -1, now);
  }

  /**
   * `review.published` to both participants' webhooks: the author gets their review; the other
   * participant gets its rating and comment only when they may see it (not hidden by moderation).
   */
  private async emitPublished(m: EntityManager, review: Review & { publishedAt: Date }): Promise<void> {
    const base = {
      reviewId: review.id,
      sessionId: review.sessionId,
      authorSide: review.authorSide,
      publishedAt: review.publishedAt.toISOString(),
    };
    const full = { ...base, rating: review.rating, comment: review.comment };
    await this.webhooks.emit(m, {
      type: 'review.published',
      occurredAt: review.publishedAt,
      recipients: [
        { userId: review.authorId, data: full },
        { userId: review.subjectId, data: isVisibleToCounterpart(review) ? full : { ...base, hidden: true } },
      ],
    });
  }

  /** The other participant learns that a review awaits (never its content) and their own deadline. */
  async tellAwaiting(
    m: EntityManager,
    session: Pick<LegalSession, 'id' | 'clientId' | 'lawyerId' | 'offeringTitle'>,
    recipientSide: ReviewSide,
    deadlineAt: Date,
  ): Promise<void> {
    const userId = recipientSide === 'CLIENT' ? session.clientId : session.lawyerId;
    const authorId = recipientSide === 'CLIENT' ? session.lawyerId : session.clientId;
    const names = await this.notifications.names(m, [authorId]);
    await this.notifications.notify(m, {
      userId,
      kind: 'review.awaiting',
      params: {
        sessionId: session.id,
        side: recipientSide,
        offeringTitle: session.offeringTitle,
        counterpartName: names.get(authorId) ?? 'The other participant',
        deadlineAt: deadlineAt.toISOString(),
      },
      dedupeKey: `review-awaiting:${session.id}`,
    });
  }

  private async tellBoth(
    m: EntityManager,
    session: Pick<LegalSession, 'id' | 'clientId' | 'lawyerId' | 'offeringTitle'>,
    reason: PublishReason,
  ): Promise<void> {
    const names = await this.notifications.names(m, [session.clientId, session.lawyerId]);
    await this.notifications.notifyMany(
      m,
      (['CLIENT', 'LAWYER'] as const).map((side) => {
        const counterpartId = side === 'CLIENT' ? session.lawyerId : session.clientId;
        return {
          userId: side === 'CLIENT' ? session.clientId : session.lawyerId,
          kind: 'review.published' as const,
          params: {
            sessionId: session.id,
            side,
            offeringTitle: session.offeringTitle,
            counterpartName: names.get(counterpartId) ?? 'the other participant',
            reason,
          },
          dedupeKey: `review-published:${session.id}`,
        };
      }),
    );
  }
}

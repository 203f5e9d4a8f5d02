import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SessionStatus } from '@lm/domain';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { AppConfig } from '../../config/app-config';
import { SlotNotAvailable, MarketplaceService } from '../marketplace';
import type { TimeRange } from '../marketplace';
import { PaymentsService, type RefundSummary } from '../payments';
import { decideCancellationRefund, type CancellationRefund, SessionNotFound, SessionNotScheduled, SessionLifecycle, allowedActions, cancelRefusal, completeRefusal, rescheduleRefusal, scheduleRefusal, type SessionActions, type Side, SessionQueries } from '../consultations-core';
import type { LegalSession, SessionEvent, SessionView } from '../consultations-core';
import { sessionCalendar } from './session-calendar';

type PaymentsOfSession = Awaited<ReturnType<PaymentsService['findForSession']>>;

/** A session with everything its page shows: payment, refunds and the timeline. */
export interface SessionDetail extends PaymentsOfSession {
  session: SessionView;
  events: SessionEvent[];
}

/** The detail as one of its participants sees it: their part in it and what they may do next. */
export interface OwnSessionDetail extends SessionDetail {
  side: Side;
  actions: SessionActions;
}

export interface SessionSlots {
  sessionId: string;
  durationMinutes: number;
  /** The session's current start (a reschedule), or null before scheduling. */
  currentStartAt: Date | null;
  timeZone: string | null;
  from: Date;
  to: Date;
  slots: TimeRange[];
}

export interface CancellationResult extends CancellationRefund {
  currency: string;
  refund: RefundSummary | null;
  detail: OwnSessionDetail;
}

/** Stored as the refund's reason (refunds.reason), one per policy. */
const REFUND_REASON: Record<CancellationRefund['policy'], string> = {
  NOTHING_PAID: 'Checkout abandoned before payment',
  CLIENT_BEFORE_SCHEDULING: 'Cancelled by the client before scheduling',
  CLIENT_MORE_THAN_24H: 'Cancelled by the client more than 24 hours before the start',
  CLIENT_WITHIN_24H: 'Cancelled by the client within 24 hours of the start',
  LAWYER_CANCELLED: 'Cancelled by the lawyer',
};

/**
 * Booking and the rest of a paid session's life, for its participants (and admins, read-only).
 * Every change locks the session row, checks the rules of `session-rules.ts`, and goes through
 * `SessionLifecycle.transition` (row + session_events + audit) in one transaction together with
 * its consequences in other modules (availability check, refund, checkout expiry).
 */
@Injectable()
export class ConsultationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lifecycle: SessionLifecycle,
    private readonly views: SessionQueries,
    private readonly marketplace: MarketplaceService,
    private readonly payments: PaymentsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Books a time for a PAID session of the caller (its client). Sessions of one lawyer are
   * serialised by `assertBookable`'s lock on the lawyer's availability; the exclusion
   * constraint refuses an overlap that would slip past it anyway (409 SLOT_NOT_AVAILABLE).
   */
  async schedule(actor: AuthUser, input: { sessionId: string; startAt: Date }): Promise<OwnSessionDetail> {
    await this.booking(async (m) => {
      const session = await this.lifecycle.lockForParticipant(m, input.sessionId, actor.id);
      if (session.clientId !== actor.id) throw new SessionNotFound();
      throwIf(scheduleRefusal(session, 'CLIENT'));
      await this.marketplace.assertBookable(m, { lawyerId: session.lawyerId, durationMinutes: session.durationMinutes, startAt: input.startAt });
      // audit: session.scheduled (written by SessionLifecycle.transition)
      await this.lifecycle.transition(m, session, 'schedule', actorOf(actor), { startAt: input.startAt });
      await this.marketplace.availabilityChanged(m, session.lawyerId);
    });
    return this.getOwn(actor, input.sessionId);
  }

  /**
   * The times this session can be booked at (PAID, by its client) or moved to (SCHEDULED, by
   * either participant within the reschedule rules): its own frozen duration, and its own
   * current time not counted as busy, so it can shift by a quarter of an hour. 409 with the
   * schedule's or reschedule's own code when that is not allowed now; 404 for anyone else.
   */
  async freeSlots(actor: AuthUser, sessionId: string, window: { from?: string; to?: string }): Promise<SessionSlots> {
    const { session, side } = await this.findOwn(actor, sessionId);
    const now = this.clock.now();
    throwIf(session.status === 'SCHEDULED' ? rescheduleRefusal(session, side, now) : scheduleRefusal(session, side));
    const free = await this.marketplace.freeSlots(
      { lawyerId: session.lawyerId, durationMinutes: session.durationMinutes, excludeSessionId: session.id, ...window },
      now,
    );
    return { sessionId: session.id, durationMinutes: session.durationMinutes, currentStartAt: session.startAt, ...free };
  }

  /**
   * Moves a SCHEDULED session to another free slot; the payment stays as it is (nothing
   * charged, nothing refunded). Moving it to the time it already has changes nothing.
   */
  async reschedule(actor: AuthUser, sessionId: string, startAt: Date): Promise<OwnSessionDetail> {
    await this.booking(async (m) => {
      const session = await this.lifecycle.lockForParticipant(m, sessionId, actor.id);
      throwIf(rescheduleRefusal(session, sideOf(session, actor), this.clock.now()));
      // Already at that time (e.g. a retried request): nothing to move, nothing to record.
      if (session.startAt?.getTime() === startAt.getTime()) return;
      await this.marketplace.assertBookable(m, {
        lawyerId: session.lawyerId,
        durationMinutes: session.durationMinutes,
        startAt,
        excludeSessionId: session.id,
      });
      // audit: session.rescheduled with fromStartAt / toStartAt
      await this.lifecycle.transition(m, session, 'reschedule', actorOf(actor), { startAt }, {
        fromStartAt: session.startAt!.toISOString(),
        toStartAt: startAt.toISOString(),
      });
      await this.marketplace.availabilityChanged(m, session.lawyerId);
    });
    return this.getOwn(actor, sessionId);
  }

  /** What cancelling now would refund; 409 with the cancel's own code when it cannot be cancelled. */
  async cancellationQuote(actor: AuthUser, sessionId: string): Promise<CancellationRefund & { currency: string }> {
    const { session, side } = await this.findOwn(actor, sessionId);
    const now = this.clock.now();
    throwIf(cancelRefusal(session, side, now));
    const decision = await this.refundFor(this.dataSource.manager, session, side, now);
    return { ...decision, currency: session.currency };
  }

  /**
   * Cancels the session and, in the same transaction, requests the refund the policy gives as
   * of now (or expires the open checkout of an unpaid session). The quote is not trusted.
   */
  async cancel(actor: AuthUser, sessionId: string, reason: string | undefined): Promise<CancellationResult> {
    const outcome = await this.dataSource.transaction(async (m) => {
      const session = await this.lifecycle.lockForParticipant(m, sessionId, actor.id);
      const side = sideOf(session, actor);
      const now = this.clock.now();
      throwIf(cancelRefusal(session, side, now));
      const decision = await this.refundFor(m, session, side, now);
      // audit: session.cancelled with the policy and the refunded amount
      await this.lifecycle.transition(m, session, 'cancel', actorOf(actor), { cancelledAt: now, cancelledBy: actor.id }, {
        reason: reason?.trim() || null,
        policy: decision.policy,
        refundMinor: decision.refundMinor,
        currency: session.currency,
      });
      let refund: RefundSummary | null = null;
      if (session.status === 'PENDING_PAYMENT') {
        await this.payments.abandonCheckout(m, session.id);
      } else if (decision.refundMinor > 0) {
        refund = await this.payments.requestRefund(m, {
          sessionId: session.id,
          amountMinor: decision.refundMinor,
          reason: REFUND_REASON[decision.policy],
          requestedBy: actor.id,
        });
      }
      if (session.startAt) await this.marketplace.availabilityChanged(m, session.lawyerId);
      return { ...decision, currency: session.currency, refund };
    });
    return { ...outcome, detail: await this.getOwn(actor, sessionId) };
  }

  /** The lawyer marks a held session COMPLETED once its scheduled end has passed. */
  async complete(actor: AuthUser, sessionId: string): Promise<OwnSessionDetail> {
    await this.dataSource.transaction(async (m) => {
      const session = await this.lifecycle.lockForParticipant(m, sessionId, actor.id);
      if (session.lawyerId !== actor.id) throw new SessionNotFound();
      const now = this.clock.now();
      throwIf(completeRefusal(session, 'LAWYER', now));
      // audit: session.completed (written by SessionLifecycle.transition)
      await this.lifecycle.transition(m, session, 'complete', actorOf(actor), { completedAt: now });
    });
    return this.getOwn(actor, sessionId);
  }

  /** The caller's sessions: as client for a CLIENT, as lawyer for a LAWYER. */
  listOwn(
    actor: AuthUser,
    query: { status?: SessionStatus[]; upcoming?: boolean; page: number; pageSize: number },
  ): Promise<{ items: SessionView[]; total: number }> {
    return this.views.list({
      ...(actor.role === 'LAWYER' ? { lawyerId: actor.id } : { clientId: actor.id }),
      statuses: query.status,
      upcomingAfter: query.upcoming ? this.clock.now() : undefined,
      page: query.page,
      pageSize: query.pageSize,
    });
  }

  listAll(query: { status?: SessionStatus[]; lawyerId?: string; clientId?: string; page: number; pageSize: number }): Promise<{ items: SessionView[]; total: number }> {
    return this.views.list({ clientId: query.clientId, lawyerId: query.lawyerId, statuses: query.status, page: query.page, pageSize: query.pageSize });
  }

  /** A session of the caller with its payment, refunds, timeline and next actions; 404 for anyone else. */
  async getOwn(actor: AuthUser, sessionId: string): Promise<OwnSessionDetail> {
    const { session, side } = await this.findOwn(actor, sessionId);
    return { ...(await this.detail(session)), side, actions: allowedActions(session, side, this.clock.now()) };
  }

  /** Any session, for admins. */
  async getAny(sessionId: string): Promise<SessionDetail> {
    const session = await this.views.find(sessionId, null);
    if (!session) throw new SessionNotFound();
    return this.detail(session);
  }

  /** The session as an .ics file for one of its participants; 409 SESSION_NOT_SCHEDULED without a booked time. */
  async calendar(actor: AuthUser, sessionId: string): Promise<{ filename: string; body: string }> {
    const { session, side } = await this.findOwn(actor, sessionId);
    if (!session.startAt || !session.endAt || session.status === 'CANCELLED') throw new SessionNotScheduled();
    const counterpartName = side === 'CLIENT' ? session.lawyerName : session.clientName;
    const body = sessionCalendar(
      { ...session, startAt: session.startAt, endAt: session.endAt },
      { counterpartName, publicUrl: this.config.PUBLIC_URL },
    );
    return { filename: `session-${session.id}.ics`, body };
  }

  private async detail(session: SessionView): Promise<SessionDetail> {
    const [money, events] = await Promise.all([this.payments.findForSession(session.id), this.views.events(session.id)]);
    return { session, payment: money.payment, refunds: money.refunds, events };
  }

  /** The policy's refund, capped by what the payment still has to give back. */
  private async refundFor(m: EntityManager, session: LegalSession, side: Side, now: Date): Promise<CancellationRefund> {
    const refundableMinor = session.status === 'PENDING_PAYMENT' ? 0 : refundable(await this.payments.findForSession(session.id, m));
    return decideCancellationRefund({ status: session.status, startAt: session.startAt, cancelledBy: side, refundableMinor, now });
  }

  /** A transaction that books time: the no-double-booking constraint's refusal becomes 409 SLOT_NOT_AVAILABLE. */
  /** One of the caller's sessions and their side in it; 404 SESSION_NOT_FOUND for anyone else. */
  private async findOwn(actor: AuthUser, sessionId: string): Promise<{ session: SessionView; side: Side }> {
    const session = await this.views.find(sessionId, actor.id);
    if (!session) throw new SessionNotFound();
    return { session, side: sideOf(session, actor) };
  }

  private async booking(work: (m: EntityManager) => Promise<void>): Promise<void> {
    try {
      await this.dataSource.transaction(work);
    } catch (err) {
      if (isDoubleBooking(err)) throw new SlotNotAvailable();
      throw err;
    }
  }
}

function throwIf(refusal: Error | null): void {
  if (refusal) throw refusal;
}

function actorOf(actor: AuthUser): { id: string; role: string } {
  return { id: actor.id, role: actor.role };
}

/** The caller's part in a session they take part in (client and lawyer are never the same user). */
function sideOf(session: Pick<LegalSession, 'clientId'>, actor: AuthUser): Side {
  return session.clientId === actor.id ? 'CLIENT' : 'LAWYER';
}

/** Paid minus everything already refunded or on its way (PENDING or SUCCEEDED refunds). */
function refundable({ payment, refunds }: PaymentsOfSession): number {
  if (!payment) return 0;
  const requested = refunds.filter((r) => r.status !== 'FAILED').reduce((sum, r) => sum + r.amountMinor, 0);
  return Math.max(0, payment.amountMinor - Math.max(payment.refundedMinor, requested));
}

/** SQLSTATE 23P01 (exclusion_violation) from `ex_legal_sessions_no_double_booking`. */
export function isDoubleBooking(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driver = (err as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driver?.code === '23P01' && driver.constraint === 'ex_legal_sessions_no_double_booking';
}

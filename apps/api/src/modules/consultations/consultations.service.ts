import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SessionStatus } from '@lm/domain';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { AppConfig } from '../../config/app-config';
import { SlotNotAvailable, MarketplaceService } from '../marketplace';
import type { TimeRange } from '../marketplace';
import { PaymentsService, refundable, type RefundSummary } from '../payments';
import {
  allowedActions,
  answerProposalRefusal,
  cancelRefusal,
  CANCELLATION_RULES,
  completeRefusal,
  decideCancellationRefund,
  proposeRefusal,
  rescheduleRefusal,
  scheduleRefusal,
  SessionLifecycle,
  SessionNotFound,
  SessionNotScheduled,
  SessionQueries,
  withdrawProposalRefusal,
  type CancellationRefund,
  type SessionActions,
  type SessionListView,
  type Side,
} from '../consultations-core';
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

/** The rules a client reads before booking (GET /api/booking-policy). */
export interface BookingPolicy {
  freeChangeHours: number;
  refundPercentBeforeWindow: number;
  refundPercentWithinWindow: number;
  refundPercentUnscheduled: number;
  refundPercentLawyerCancelled: number;
  firstBookingMinimumNoticeHours: number;
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
      await this.marketplace.assertBookable(m, {
        lawyerId: session.lawyerId,
        durationMinutes: session.durationMinutes,
        startAt: input.startAt,
        minimumNoticeMinutes: this.firstBookingNoticeMinutes(),
      });
      // audit: session.scheduled (written by SessionLifecycle.transition)
      await this.lifecycle.transition(m, session, 'schedule', actorOf(actor), { startAt: input.startAt });
      await this.marketplace.availabilityChanged(m, session.lawyerId);
    });
    return this.getOwn(actor, input.sessionId);
  }

  /**
   * The demo seeder's booking of its "call open now" session (embedded mode only): like
   * `schedule`, by the session's client, but without the first-booking notice and the lawyer's
   * hours, so the demo call can start within minutes at any time of day. Never exposed over
   * HTTP; still a `schedule` transition with its event and audit entry, and still refused
   * (409 SLOT_NOT_AVAILABLE) when it would double-book the lawyer.
   */
  async bookForDemo(actor: AuthUser, sessionId: string, startAt: Date): Promise<LegalSession> {
    let booked: LegalSession | undefined;
    await this.booking(async (m) => {
      const session = await this.lifecycle.lockForParticipant(m, sessionId, actor.id);
      if (session.clientId !== actor.id) throw new SessionNotFound();
      throwIf(scheduleRefusal(session, 'CLIENT'));
      booked = await this.lifecycle.transition(m, session, 'schedule', actorOf(actor), { startAt }, { demo: true });
      await this.marketplace.availabilityChanged(m, session.lawyerId);
    });
    return booked!;
  }

  /**
   * The times this session can be booked at (PAID, by its client, at least
   * BOOKING_MIN_NOTICE_HOURS ahead) or moved to (SCHEDULED: by its client within the reschedule
   * rules, or proposed by its lawyer): its own frozen duration, and its own
   * current time not counted as busy, so it can shift by a quarter of an hour. 409 with the
   * schedule's or reschedule's own code when that is not allowed now; 404 for anyone else.
   */
  async freeSlots(actor: AuthUser, sessionId: string, window: { from?: string; to?: string }): Promise<SessionSlots> {
    const { session, side } = await this.findOwn(actor, sessionId);
    const now = this.clock.now();
    const moving = session.status === 'SCHEDULED';
    throwIf(!moving ? scheduleRefusal(session, side) : side === 'LAWYER' ? proposeRefusal(session, side, now) : rescheduleRefusal(session, side, now));
    const free = await this.marketplace.freeSlots(
      {
        lawyerId: session.lawyerId,
        durationMinutes: session.durationMinutes,
        excludeSessionId: session.id,
        ...window,
        ...(moving ? {} : { minimumNoticeMinutes: this.firstBookingNoticeMinutes() }),
      },
      now,
    );
    return { sessionId: session.id, durationMinutes: session.durationMinutes, currentStartAt: session.startAt, ...free };
  }

  /**
   * The client moves their SCHEDULED session to another free slot; the payment stays as it is
   * (nothing charged, nothing refunded). Moving it to the time it already has changes nothing.
   * A lawyer gets 409 RESCHEDULE_NEEDS_CLIENT_CONSENT: they propose a time instead.
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

  /**
   * The lawyer proposes a new start for a SCHEDULED session: the session keeps its time until
   * the client accepts. The time must be bookable now (the same check as a booking, without
   * holding it: 409 SLOT_NOT_AVAILABLE); one open proposal per session (409
   * RESCHEDULE_PROPOSAL_OPEN); never once the session has started.
   */
  async proposeReschedule(actor: AuthUser, sessionId: string, startAt: Date): Promise<OwnSessionDetail> {
    await this.booking(async (m) => {
      const session = await this.lifecycle.lockForParticipant(m, sessionId, actor.id);
      const now = this.clock.now();
      throwIf(proposeRefusal(session, sideOf(session, actor), now));
      if (startAt.getTime() <= now.getTime() || session.startAt?.getTime() === startAt.getTime()) throw new SlotNotAvailable();
      await this.marketplace.assertBookable(m, { lawyerId: session.lawyerId, durationMinutes: session.durationMinutes, startAt, excludeSessionId: session.id, now });
      // audit: session.reschedule_proposed (written by SessionLifecycle.record)
      await this.lifecycle.propose(m, session, startAt, actorOf(actor), now);
    });
    return this.getOwn(actor, sessionId);
  }

  /** The lawyer withdraws their open proposal; the session keeps its time. */
  async withdrawProposal(actor: AuthUser, sessionId: string): Promise<OwnSessionDetail> {
    await this.dataSource.transaction(async (m) => {
      const session = await this.lifecycle.lockForParticipant(m, sessionId, actor.id);
      throwIf(withdrawProposalRefusal(session, sideOf(session, actor)));
      // audit: session.reschedule_withdrawn (written by SessionLifecycle.record)
      await this.lifecycle.closeProposal(m, session, { action: 'reschedule_withdrawn' }, actorOf(actor));
    });
    return this.getOwn(actor, sessionId);
  }

  /**
   * The client accepts the lawyer's proposed time: the session moves there through the same
   * availability check and lock as any booking (409 SLOT_NOT_AVAILABLE when it was taken or is
   * no longer bookable; the proposal then stays open for the client to decline).
   */
  async acceptProposal(actor: AuthUser, sessionId: string): Promise<OwnSessionDetail> {
    await this.booking(async (m) => {
      const session = await this.lifecycle.lockForParticipant(m, sessionId, actor.id);
      const now = this.clock.now();
      throwIf(answerProposalRefusal(session, sideOf(session, actor), now));
      const startAt = session.proposedStartAt!;
      if (startAt.getTime() <= now.getTime()) throw new SlotNotAvailable();
      await this.marketplace.assertBookable(m, { lawyerId: session.lawyerId, durationMinutes: session.durationMinutes, startAt, excludeSessionId: session.id, now });
      // audit: session.rescheduled with fromStartAt / toStartAt / proposal: accepted
      await this.lifecycle.transition(m, session, 'reschedule', actorOf(actor), { startAt }, {
        fromStartAt: session.startAt!.toISOString(),
        toStartAt: startAt.toISOString(),
        proposal: 'accepted',
      });
      await this.marketplace.availabilityChanged(m, session.lawyerId);
    });
    return this.getOwn(actor, sessionId);
  }

  /**
   * The client declines the lawyer's proposed time: keeps the booked time (`keep`), or cancels
   * the session with a full refund, since the lawyer asked for the change (`cancel`, policy
   * LAWYER_CANCELLED, also inside the 24-hour window).
   */
  async declineProposal(actor: AuthUser, sessionId: string, input: { outcome: 'keep' | 'cancel'; reason?: string }): Promise<OwnSessionDetail> {
    await this.dataSource.transaction(async (m) => {
      const session = await this.lifecycle.lockForParticipant(m, sessionId, actor.id);
      const side = sideOf(session, actor);
      const now = this.clock.now();
      throwIf(answerProposalRefusal(session, side, now));
      if (input.outcome === 'keep') {
        // audit: session.reschedule_declined (written by SessionLifecycle.record)
        await this.lifecycle.closeProposal(m, session, { action: 'reschedule_declined' }, actorOf(actor));
        return;
      }
      throwIf(cancelRefusal(session, side, now));
      const refundMinor = refundable(await this.payments.findForSession(session.id, m));
      // audit: session.cancelled with policy LAWYER_CANCELLED and proposal: declined
      await this.lifecycle.transition(m, session, 'cancel', actorOf(actor), { cancelledAt: now, cancelledBy: actor.id }, {
        reason: input.reason?.trim() || null,
        policy: 'LAWYER_CANCELLED',
        proposal: 'declined',
        fromStartAt: session.startAt?.toISOString() ?? null,
        toStartAt: session.proposedStartAt?.toISOString() ?? null,
        refundMinor,
        currency: session.currency,
      });
      if (refundMinor > 0) {
        await this.payments.requestRefund(m, {
          sessionId: session.id,
          amountMinor: refundMinor,
          reason: 'Cancelled by the client after declining the lawyer’s proposed new time',
          requestedBy: actor.id,
        });
      }
      await this.marketplace.availabilityChanged(m, session.lawyerId);
    });
    return this.getOwn(actor, sessionId);
  }

  /** The cancellation and reschedule rules and the first booking's minimum notice, for people about to book. */
  bookingPolicy(): BookingPolicy {
    return { ...CANCELLATION_RULES, firstBookingMinimumNoticeHours: this.config.BOOKING_MIN_NOTICE_HOURS };
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
    query: { status?: SessionStatus[]; upcoming?: boolean; view?: SessionListView; page: number; pageSize: number },
  ): Promise<{ items: SessionView[]; total: number }> {
    return this.views.list({
      ...(actor.role === 'LAWYER' ? { lawyerId: actor.id } : { clientId: actor.id }),
      statuses: query.status,
      upcomingAfter: query.upcoming ? this.clock.now() : undefined,
      view: query.view ? { name: query.view, now: this.clock.now() } : undefined,
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
    const timeZone = side === 'CLIENT' ? session.clientTimeZone : session.lawyerTimeZone;
    const body = sessionCalendar(
      { ...session, startAt: session.startAt, endAt: session.endAt },
      { counterpartName, publicUrl: this.config.PUBLIC_URL, timeZone },
    );
    return { filename: `session-${session.id}.ics`, body };
  }

  /** BOOKING_MIN_NOTICE_HOURS in minutes: the first booking of a paid session starts at least this far ahead. */
  private firstBookingNoticeMinutes(): number {
    return this.config.BOOKING_MIN_NOTICE_HOURS * 60;
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


/** SQLSTATE 23P01 (exclusion_violation) from `ex_legal_sessions_no_double_booking`. */
export function isDoubleBooking(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driver = (err as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
  return driver?.code === '23P01' && driver.constraint === 'ex_legal_sessions_no_double_booking';
}

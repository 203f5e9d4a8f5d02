import { PagedResponse } from '../../../common/http/paged.response';
import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { SESSION_STATUSES, type SessionStatus } from '@lm/domain';
import { CANCELLATION_POLICIES, type CancellationPolicy } from '../../consultations-core';
import type { SessionEvent, Side, SessionView } from '../../consultations-core';

export class SessionPartyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'Ana López' })
  displayName: string;
}

/** The other participant, seen from the caller. */
export class SessionCounterpartResponse extends SessionPartyResponse {
  @ApiProperty({ enum: ['CLIENT', 'LAWYER'] })
  role: Side;
}

/** A consultation as sold (terms frozen at checkout) and where it stands. Times are UTC. */
export class SessionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: SESSION_STATUSES, example: 'SCHEDULED' })
  status: SessionStatus;
  client: SessionPartyResponse;
  lawyer: SessionPartyResponse;
  @ApiProperty({ format: 'uuid' })
  offeringId: string;
  @ApiProperty({ example: 'Initial consultation (45 min)' })
  offeringTitle: string;
  @ApiProperty({ example: 45 })
  durationMinutes: number;
  /** Price paid, integer minor units of `currency`. */
  @ApiProperty({ example: 9000 })
  priceMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-03-02T09:00:00.000Z' })
  startAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-03-02T09:45:00.000Z' })
  endAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  paidAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: Date | null;
  /** The start the lawyer proposed and the client has not answered yet; null when no proposal is open. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  proposedStartAt: Date | null;
  /** The end that goes with `proposedStartAt` (same duration). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  proposedEndAt: Date | null;
  /** When the open proposal was made. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  proposedAt: Date | null;
  /** The client's account time zone (IANA). */
  @ApiProperty({ example: 'Europe/Madrid' })
  clientTimeZone: string;
  /** The lawyer's account time zone (IANA). */
  @ApiProperty({ example: 'America/New_York' })
  lawyerTimeZone: string;
  /** Increases with every change (the calendar file's SEQUENCE). */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One of the caller's own sessions. */
export class MySessionResponse extends SessionResponse {
  counterpart: SessionCounterpartResponse;
}

export class MySessionPageResponse extends PagedResponse(MySessionResponse) {}

export class AdminSessionPageResponse extends PagedResponse(SessionResponse) {}

export class SessionPaymentResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 9000 })
  amountMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  /** Refunds confirmed so far, minor units. */
  @ApiProperty({ example: 0 })
  refundedMinor: number;
  createdAt: Date;
}

export class SessionRefundResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 9000 })
  amountMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  @ApiProperty({ enum: ['PENDING', 'SUCCEEDED', 'FAILED'] })
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  @ApiProperty({ example: 'Session cancelled by the lawyer' })
  reason: string;
  createdAt: Date;
}

/** A step of the session's immutable timeline. */
export class SessionEventResponse {
  @ApiProperty({ example: '42' })
  id: string;
  @ApiProperty({ example: 'reschedule' })
  action: string;
  @ApiProperty({ enum: SESSION_STATUSES, nullable: true })
  fromStatus: SessionStatus | null;
  @ApiProperty({ enum: SESSION_STATUSES })
  toStatus: SessionStatus;
  /** Who caused it (CLIENT, LAWYER, ADMIN), or null for the system (payment webhook, expiry job). */
  @ApiProperty({ type: String, nullable: true, example: 'CLIENT' })
  actorRole: string | null;
  /** The booked start after this step (schedule, reschedule). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startAt: string | null;
  /** The start before a reschedule. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  previousStartAt: string | null;
  /** The new start a reschedule proposal was about (reschedule_proposed, _declined, _withdrawn). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  proposedStartAt: string | null;
  /** For a reschedule or cancellation that answered the lawyer's proposal: accepted or declined. */
  @ApiProperty({ type: String, enum: ['accepted', 'declined'], nullable: true })
  proposal: 'accepted' | 'declined' | null;
  /** The reason given with a cancellation. */
  @ApiProperty({ example: 'Client asked to move the session', type: String, nullable: true })
  reason: string | null;
  @ApiProperty({ enum: CANCELLATION_POLICIES, nullable: true })
  cancellationPolicy: CancellationPolicy | null;
  occurredAt: Date;
}

/** What the caller may do next, decided by the server's rules as of now. */
export class SessionActionsResponse {
  canSchedule: boolean;
  canReschedule: boolean;
  canCancel: boolean;
  canComplete: boolean;
  /** Lawyer: propose a new time (POST …/reschedule-proposal); the client accepts or declines. */
  canProposeReschedule: boolean;
  /** Client: accept or decline the lawyer's proposed time. */
  canAnswerProposal: boolean;
  /** Lawyer: withdraw the open proposal. */
  canWithdrawProposal: boolean;
}

/** A session's money and history, added to the participant's and the admin's detail views. */
function WithHistory<TBase extends Type<object>>(Base: TBase) {
  class SessionWithHistory extends Base {
    @ApiProperty({ type: SessionPaymentResponse, nullable: true })
    payment: SessionPaymentResponse | null;
    @ApiProperty({ type: [SessionRefundResponse] })
    refunds: SessionRefundResponse[];
    @ApiProperty({ type: [SessionEventResponse] })
    events: SessionEventResponse[];
  }
  return SessionWithHistory;
}

export class SessionDetailResponse extends WithHistory(MySessionResponse) {
  @ApiProperty({ type: SessionActionsResponse })
  actions: SessionActionsResponse;
}

export class AdminSessionDetailResponse extends WithHistory(SessionResponse) {}

/** What cancelling now would refund (informative: the amount is decided again when cancelling). */
export class CancellationQuoteResponse {
  @ApiProperty({ enum: CANCELLATION_POLICIES, example: 'CLIENT_MORE_THAN_24H' })
  policy: CancellationPolicy;
  @ApiProperty({ example: 9000 })
  refundMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
}

export class CancelSessionResponse {
  @ApiProperty({ enum: CANCELLATION_POLICIES, example: 'CLIENT_MORE_THAN_24H' })
  policy: CancellationPolicy;
  /** The amount refunded (0 when the policy gives nothing back). */
  @ApiProperty({ example: 9000 })
  refundMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  /** The refund requested from Stripe (PENDING until Stripe confirms), or null when nothing is refunded. */
  @ApiProperty({ type: SessionRefundResponse, nullable: true })
  refund: SessionRefundResponse | null;
  session: SessionDetailResponse;
}

export function toSessionResponse(s: SessionView): SessionResponse {
  return {
    id: s.id,
    status: s.status,
    client: { id: s.clientId, displayName: s.clientName },
    lawyer: { id: s.lawyerId, displayName: s.lawyerName },
    offeringId: s.offeringId,
    offeringTitle: s.offeringTitle,
    durationMinutes: s.durationMinutes,
    priceMinor: s.priceMinor,
    currency: s.currency,
    startAt: s.startAt,
    endAt: s.endAt,
    paidAt: s.paidAt,
    cancelledAt: s.cancelledAt,
    completedAt: s.completedAt,
    proposedStartAt: s.proposedStartAt,
    proposedEndAt: s.proposedStartAt ? new Date(s.proposedStartAt.getTime() + s.durationMinutes * 60_000) : null,
    proposedAt: s.proposedAt,
    clientTimeZone: s.clientTimeZone,
    lawyerTimeZone: s.lawyerTimeZone,
    version: s.version,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** The session as one of its participants (`as`) sees it. */
export function toMySessionResponse(s: SessionView, as: Side): MySessionResponse {
  const counterpart: SessionCounterpartResponse =
    as === 'CLIENT' ? { id: s.lawyerId, displayName: s.lawyerName, role: 'LAWYER' } : { id: s.clientId, displayName: s.clientName, role: 'CLIENT' };
  return { ...toSessionResponse(s), counterpart };
}

export function toSessionPaymentResponse(p: SessionPaymentResponse): SessionPaymentResponse {
  return { id: p.id, amountMinor: p.amountMinor, currency: p.currency, refundedMinor: p.refundedMinor, createdAt: p.createdAt };
}

export function toSessionRefundResponse(r: SessionRefundResponse): SessionRefundResponse {
  return { id: r.id, amountMinor: r.amountMinor, currency: r.currency, status: r.status, reason: r.reason, createdAt: r.createdAt };
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Only the facts a participant may read; the raw payload stays in the database (and the audit log). */
export function toSessionEventResponse(e: SessionEvent): SessionEventResponse {
  const payload = e.payload ?? {};
  const policy = text(payload.policy);
  const proposal = text(payload.proposal);
  return {
    id: String(e.id),
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    actorRole: e.actorRole,
    startAt: text(payload.startAt),
    previousStartAt: text(payload.fromStartAt),
    proposedStartAt: e.action.startsWith('reschedule_') ? text(payload.toStartAt) : null,
    proposal: proposal === 'accepted' || proposal === 'declined' ? proposal : null,
    reason: text(payload.reason),
    cancellationPolicy: policy && (CANCELLATION_POLICIES as readonly string[]).includes(policy) ? (policy as CancellationPolicy) : null,
    occurredAt: e.occurredAt,
  };
}

/** The detail page of a session for one of its participants. */
export function toSessionDetailResponse(d: SessionDetailSource & { side: Side; actions: SessionActionsResponse }): SessionDetailResponse {
  return {
    ...toMySessionResponse(d.session, d.side),
    payment: d.payment ? toSessionPaymentResponse(d.payment) : null,
    refunds: d.refunds.map(toSessionRefundResponse),
    events: d.events.map(toSessionEventResponse),
    actions: { ...d.actions },
  };
}

export function toAdminSessionDetailResponse(d: SessionDetailSource): AdminSessionDetailResponse {
  return {
    ...toSessionResponse(d.session),
    payment: d.payment ? toSessionPaymentResponse(d.payment) : null,
    refunds: d.refunds.map(toSessionRefundResponse),
    events: d.events.map(toSessionEventResponse),
  };
}

/** What the service hands over for a detail response (see ConsultationsService.SessionDetail). */
export interface SessionDetailSource {
  session: SessionView;
  payment: SessionPaymentResponse | null;
  refunds: SessionRefundResponse[];
  events: SessionEvent[];
}

/** The cancellation and reschedule rules, shown before a client pays and books. */
export class BookingPolicyResponse {
  /** A client may reschedule, or cancel with a full refund, until this many hours before the start. */
  @ApiProperty({ example: 24 })
  freeChangeHours: number;
  /** Refund (percent of the price) when the client cancels more than `freeChangeHours` before the start. */
  @ApiProperty({ example: 100 })
  refundPercentBeforeWindow: number;
  /** Refund when the client cancels within `freeChangeHours` of the start (the time can no longer be changed then). */
  @ApiProperty({ example: 0 })
  refundPercentWithinWindow: number;
  /** Refund when the client cancels a paid session before booking a time. */
  @ApiProperty({ example: 100 })
  refundPercentUnscheduled: number;
  /** Refund when the lawyer cancels, or the client cancels after declining the lawyer's proposed new time. */
  @ApiProperty({ example: 100 })
  refundPercentLawyerCancelled: number;
  /** The first booking after payment starts at least this many hours ahead (BOOKING_MIN_NOTICE_HOURS). */
  @ApiProperty({ example: 2 })
  firstBookingMinimumNoticeHours: number;
}

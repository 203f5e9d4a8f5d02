import { ApiProperty } from '@nestjs/swagger';
import { ROLES, SESSION_STATUSES, type Role, type SessionStatus } from '@lm/domain';
import { PagedResponse } from '../../../common/http/paged.response';
import { TICKET_CATEGORIES, TICKET_RESOLUTIONS, TICKET_STATUSES, type TicketCategory, type TicketResolution, type TicketStatus } from '../support-rules';
import type { AdminTicketRow, SupportMessage, SupportTicket, SupportTicketEvent } from '../support.repository';
import type { AdminTicketDetail, AttendanceEvidence, TicketDetail } from '../support.service';

/** How admins sign their messages to a reporter: the team, never a person's name or address. */
export const SUPPORT_SIGNATURE = 'LexMarket support';

export class SupportTicketResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: TICKET_CATEGORIES })
  category: TicketCategory;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  sessionId: string | null;
  @ApiProperty({ example: 'The lawyer did not join the session' })
  subject: string;
  @ApiProperty({ example: 'I waited 20 minutes in the video room and the lawyer never joined.' })
  description: string;
  @ApiProperty({ enum: TICKET_STATUSES })
  status: TicketStatus;
  /** The no-show decision, once made. */
  @ApiProperty({ enum: TICKET_RESOLUTIONS, nullable: true })
  resolution: TicketResolution | null;
  /** The admin's note when the ticket was closed. */
  @ApiProperty({ example: 'Refunded in full: the lawyer confirmed the missed session.', type: String, nullable: true })
  resolutionNote: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  resolvedAt: Date | null;
  createdAt: Date;
  /** The last change or message: the queue's sort key. */
  updatedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastMessageAt: Date | null;
}

export class SupportMessageResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** The author's role: ADMIN for the support team. */
  @ApiProperty({ enum: ROLES })
  authorRole: Role;
  /** The author's display name; a reporter sees admins as "LexMarket support". */
  authorName: string;
  @ApiProperty({ example: 'The lawyer never joined; I waited 20 minutes.' })
  body: string;
  createdAt: Date;
}

export class SupportTicketDetailResponse extends SupportTicketResponse {
  @ApiProperty({ type: [SupportMessageResponse] })
  messages: SupportMessageResponse[];
}

export class SupportTicketPageResponse extends PagedResponse(SupportTicketResponse) {}

export class SupportPartyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  displayName: string;
}

export class SupportReporterResponse extends SupportPartyResponse {
  @ApiProperty({ enum: ROLES })
  role: Role;
}

export class AdminSupportTicketResponse extends SupportTicketResponse {
  reporter: SupportReporterResponse;
  @ApiProperty({ type: SupportPartyResponse, nullable: true })
  assignee: SupportPartyResponse | null;
}

export class AdminSupportTicketPageResponse extends PagedResponse(AdminSupportTicketResponse) {}

export class SupportTicketEventResponse {
  @ApiProperty({ example: '1207' })
  id: string;
  @ApiProperty({ enum: ['opened', 'assigned', 'status_changed', 'no_show_resolved'] })
  action: SupportTicketEvent['action'];
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId: string | null;
  @ApiProperty({ type: String, nullable: true })
  actorName: string | null;
  /** What changed (statuses, assignee, decision, refund id and amount). */
  @ApiProperty({ example: { from: 'OPEN', to: 'RESOLVED' }, type: 'object', additionalProperties: true })
  payload: Record<string, unknown>;
  createdAt: Date;
}

export class SupportSessionPaymentResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  amountMinor: number;
  currency: string;
  /** Refunds Stripe confirmed so far. */
  refundedMinor: number;
  createdAt: Date;
}

export class SupportSessionRefundResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  amountMinor: number;
  currency: string;
  @ApiProperty({ enum: ['PENDING', 'SUCCEEDED', 'FAILED'] })
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  @ApiProperty({ example: 'Session cancelled by the lawyer' })
  reason: string;
  createdAt: Date;
}

export class SupportSessionSummaryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'Employment contract review (60 min)' })
  offeringTitle: string;
  @ApiProperty({ enum: SESSION_STATUSES })
  status: SessionStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: Date | null;
  client: SupportPartyResponse;
  lawyer: SupportPartyResponse;
  @ApiProperty({ type: SupportSessionPaymentResponse, nullable: true })
  payment: SupportSessionPaymentResponse | null;
  @ApiProperty({ type: [SupportSessionRefundResponse] })
  refunds: SupportSessionRefundResponse[];
}

/** One entry of the call's attendance log (the video module's evidence). */
export class SupportAttendanceEventResponse {
  @ApiProperty({ enum: ['CLIENT', 'LAWYER'], nullable: true })
  role: 'CLIENT' | 'LAWYER' | null;
  @ApiProperty({ enum: ['joined', 'left'] })
  event: 'joined' | 'left';
  at: Date;
  /** Who observed it: the provider's room events, or our signalling server. */
  @ApiProperty({ enum: ['twilio', 'signalling'] })
  source: 'twilio' | 'signalling';
}

export class AdminSupportTicketDetailResponse extends AdminSupportTicketResponse {
  /** The whole thread, with the admins' names. */
  @ApiProperty({ type: [SupportMessageResponse] })
  messages: SupportMessageResponse[];
  @ApiProperty({ type: [SupportTicketEventResponse] })
  events: SupportTicketEventResponse[];
  /** The session the ticket is about, with its money; null when it names none. */
  @ApiProperty({ type: SupportSessionSummaryResponse, nullable: true })
  session: SupportSessionSummaryResponse | null;
  /** The call's attendance log when the video module recorded one (empty otherwise). */
  @ApiProperty({ type: [SupportAttendanceEventResponse] })
  attendance: SupportAttendanceEventResponse[];
}

export function toSupportTicketResponse(t: SupportTicket): SupportTicketResponse {
  return {
    id: t.id,
    category: t.category,
    sessionId: t.sessionId,
    subject: t.subject,
    description: t.description,
    status: t.status,
    resolution: t.resolution,
    resolutionNote: t.resolutionNote,
    resolvedAt: t.resolvedAt,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    lastMessageAt: t.lastMessageAt,
  };
}

/** A message as `viewer` sees it: a reporter sees the support team, an admin sees names. */
export function toSupportMessageResponse(m: SupportMessage, viewer: 'reporter' | 'admin', reporterId: string): SupportMessageResponse {
  const signed = viewer === 'reporter' && m.authorId !== reporterId;
  return { id: m.id, authorRole: m.authorRole, authorName: signed ? SUPPORT_SIGNATURE : m.authorName, body: m.body, createdAt: m.createdAt };
}

export function toSupportTicketDetailResponse(d: TicketDetail): SupportTicketDetailResponse {
  return { ...toSupportTicketResponse(d.ticket), messages: d.messages.map((m) => toSupportMessageResponse(m, 'reporter', d.ticket.reporterId)) };
}

export function toAdminSupportTicketResponse(t: AdminTicketRow): AdminSupportTicketResponse {
  return {
    ...toSupportTicketResponse(t),
    reporter: { id: t.reporterId, displayName: t.reporterName, role: t.reporterRole },
    assignee: t.assigneeId ? { id: t.assigneeId, displayName: t.assigneeName ?? '' } : null,
  };
}

export function toAdminSupportTicketDetailResponse(d: AdminTicketDetail): AdminSupportTicketDetailResponse {
  const s = d.session;
  return {
    ...toAdminSupportTicketResponse(d.ticket),
    messages: d.messages.map((m) => toSupportMessageResponse(m, 'admin', d.ticket.reporterId)),
    events: d.events.map((e) => ({ id: e.id, action: e.action, actorId: e.actorId, actorName: e.actorName, payload: e.payload, createdAt: e.createdAt })),
    session: s
      ? {
          id: s.id,
          offeringTitle: s.offeringTitle,
          status: s.status,
          startAt: s.startAt,
          endAt: s.endAt,
          completedAt: s.completedAt,
          client: { id: s.clientId, displayName: s.clientName },
          lawyer: { id: s.lawyerId, displayName: s.lawyerName },
          payment: s.payment
            ? { id: s.payment.id, amountMinor: s.payment.amountMinor, currency: s.payment.currency, refundedMinor: s.payment.refundedMinor, createdAt: s.payment.createdAt }
            : null,
          refunds: s.refunds.map((r) => ({ id: r.id, amountMinor: r.amountMinor, currency: r.currency, status: r.status, reason: r.reason, createdAt: r.createdAt })),
        }
      : null,
    attendance: d.attendance.map((a: AttendanceEvidence) => ({ role: a.role, event: a.event, at: a.occurredAt, source: a.source })),
  };
}

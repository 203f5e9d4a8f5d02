import type { SessionStatus } from '@lm/domain';
import type { DomainError } from '../../common/errors/domain-error';
import { NoShowDecisionRequired, NoShowReportNotAllowed, NoShowWrongSide, TicketClosed } from './support.errors';

/**
 * The rules of support tickets. Pure: each `…Refusal` returns the coded error the request would
 * fail with, or null when it is allowed.
 *
 * - A no-show report names a session of the reporter and the other side: a client reports the
 *   lawyer (NO_SHOW_LAWYER), a lawyer the client (NO_SHOW_CLIENT).
 * - It can be filed once the session has started and until 48 hours after its scheduled end,
 *   while the session is SCHEDULED, IN_PROGRESS or COMPLETED (a call that only one side joined is
 *   completed by the video module when its window closes).
 * - Status: OPEN → IN_PROGRESS → RESOLVED | REJECTED (OPEN may close directly); closed is final.
 *   A no-show ticket closes only through a no-show decision, which is what moves the session
 *   and the money.
 */
export const TICKET_CATEGORIES = ['NO_SHOW_LAWYER', 'NO_SHOW_CLIENT', 'BILLING', 'TECHNICAL', 'ABUSE', 'OTHER'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const TICKET_STATUSES = ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'REJECTED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_RESOLUTIONS = ['LAWYER_NO_SHOW', 'CLIENT_NO_SHOW', 'DISMISSED'] as const;
export type TicketResolution = (typeof TICKET_RESOLUTIONS)[number];
export const NO_SHOW_DECISIONS = ['LAWYER_NO_SHOW', 'CLIENT_NO_SHOW', 'DISMISS'] as const;
export type NoShowDecision = (typeof NO_SHOW_DECISIONS)[number];
/** What an admin may set through the status route. */
export const SETTABLE_STATUSES = ['IN_PROGRESS', 'RESOLVED', 'REJECTED'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/** How long after a session's scheduled end a no-show may still be reported. */
export const NO_SHOW_REPORT_HOURS = 48;
const HOUR = 3_600_000;

export function isNoShow(category: TicketCategory): category is 'NO_SHOW_LAWYER' | 'NO_SHOW_CLIENT' {
  return category === 'NO_SHOW_LAWYER' || category === 'NO_SHOW_CLIENT';
}

export function isClosed(status: TicketStatus): boolean {
  return status === 'RESOLVED' || status === 'REJECTED';
}

/** The ticket resolution a decision records. */
export function resolutionOf(decision: NoShowDecision): TicketResolution {
  return decision === 'DISMISS' ? 'DISMISSED' : decision;
}

/** The ticket status a decision leaves: a dismissal is a rejected report. */
export function statusAfter(decision: NoShowDecision): 'RESOLVED' | 'REJECTED' {
  return decision === 'DISMISS' ? 'REJECTED' : 'RESOLVED';
}

export interface ReportedSession {
  clientId: string;
  lawyerId: string;
  status: SessionStatus;
  startAt: Date | null;
  endAt: Date | null;
}

const REPORTABLE: readonly SessionStatus[] = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED'];

/** Whether `reporterId` (a participant of `s`) may report this no-show now. */
export function noShowReportRefusal(
  s: ReportedSession,
  reporterId: string,
  category: 'NO_SHOW_LAWYER' | 'NO_SHOW_CLIENT',
  now: Date,
): DomainError | null {
  const side = s.clientId === reporterId ? 'CLIENT' : 'LAWYER';
  if ((side === 'CLIENT') !== (category === 'NO_SHOW_LAWYER')) return new NoShowWrongSide();
  if (!REPORTABLE.includes(s.status)) {
    return new NoShowReportNotAllowed(`A ${s.status} session cannot be reported as a no-show`, { status: s.status });
  }
  if (!s.startAt || !s.endAt || now.getTime() < s.startAt.getTime()) {
    return new NoShowReportNotAllowed('The session has not started yet; a no-show can be reported once it has', {
      startAt: s.startAt?.toISOString() ?? null,
    });
  }
  const closesAt = new Date(s.endAt.getTime() + NO_SHOW_REPORT_HOURS * HOUR);
  if (now.getTime() > closesAt.getTime()) {
    return new NoShowReportNotAllowed(`No-shows can be reported until ${NO_SHOW_REPORT_HOURS} hours after the session's scheduled end`, {
      closedAt: closesAt.toISOString(),
    });
  }
  return null;
}

/** Whether an admin may move a ticket of `category` from `from` to `to` (same status: allowed, a no-op). */
export function statusChangeRefusal(category: TicketCategory, from: TicketStatus, to: SettableStatus): DomainError | null {
  if (from === to) return null;
  if (isClosed(from)) return new TicketClosed();
  if (isClosed(to) && isNoShow(category)) return new NoShowDecisionRequired();
  return null;
}

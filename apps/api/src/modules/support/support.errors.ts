import { domainError } from '../../common/errors/domain-error';

/** No such ticket, or not the caller's (never revealed). */
export class SupportTicketNotFound extends domainError('SUPPORT_TICKET_NOT_FOUND', 404, 'Support ticket not found') {}
/** A no-show report about one's own side: a client reports the lawyer, a lawyer reports the client. */
export class NoShowWrongSide extends domainError(
  'NO_SHOW_WRONG_SIDE',
  400,
  'A client reports a lawyer no-show (NO_SHOW_LAWYER) and a lawyer reports a client no-show (NO_SHOW_CLIENT)',
) {}
/** A no-show report outside its window: the session has not started, ended more than 48 h ago, or is not a held session. */
export class NoShowReportNotAllowed extends domainError(
  'NO_SHOW_REPORT_NOT_ALLOWED',
  409,
  'A no-show can be reported only for a booked session that has started, until 48 hours after its scheduled end',
) {}
/** The same side of this session was already reported as a no-show. */
export class NoShowAlreadyReported extends domainError('NO_SHOW_ALREADY_REPORTED', 409, 'This no-show has already been reported for this session') {}
/** A no-show ticket already carries another decision. */
export class TicketAlreadyResolved extends domainError(
  'TICKET_ALREADY_RESOLVED',
  409,
  'This ticket was already resolved with another decision',
) {}
/** A change to a ticket that is already resolved or rejected. */
export class TicketClosed extends domainError('TICKET_CLOSED', 409, 'This ticket is closed') {}
/** A no-show ticket closes only with a decision (POST …/no-show-resolution), not by a bare status change. */
export class NoShowDecisionRequired extends domainError(
  'NO_SHOW_DECISION_REQUIRED',
  409,
  'A no-show ticket is closed by a no-show decision (lawyer no-show, client no-show or dismiss)',
) {}
/** A no-show decision asked of a ticket that is not a no-show report. */
export class NotANoShowTicket extends domainError('NOT_A_NO_SHOW_TICKET', 409, 'Only a no-show report can get a no-show decision') {}

/** Every code of this module (for exhaustive handling). */
export type SupportErrorCode =
  | 'SUPPORT_TICKET_NOT_FOUND'
  | 'NO_SHOW_WRONG_SIDE'
  | 'NO_SHOW_REPORT_NOT_ALLOWED'
  | 'NO_SHOW_ALREADY_REPORTED'
  | 'TICKET_ALREADY_RESOLVED'
  | 'TICKET_CLOSED'
  | 'NO_SHOW_DECISION_REQUIRED'
  | 'NOT_A_NO_SHOW_TICKET';

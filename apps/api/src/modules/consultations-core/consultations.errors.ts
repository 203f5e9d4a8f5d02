import { domainError } from '../../common/errors/domain-error';

/** No such session, or the caller is not one of its participants (never revealed). */
export class SessionNotFound extends domainError('SESSION_NOT_FOUND', 404, 'Session not found') {}
/** Scheduling needs a verified payment first (payment-first scheduling). */
export class SessionNotPaid extends domainError('SESSION_NOT_PAID', 409, 'This session has not been paid yet; scheduling opens once the payment is confirmed') {}
/** The requested change does not apply to the session's current status. */
export class SessionTransitionNotAllowed extends domainError(
  'SESSION_TRANSITION_NOT_ALLOWED',
  409,
  'This change does not apply to the session’s current status',
) {}
/** Completing a session before its scheduled end. */
export class SessionNotEnded extends domainError('SESSION_NOT_ENDED', 409, 'The session can be marked completed only after its scheduled end') {}
/** Moving or cancelling a session whose start has passed (no-shows are resolved by support). */
export class SessionAlreadyStarted extends domainError('SESSION_ALREADY_STARTED', 409, 'The session has already started') {}
/** A client moves a session within the late window before its start. */
export class RescheduleTooLate extends domainError(
  'RESCHEDULE_TOO_LATE',
  409,
  'A client can reschedule only more than 24 hours before the start; the lawyer can still move or cancel it',
) {}
/** Something that needs a booked time (a calendar file) asked of a session without one. */
export class SessionNotScheduled extends domainError('SESSION_NOT_SCHEDULED', 409, 'The session has no booked time') {}
/** A lawyer asked to move a session directly: they propose a new time and the client answers. */
export class RescheduleNeedsClientConsent extends domainError(
  'RESCHEDULE_NEEDS_CLIENT_CONSENT',
  409,
  'A lawyer cannot move a booked session; propose a new time instead and the client accepts or declines it',
) {}
/** The session already has an open reschedule proposal (one at a time; withdraw it first). */
export class RescheduleProposalOpen extends domainError('RESCHEDULE_PROPOSAL_OPEN', 409, 'This session already has a proposed new time waiting for the client') {}
/** Accepting, declining or withdrawing a proposal that does not exist (answered, withdrawn or never made). */
export class NoRescheduleProposal extends domainError('NO_RESCHEDULE_PROPOSAL', 409, 'This session has no proposed new time to answer') {}

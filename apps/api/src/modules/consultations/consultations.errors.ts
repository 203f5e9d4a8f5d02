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

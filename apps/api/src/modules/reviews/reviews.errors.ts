import { domainError } from '../../common/errors/domain-error';

/** The session is not COMPLETED (yet): reviews open when it is. */
export class ReviewNotOpen extends domainError('REVIEW_NOT_OPEN', 409, 'Reviews open once the session is completed') {}
/** The session was not paid, or was refunded in full: it gives no right to review. */
export class ReviewNotAllowed extends domainError(
  'REVIEW_NOT_ALLOWED',
  409,
  'Only sessions that were paid and not refunded in full can be reviewed',
) {}
/** The review window of the session has closed (its deadline passed). */
export class ReviewWindowClosed extends domainError('REVIEW_WINDOW_CLOSED', 409, 'The review window of this session has closed') {}
/** The caller already reviewed this session; reviews are never edited. */
export class ReviewAlreadySubmitted extends domainError('REVIEW_ALREADY_SUBMITTED', 409, 'You already reviewed this session; reviews cannot be changed') {}
/** Too many reviews by one author in the last hour. */
export class ReviewRateLimited extends domainError('REVIEW_RATE_LIMITED', 429, 'You have submitted too many reviews in the last hour; try again later') {}
/** No such review, or not one the caller may see. */
export class ReviewNotFound extends domainError('REVIEW_NOT_FOUND', 404, 'Review not found') {}
/** The review has no response (moderation or report of a response). */
export class ResponseNotFound extends domainError('RESPONSE_NOT_FOUND', 404, 'This review has no response') {}
/** Only a published, visible client review can get the lawyer's response. */
export class ResponseNotAllowed extends domainError('RESPONSE_NOT_ALLOWED', 409, 'Only a published, visible review can get a response') {}
/** The lawyer already responded to this review; responses are never edited. */
export class ResponseAlreadySubmitted extends domainError('RESPONSE_ALREADY_SUBMITTED', 409, 'You already responded to this review; responses cannot be changed') {}
/** The caller already reported this review (or response). */
export class ReviewAlreadyReported extends domainError('REVIEW_ALREADY_REPORTED', 409, 'You already reported this') {}
/** Reporting one's own review or response. */
export class ReportOwnContent extends domainError('REPORT_OWN_CONTENT', 409, 'You cannot report what you wrote yourself') {}
/** A HIDE of something hidden, or an UNHIDE of something visible. */
export class ModerationNoChange extends domainError('MODERATION_NO_CHANGE', 409, 'That is already its visibility; nothing was changed') {}
/** The `cursor` of a review list is not one this API issued. */
export class InvalidReviewCursor extends domainError('INVALID_CURSOR', 400, 'The cursor is invalid; start again from the first page') {}
/** The lawyer is not listed (not verified, not active, or not a lawyer): the same 404 as their profile. */
export class LawyerNotListed extends domainError('LAWYER_NOT_FOUND', 404, 'Lawyer not found') {}

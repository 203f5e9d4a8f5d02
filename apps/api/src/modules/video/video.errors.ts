import { domainError } from '../../common/errors/domain-error';

/** Joining before the call opens (some minutes before the start). */
export class VideoJoinTooEarly extends domainError('VIDEO_JOIN_TOO_EARLY', 409, 'The call opens shortly before the session starts') {}
/** Joining after the call closed (scheduled end plus the grace period), or a session that is not booked or running. */
export class VideoJoinClosed extends domainError('VIDEO_JOIN_CLOSED', 409, 'This session’s call is closed') {}
/** Only the lawyer ends the session for both. */
export class VideoEndLawyerOnly extends domainError('VIDEO_END_LAWYER_ONLY', 403, 'Only the lawyer can end the session; leave the call instead') {}
/** A recording was asked for without both participants’ consent. */
export class RecordingConsentMissing extends domainError(
  'RECORDING_CONSENT_MISSING',
  409,
  'Recording needs the consent of both participants',
) {}
/** A provider callback whose signature is missing or does not match (nothing is written). */
export class VideoCallbackSignatureInvalid extends domainError('VIDEO_CALLBACK_SIGNATURE_INVALID', 400, 'The callback signature is missing or invalid') {}
/** A callback for a provider this deployment does not use. */
export class VideoCallbackNotSupported extends domainError('VIDEO_CALLBACK_NOT_SUPPORTED', 404, 'This deployment does not use that video provider') {}
/** The participant has not joined the call (no identity yet). */
export class VideoNotJoined extends domainError('VIDEO_NOT_JOINED', 409, 'Join the call first') {}
/** The video provider (Twilio) could not be reached or refused the call; nothing was changed. Retry shortly. */
export class VideoProviderUnavailable extends domainError(
  'VIDEO_PROVIDER_UNAVAILABLE',
  503,
  'The video service is unavailable right now; nothing was changed. Try again in a moment',
) {}

import { domainError } from '../../../common/errors/domain-error';

/** `to` names nobody in this call but the other participant (or is the sender itself). */
export class SignalRecipientInvalid extends domainError('SIGNAL_RECIPIENT_INVALID', 400, 'A signal can only be addressed to the other participant of the call') {}
/** A signal's `data` is larger than a WebRTC offer, answer or candidate ever is. */
export class SignalTooLarge extends domainError('SIGNAL_TOO_LARGE', 413, 'The signal is too large') {}
/** `Last-Event-ID` is not an id this stream sent. */
export class SignalCursorInvalid extends domainError('SIGNAL_CURSOR_INVALID', 400, 'Last-Event-ID must be the id of an event this stream sent') {}
/** The relay cannot listen for messages right now (database unreachable, or the server is shutting down). */
export class SignallingUnavailable extends domainError('SIGNALLING_UNAVAILABLE', 503, 'The call’s signalling is unavailable; try again shortly') {}

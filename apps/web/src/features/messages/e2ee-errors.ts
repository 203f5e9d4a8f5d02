import { E2eeError, type E2eeErrorCode } from '@lm/e2ee';
export { isE2eeError, isServerError } from '@lm/e2ee';
import { describeError, type ErrorDescription } from '../../lib/errors';

/** The codes the library reports, in words for people (never the raw cryptography). */
const WORDS: Record<E2eeErrorCode, string> = {
  SIGNATURE_INVALID: 'A signature did not match, so the content was not shown.',
  DECRYPT_FAILED: 'The content could not be decrypted with the keys on this device.',
  UNKNOWN_EPOCH: 'This device has no key for that part of the conversation.',
  UNKNOWN_DEVICE: 'It came from a device that is not known for this account.',
  DEVICE_CERT_INVALID: 'A device of the other party is not certified by their identity key.',
  EPOCH_SIGNATURE_INVALID: 'A conversation key was not signed correctly, so it was not used.',
  IDENTITY_CHANGED: 'The other party’s security keys changed. Verify the safety number or accept the new keys first.',
  WRONG_RECOVERY_CODE: 'That recovery code does not match.',
  RECOVERY_CODE_MALFORMED: 'A recovery code has 24 letters and digits, in 6 groups of 4 (like 7K3M-…).',
  NOT_SET_UP: 'Secure messaging is not set up on this device yet.',
  MESSAGE_TOO_LARGE: 'This message is too long. Split it into shorter messages.',
  ATTACHMENT_TOO_LARGE: 'A file is larger than 25 MiB, the limit for an attachment.',
  ATTACHMENT_CORRUPT: 'The file did not match what the sender attached, so it was not saved.',
  MALFORMED: 'The content was malformed and could not be read.',
  NO_KEY_FOR_DEVICE: 'This device was added after that content was sent, so it has no key for it.',
  HTTP: 'The request failed.',
};

/** Server codes of the messaging API that have better words than its own message. */
const SERVER_WORDS: Record<string, string> = {
  NOTE_VERSION_CONFLICT: 'Updated elsewhere in the meantime.',
  CONVERSATION_NOT_FOUND: 'This conversation does not exist, or you are not part of it.',
  SESSION_NOT_FOUND: 'Notes open once the session is paid.',
  ATTACHMENT_TOO_LARGE: 'A file is larger than 25 MiB, the limit for an attachment.',
  RECENT_SIGN_IN_REQUIRED: 'To replace your keys, sign out and sign in again with your password first (within the last 15 minutes).',
};

/** Like describeError (lib/errors), for what the E2EE library throws. */
export function describeE2eeError(error: unknown): ErrorDescription {
  if (!(error instanceof E2eeError)) return describeError(error);
  if (error.code !== 'HTTP') return { title: 'Secure messaging', message: WORDS[error.code] };
  const status = error.status ?? 0;
  if (status === 0) return { title: 'Cannot reach LexMarket', message: 'Check your connection and try again in a moment.' };
  if (status === 401) return { title: 'Please sign in', message: 'Your session has ended. Sign in to continue.' };
  if (status >= 500) {
    return { title: 'Something went wrong on our side', message: 'We have logged the problem. Please try again in a moment.' };
  }
  const known = error.serverCode ? SERVER_WORDS[error.serverCode] : undefined;
  return { title: 'Request failed', message: known ?? error.message };
}

/** Just the sentence. */
export function e2eeErrorMessage(error: unknown): string {
  return describeE2eeError(error).message;
}

/**
 * Every failure the library reports. `code` is stable (the SPA switches on it); `message` is
 * for people and never contains key material, plaintext or a recovery code.
 */
export type E2eeErrorCode =
  | 'SIGNATURE_INVALID'
  | 'DECRYPT_FAILED'
  | 'UNKNOWN_EPOCH'
  | 'UNKNOWN_DEVICE'
  | 'DEVICE_CERT_INVALID'
  | 'EPOCH_SIGNATURE_INVALID'
  | 'IDENTITY_CHANGED'
  | 'WRONG_RECOVERY_CODE'
  | 'RECOVERY_CODE_MALFORMED'
  | 'NOT_SET_UP'
  | 'MESSAGE_TOO_LARGE'
  | 'ATTACHMENT_TOO_LARGE'
  | 'ATTACHMENT_CORRUPT'
  | 'MALFORMED'
  | 'NO_KEY_FOR_DEVICE'
  | 'HTTP';

export const E2EE_ERROR_CODES: readonly E2eeErrorCode[] = [
  'SIGNATURE_INVALID',
  'DECRYPT_FAILED',
  'UNKNOWN_EPOCH',
  'UNKNOWN_DEVICE',
  'DEVICE_CERT_INVALID',
  'EPOCH_SIGNATURE_INVALID',
  'IDENTITY_CHANGED',
  'WRONG_RECOVERY_CODE',
  'RECOVERY_CODE_MALFORMED',
  'NOT_SET_UP',
  'MESSAGE_TOO_LARGE',
  'ATTACHMENT_TOO_LARGE',
  'ATTACHMENT_CORRUPT',
  'MALFORMED',
  'NO_KEY_FOR_DEVICE',
  'HTTP',
];

export class E2eeError extends Error {
  override readonly name = 'E2eeError';
  readonly code: E2eeErrorCode;
  /** HTTP status, when code === 'HTTP' (0 when the request did not reach the server). */
  readonly status?: number;
  /** The server's error code (`{ code }` of the JSON error body), when code === 'HTTP'. */
  readonly serverCode?: string;
  /** The server's `details` (e.g. `expected` of E2EE_RECIPIENTS_MISMATCH), when code === 'HTTP'. */
  readonly details?: Record<string, unknown>;

  constructor(
    code: E2eeErrorCode,
    message: string,
    http?: { status: number; serverCode?: string; details?: Record<string, unknown> },
  ) {
    super(message);
    this.code = code;
    if (http) {
      this.status = http.status;
      this.serverCode = http.serverCode;
      this.details = http.details;
    }
  }
}

export const isE2eeError = (e: unknown, code?: E2eeErrorCode): e is E2eeError =>
  e instanceof E2eeError && (code === undefined || e.code === code);

/** True for an HTTP error whose server code is `serverCode`. */
export const isServerError = (e: unknown, serverCode: string): e is E2eeError =>
  e instanceof E2eeError && e.code === 'HTTP' && e.serverCode === serverCode;

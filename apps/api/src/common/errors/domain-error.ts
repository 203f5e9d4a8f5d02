/**
 * Base of every coded error a module throws. The global error filter turns it into
 * `{ statusCode, code, message, requestId }` with `status` as HTTP status. `code` is a
 * stable, machine-readable UPPER_SNAKE identifier that clients may switch on; `message` is
 * for people and must never contain secrets or echo submitted values.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Optional structured details safe to show to the caller (e.g. field names). */
  readonly details?: Record<string, unknown>;

  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/**
 * Every code declared with `domainError`, with its HTTP status: the error classes of the loaded
 * modules. The OpenAPI document lists these (plus the error filter's own codes, see
 * error-body.ts) as the enum of ErrorResponse.code, so the contract names every code the app
 * can answer with.
 */
const declaredCodes = new Map<string, number>();

export function declaredErrorCodes(): ReadonlyMap<string, number> {
  return declaredCodes;
}

/** Helper to declare a coded error class in one line per error. */
export function domainError(code: string, status: number, defaultMessage: string) {
  declaredCodes.set(code, status);
  return class extends DomainError {
    readonly code = code;
    readonly status = status;
    constructor(message: string = defaultMessage, details?: Record<string, unknown>) {
      super(message, details);
    }
  };
}

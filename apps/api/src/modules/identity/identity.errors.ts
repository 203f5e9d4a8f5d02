import { TERMS_VERSION } from '@lm/domain';
import { domainError } from '../../common/errors/domain-error';

export class EmailTaken extends domainError('EMAIL_TAKEN', 409, 'An account with this email already exists') {}
export class AccountSuspended extends domainError('ACCOUNT_SUSPENDED', 403, 'This account is suspended; contact support') {}
export class RefreshTokenInvalid extends domainError(
  'INVALID_REFRESH_TOKEN',
  401,
  'The refresh token is missing, expired or revoked; sign in again',
) {}
export class RefreshTokenReused extends domainError(
  'REFRESH_TOKEN_REUSED',
  401,
  'This refresh token was already used; every session started from the same sign-in has been ended. Sign in again',
) {}
export class CurrentPasswordIncorrect extends domainError(
  'CURRENT_PASSWORD_INCORRECT',
  400,
  'The current password is incorrect',
) {}
/** Sign-up without accepting the current terms of service and privacy policy. */
export class TermsNotAccepted extends domainError(
  'TERMS_NOT_ACCEPTED',
  400,
  `Accept the terms of service and privacy policy (version ${TERMS_VERSION}) to create an account`,
) {}
export class UserNotFound extends domainError('USER_NOT_FOUND', 404, 'User not found') {}
export class ApiKeyNotFound extends domainError('API_KEY_NOT_FOUND', 404, 'API key not found') {}
export class CannotSuspendSelf extends domainError(
  'CANNOT_SUSPEND_SELF',
  409,
  'Administrators cannot suspend their own account',
) {}
// Defined with the other access errors (common/auth), where the recent-sign-in rule lives for every module.
export { CredentialsRequireSession, RecentSignInRequired } from '../../common/auth/auth.errors';

/**
 * Too many failed sign-ins for this account or from this address. `retryAfterSeconds` is
 * sent as the Retry-After header by the error filter.
 */
export class TooManyLoginAttempts extends domainError(
  'TOO_MANY_LOGIN_ATTEMPTS',
  429,
  'Too many failed sign-in attempts; try again later',
) {
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}
export class ResetTokenInvalid extends domainError(
  'RESET_TOKEN_INVALID',
  400,
  'This password reset link is invalid, expired or already used; ask for a new one',
) {}
export class VerificationTokenInvalid extends domainError(
  'VERIFICATION_TOKEN_INVALID',
  400,
  'This verification link is invalid, expired or already used; ask for a new one',
) {}
export class EmailAlreadyVerified extends domainError('EMAIL_ALREADY_VERIFIED', 409, 'This email address is already verified') {}

/** Too many verification emails for one account; `retryAfterSeconds` becomes Retry-After. */
export class TooManyVerificationEmails extends domainError(
  'TOO_MANY_VERIFICATION_EMAILS',
  429,
  'Too many verification emails; try again later',
) {
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

/** A scope the caller's role may not hold (details.scopes), e.g. reports:read for a client or admin for a non-admin. */
export class ApiKeyScopeNotAllowed extends domainError(
  'API_KEY_SCOPE_NOT_ALLOWED',
  400,
  'Your role does not allow some of these scopes',
) {}
/** The expiry is not in the future or more than two years away. */
/** At most MAX_ACTIVE_API_KEYS unrevoked keys per account (each has its own rate budget, and the list shows them all). */
export class ApiKeyLimit extends domainError(
  'API_KEY_LIMIT',
  409,
  'You have too many API keys; revoke one you no longer use first',
) {}
export class ApiKeyExpiryInvalid extends domainError(
  'API_KEY_EXPIRY_INVALID',
  400,
  'An API key expires in the future and at most two years from now',
) {}
/** The key used up its own per-minute budget; `retryAfterSeconds` becomes Retry-After. Same code as the per-address limit. */
export class ApiKeyRateLimited extends domainError(
  'RATE_LIMITED',
  429,
  'Too many requests with this API key; slow down and retry later',
) {
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}
